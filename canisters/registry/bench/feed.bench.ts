/**
 * The Atom feed of the registry's events at its full size (instrumented host, real wasm): 50
 * entries in `/feed.atom` (what `FEED_ENTRIES` serves), from proposals governance confirmed and
 * attestations that reach the threshold, a mismatch and a first attestation. Measures the query
 * that answers `/feed.atom`, and the certification message that renders the feeds again after
 * one more event (the global feed with 50 entries, plus that proposal's two feeds).
 *
 *   npx tsx canisters/registry/bench/feed.bench.ts [--json]
 */
import type * as T from '@repro-registry/client';
import { IcHost, type ExecutionRecord } from '@repro-registry/ic-host';

import { artifact, hashOf, predicate, sign, testBuilder } from '../test/builders';
import { installGovernance, proposal, putProposals } from '../test/governance-standin';
import { CONTROLLER, RegistryUnderTest, okOf } from '../test/harness';
import { benchRows, printRows } from './report';

const json = process.argv.includes('--json');
const log = (text: string) => {
  if (!json) process.stderr.write(`${text}\n`);
};
const M = (n: bigint) => Number(n) / 1e6;
const { rows, add } = benchRows(log);

/** Proposals confirmed (one `proposal_seen` each); the last also gets attestations. */
const SEEN = 47;
const FIRST = 140000n;

const executions: ExecutionRecord[] = [];
const host = await IcHost.create({
  instrumented: true,
  log: () => {},
  onExecution: (e) => executions.push(e),
});
const governance = await installGovernance(host);
const ids = Array.from({ length: SEEN }, (_, i) => FIRST + BigInt(i));
await putProposals(
  host,
  governance,
  ids.map((id) => proposal(id)),
);
const registry = await RegistryUnderTest.start({
  host,
  governance,
  rateLimit: { capacity: 1000, refill_interval_seconds: 1 },
});
for (const id of ids) okOf(await registry.call('sync_proposal', [id], CONTROLLER));
await registry.settle();

// On the last proposal: a first attestation, a mismatch, then the threshold (3 on its hash).
const last = ids[ids.length - 1];
const submit = async (seed: string, sha256?: string) => {
  const builder = testBuilder(seed);
  const p = predicate({
    proposalId: last.toString(),
    artifacts: [artifact({ kind: 'guestos', ...(sha256 === undefined ? {} : { sha256 }) })],
  });
  okOf(
    await registry.call<{ Ok: T.SubmitReceipt }>(
      'submit',
      [{ envelope: sign(builder, p) }],
      builder.principal,
    ),
  );
  await registry.settle();
};
await submit('feed-1');
await submit('feed-2', hashOf('a machine that differs'));
await submit('feed-3');
await submit('feed-4');

const page = JSON.parse((await registry.http('/api/v1/events?since=0&limit=500')).body) as {
  events: unknown[];
};
log(`events: ${page.events.length}`);

const feed = await registry.http('/feed.atom');
const entries = feed.body.split('<entry>').length - 1;
if (entries !== 50) throw new Error(`expected 50 entries in /feed.atom, got ${entries}`);
add(
  `GET /feed.atom, 50 entries (${feed.body.length} bytes), query`,
  M(registry.lastInstructions ?? 0n),
  'M instr',
);

// One more event (another proposal seen): the message after it renders the feeds again.
const extra = FIRST + BigInt(SEEN);
await putProposals(host, governance, [proposal(extra)]);
okOf(await registry.call('sync_proposal', [extra], CONTROLLER));
let feedsMessage = 0n;
for (let i = 0; i < 3; i++) {
  executions.length = 0;
  await registry.settle(1);
  for (const e of executions)
    if (e.canisterId === registry.canisterId.toText() && e.instructions > feedsMessage)
      feedsMessage = e.instructions;
}
add(
  'largest message after one more event (renders /feed.atom, 50 entries, certifies)',
  M(feedsMessage),
  'M instr',
);

printRows({ benchmark: 'registry-feed', title: 'Atom feed of events (50 entries)', rows, json });
