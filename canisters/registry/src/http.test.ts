/**
 * The JSON API and the badges, byte for byte. Apps outside the IC parse these answers: a change
 * of shape, order of keys or wording is a change of the public API, so every endpoint's answer
 * over a registry that holds every kind of attestation (counted, superseded, hidden, failed,
 * version 1 and 2, held, rejected, on a trust list) is pinned in `test/fixtures/http-api.json`.
 * Regenerate it with `UPDATE_GOLDEN=1` only for an intended change of the API.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Principal } from '@dfinity/principal';
import { PREDICATE_TYPE_V1, signAttestation } from '@repro-registry/attestation';
import { describe, expect, it } from 'vitest';

import { GUESTOS_HASH, artifact, hashOf, predicate, sign, testBuilder } from '../test/builders';
import { MINUTE, T0, accepted, confirm, newRegistry, submit } from '../test/core-support';
import { handleHttp } from './http';
import { renderAttestation } from './replies';

const CONTROLLER = Principal.fromText('rwlgt-iiaaa-aaaaa-aaaaa-cai');

const GOLDEN = join(import.meta.dirname, '../test/fixtures/http-api.json');

const CONFIRMED = 134567n;
const HELD = 200001n;
const ABSENT = 200002n;

function populatedRegistry() {
  const r = newRegistry({ renderer: renderAttestation });
  confirm(r, CONFIRMED);
  const [alice, bob, carol, dave, erin] = ['alice', 'bob', 'carol', 'dave', 'erin'].map((n) =>
    testBuilder(`golden-${n}`),
  );
  // A version 1 attestation, then its builder's newer one (version 2) that supersedes it.
  const v1 = signAttestation({
    predicate: predicate({ note: 'first try' }),
    secretKey: alice.secretKey,
    predicateType: PREDICATE_TYPE_V1,
  }).envelopeBytes;
  accepted(submit(r, alice, v1, T0 + MINUTE));
  accepted(
    submit(
      r,
      alice,
      predicate({
        artifacts: [
          artifact({
            kind: 'guestos',
            members: [{ path: 'root.img', sha256: hashOf('root'), size: '1073741824' }],
            // The release's SHA256SUMS agrees; the proposal's second URL served other bytes.
            sources: [
              {
                kind: 'sha256sums',
                url: 'https://download.dfinity.systems/x/SHA256SUMS',
                sha256: GUESTOS_HASH,
              },
              {
                kind: 'package_url',
                url: 'https://download.dfinity.network/x/update-img.tar.zst',
                sha256: hashOf('other'),
              },
            ],
          }),
          artifact({
            kind: 'guestos-recovery',
            sha256: hashOf('recovery'),
            expectedSha256: hashOf('recovery'),
          }),
        ],
      }),
      T0 + 2n * MINUTE,
    ),
  );
  // A mismatch under WSL2 with a claimed expected hash that is not the proposal's.
  const wsl = predicate({
    artifacts: [artifact({ kind: 'guestos', sha256: hashOf('wsl'), expectedSha256: hashOf('x') })],
    note: 'WSL2 <b>with</b> "quotes" & ünïcode',
  });
  wsl.environment.virtualization = 'wsl2';
  wsl.environment.memoryBytes = null;
  accepted(submit(r, bob, wsl, T0 + 3n * MINUTE));
  // A failed build, later hidden by a controller.
  accepted(
    submit(
      r,
      carol,
      predicate({
        artifacts: [
          artifact({
            kind: 'guestos',
            sha256: null,
            expectedSha256: GUESTOS_HASH,
            verdict: 'build_failed',
          }),
        ],
      }),
      T0 + 4n * MINUTE,
    ),
  );
  const hidden = r.hide({
    caller: { principal: CONTROLLER, isController: true },
    attestationId: 4n,
    reason: 'spam',
    now: T0 + 5n * MINUTE,
  });
  if (!hidden.ok) throw new Error(hidden.error.code);
  accepted(submit(r, dave, predicate(), T0 + 6n * MINUTE));
  // Held for a proposal governance has not confirmed, and one governance says is absent.
  accepted(submit(r, erin, predicate({ proposalId: HELD.toString() }), T0 + 7n * MINUTE));
  accepted(
    submit(r, dave, sign(dave, predicate({ proposalId: ABSENT.toString() })), T0 + 8n * MINUTE),
  );
  r.recordProposalRead({
    proposalId: ABSENT,
    now: T0 + 9n * MINUTE,
    outcome: {
      ok: false,
      error: `governance has no proposal ${ABSENT}`,
      final: true,
      absent: true,
    },
  });
  const profile = r.setBuilderProfile({
    caller: alice.principal,
    displayName: 'Alice Builder',
    url: 'https://example.org/alice',
  });
  if (!profile.ok) throw new Error(profile.error.code);
  const list = r.publishTrustList({
    caller: erin.principal,
    id: null,
    name: 'CodeGov',
    description: 'Reviewers of the CodeGov group',
    members: [alice.principal, dave.principal],
    now: T0 + 10n * MINUTE,
  });
  if (!list.ok) throw new Error(list.error.code);
  while (r.processTrustListWork()) {
    // counts the list's members, in steps
  }
  return { r, alice };
}

const PATHS = (alice: string) => [
  ['GET', '/'],
  ['GET', '/api/v1'],
  ['GET', '/api/v1/info'],
  ['GET', '/api/v1/proposals'],
  ['GET', '/api/v1/proposals?limit=1'],
  ['GET', '/api/v1/proposals?list=1'],
  ['GET', '/api/v1/proposals?list=999'],
  ['GET', '/api/v1/proposals?cursor=x'],
  ['GET', `/api/v1/proposals/${CONFIRMED}`],
  ['GET', `/api/v1/proposals/${CONFIRMED}?list=1`],
  ['GET', `/api/v1/proposals/${HELD}`],
  ['GET', `/api/v1/proposals/${ABSENT}`],
  ['GET', '/api/v1/proposals/999999'],
  ['GET', '/api/v1/proposals/abc'],
  ['GET', `/api/v1/proposals/${CONFIRMED}/attestations`],
  ['GET', `/api/v1/proposals/${CONFIRMED}/attestations?verdict=mismatch`],
  ['GET', `/api/v1/proposals/${CONFIRMED}/attestations?verdict=nope`],
  ['GET', `/api/v1/proposals/${CONFIRMED}/attestations?limit=2&cursor=4&envelopes=true`],
  ['GET', `/api/v1/proposals/${HELD}/attestations`],
  ['GET', `/api/v1/proposals/${ABSENT}/attestations`],
  ['GET', '/api/v1/attestations/1'],
  ['GET', '/api/v1/attestations/3'],
  ['GET', '/api/v1/attestations/4'],
  ['GET', '/api/v1/attestations/99'],
  ['GET', `/api/v1/builders/${alice}`],
  ['GET', `/api/v1/builders/${alice}?limit=1`],
  ['GET', '/api/v1/builders/not-a-principal'],
  ['GET', '/api/v1/trust-lists'],
  ['GET', '/api/v1/trust-lists/1'],
  ['GET', '/api/v1/trust-lists/1?version=2'],
  ['GET', '/api/v1/trust-lists/7'],
  ['GET', `/badge/${CONFIRMED}.svg`],
  ['GET', `/badge/${CONFIRMED}.svg?list=1`],
  ['GET', `/badge/${HELD}.svg`],
  ['GET', `/badge/${ABSENT}.svg`],
  ['GET', '/badge/5.svg'],
  ['GET', '/nowhere'],
  ['HEAD', `/api/v1/proposals/${CONFIRMED}`],
  ['OPTIONS', '/api/v1/proposals'],
  ['POST', '/api/v1/proposals'],
];

describe('the JSON API and badges', () => {
  it('answer every endpoint exactly as pinned', () => {
    const { r, alice } = populatedRegistry();
    const answers = PATHS(alice.principal.toText()).map(([method, url]) => {
      const response = handleHttp(
        r,
        { method, url, headers: [], body: new Uint8Array(), certificate_version: [] },
        123_456_789_000_000n,
      );
      return {
        request: `${method} ${url}`,
        status: response.status_code,
        headers: response.headers,
        body: new TextDecoder().decode(response.body),
      };
    });
    if (process.env['UPDATE_GOLDEN'] === '1')
      writeFileSync(GOLDEN, `${JSON.stringify(answers, null, 1)}\n`);
    const pinned = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof answers;
    expect(answers.map((a) => a.request)).toEqual(pinned.map((a) => a.request));
    for (const [i, answer] of answers.entries()) expect(answer).toEqual(pinned[i]);
  });
});
