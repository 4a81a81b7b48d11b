/** Data sets and digests shared by the wasm tests and the benchmark. */
import { createHash } from 'node:crypto';

import { Principal } from '@dfinity/principal';
import type * as T from '@repro-registry/client';

import { GUESTOS_HASH, artifact, hashOf, predicate, sign, testBuilder } from './builders';
import { okOf, type RegistryUnderTest } from './harness';

/** The proposals the population attests: GuestOS elections of `COMMIT`. */
export const POPULATION_PROPOSALS = Array.from({ length: 10 }, (_, i) => 130000n + BigInt(i));

/** A realistic spread: ten proposals, several environments, some mismatches and failures. */
export function populationEnvelope(i: number) {
  const builder = testBuilder(`pop-${i}`);
  const kind = i % 7 === 0 ? 'mismatch' : i % 11 === 0 ? 'failed' : 'match';
  const guestos =
    kind === 'match'
      ? artifact({ kind: 'guestos' })
      : kind === 'mismatch'
        ? artifact({ kind: 'guestos', sha256: hashOf(`odd-${i % 3}`) })
        : artifact({
            kind: 'guestos',
            sha256: null,
            expectedSha256: GUESTOS_HASH,
            verdict: 'build_failed',
          });
  const p = predicate({
    proposalId: String(130000 + (i % 10)),
    artifacts: [guestos],
    ...(kind === 'failed' ? { note: `podman: no space left on device (run ${i})` } : {}),
  });
  p.environment.virtualization =
    (['bare_metal', 'wsl2', 'kvm', 'virtualbox'] as const)[i % 4] ?? 'unknown';
  return { builder, envelope: sign(builder, p) };
}

/**
 * A digest of everything the registry serves: all proposals, all attestations with their
 * envelopes, all builders. Equal digests mean no observable data changed.
 */
export async function dataDigest(registry: RegistryUnderTest): Promise<string> {
  const hash = createHash('sha256');
  const add = (v: unknown) =>
    hash.update(
      JSON.stringify(v, (_k, x: unknown) =>
        typeof x === 'bigint'
          ? `${x}n`
          : x instanceof Uint8Array
            ? Buffer.from(x).toString('hex')
            : x instanceof Principal
              ? x.toText()
              : x,
      ),
    );
  add(await registry.call('get_registry_info', []));
  let cursor: [] | [bigint] = [];
  const builders = new Set<string>();
  for (;;) {
    const page: T.ProposalPage = await registry.call<T.ProposalPage>('list_proposals', [
      { cursor, limit: [100], trust_list: [] },
    ]);
    for (const p of page.proposals) {
      add(p);
      let attCursor: [] | [bigint] = [];
      for (;;) {
        const atts: T.AttestationPage = okOf(
          await registry.call<{ Ok: T.AttestationPage }>('list_attestations', [
            {
              proposal_id: p.proposal_id,
              verdict: [],
              cursor: attCursor,
              limit: [100],
              proof: [],
            },
          ]),
        );
        for (const a of atts.attestations) {
          add(a);
          builders.add(a.builder.toText());
        }
        if (atts.next_cursor.length === 0) break;
        attCursor = atts.next_cursor;
      }
    }
    if (page.next_cursor.length === 0) break;
    cursor = page.next_cursor;
  }
  for (const b of [...builders].sort()) {
    const page = okOf(
      await registry.call<{ Ok: T.BuilderPage }>('get_builder', [
        { builder: Principal.fromText(b), cursor: [], limit: [1] },
      ]),
    );
    add(page.profile);
  }
  return hash.digest('hex');
}
