/**
 * `registry.did` is the API contract. The canister declares its methods from the bindings
 * generated from it, and the build derives the canister's interface from its code; this test
 * fails when the two describe different services.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import { CERTIFIED_FIELD, certifiedSummaryMessage } from '@repro-registry/registry-api';
import type * as T from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { DID_PATH, renderBindings } from '../../../packages/registry-api/scripts/generate-bindings';
import { PROJECT_ROOT } from '@repro-registry/deploy';
import { testBuilder } from './builders';
import { certifiedQuery } from './certified-support';
import { populationEnvelope } from './data';
import { startWithGovernance } from './governance-standin';
import { okOf } from './harness';

async function serviceOf(didPath: string): Promise<IDL.ServiceClass> {
  const dir = await mkdtemp(join(tmpdir(), 'did-'));
  try {
    const file = join(dir, 'bindings.ts');
    await writeFile(file, await renderBindings(didPath));
    const module = (await import(file)) as { idlFactory: IDL.InterfaceFactory };
    return module.idlFactory({ IDL });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Each method's signature in Candid text, with types inlined: names of types don't matter. */
function signatures(service: IDL.ServiceClass): Record<string, string> {
  return Object.fromEntries(service._fields.map(([name, func]) => [name, func.display()]));
}

describe('the Candid contract', () => {
  it('registry.did describes exactly what the built canister exports', async () => {
    const committed = await serviceOf(DID_PATH);
    const built = await serviceOf(join(PROJECT_ROOT, '.azle/registry/registry.did'));
    expect(signatures(built)).toEqual(signatures(committed));
  });

  it(
    'clients generated before reads carried proofs still decode the answers',
    { timeout: 120_000 },
    async () => {
      const before = new Map(
        (await serviceOf(join(import.meta.dirname, 'fixtures/before-read-proofs/registry.did')))
          ._fields,
      );
      const now = new Map((await serviceOf(DID_PATH))._fields);
      const { registry } = await startWithGovernance({ confirmed: [130000n] });
      const { builder, envelope } = populationEnvelope(0);
      await registry.call('submit', [{ envelope }], builder.principal);
      const list = okOf(
        await registry.call<{ Ok: T.TrustList }>(
          'publish_trust_list',
          [{ id: [], name: 'Reviewers', description: '', members: [builder.principal] }],
          testBuilder('list owner').principal,
        ),
      ).id;
      await registry.settle();
      const asks: [string, unknown[]][] = [
        ['get_proposal_summary', [130000n]],
        ['get_consensus', [{ proposal_id: 130000n, trust_list: [] }]],
        ['list_proposals', [{ cursor: [], limit: [], trust_list: [] }]],
        [
          'list_attestations',
          [{ proposal_id: 130000n, verdict: [], cursor: [], limit: [], proof: [] }],
        ],
        ['get_attestation', [1n]],
        ['get_builder', [{ builder: builder.principal, cursor: [], limit: [] }]],
        // Trust lists and their scopes carry proofs too (additive: old clients skip them).
        ['get_consensus', [{ proposal_id: 130000n, trust_list: [list] }]],
        ['list_proposals', [{ cursor: [], limit: [], trust_list: [list] }]],
        ['get_trust_list', [{ id: list, version: [] }]],
        ['list_trust_lists', [{ cursor: [], limit: [] }]],
      ];
      for (const [method, args] of asks) {
        const func = now.get(method)!;
        const reply = await certifiedQuery<unknown>(registry, method, args);
        const bytes = new Uint8Array(IDL.encode(func.retTypes, [reply]));
        // The answer carries a proof, which the old client does not know and skips.
        expect(JSON.stringify(reply, replacer)).toContain('"certified":[{');
        const old = IDL.decode(before.get(method)!.retTypes, bytes)[0];
        expect(JSON.stringify(old, replacer)).toBe(JSON.stringify(withoutProofs(reply), replacer));
      }
      // Summaries certified before keep their hash: the certified shape is the old type.
      const summary = okOf(
        await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [130000n]),
      );
      const oldSummaryType = (
        before.get('get_proposal_summary')!.retTypes[0] as IDL.VariantClass
      )._fields.find(([name]) => name === 'Ok')![1];
      expect(Buffer.from(IDL.encode([oldSummaryType], [summary])).toString('hex')).toBe(
        Buffer.from(certifiedSummaryMessage(summary)).toString('hex'),
      );
    },
  );
});

const replacer = (_key: string, v: unknown) =>
  typeof v === 'bigint'
    ? v.toString()
    : v instanceof Uint8Array
      ? Buffer.from(v).toString('hex')
      : v instanceof Principal
        ? v.toText()
        : v;

/** A decoded answer without its `certified` fields (as an old client sees it). */
function withoutProofs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProofs);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (value instanceof Principal) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== CERTIFIED_FIELD)
      .map(([key, v]) => [key, withoutProofs(v)]),
  );
}
