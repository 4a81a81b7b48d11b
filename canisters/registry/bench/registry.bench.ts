/**
 * The registry canister's costs, in Wasm instructions counted by the instrumented in-process
 * host with the IC's cost model (deterministic, unlike times), on the real compiled wasm.
 *
 *   npx tsx canisters/registry/bench/registry.bench.ts [--json] [--max 10000]
 *
 * Budgets (issues 2, 4 and 11): submit ≤ 300 M; proposal summary ≤ 20 M and flat from 1 to
 * 10,000 attestations; the summary over one of 100 trust lists ≤ 25 M and flat; a page of 100
 * attestations ≤ 100 M; sync_proposal ≤ 200 M; the refresh timer's work per tick bounded.
 * Filling a proposal with 10,000 attestations runs on the plain (fast) host; the same stored
 * state is then reopened in an instrumented host to count.
 */
import { IDL } from '@dfinity/candid';
import { Principal } from '@dfinity/principal';
import type * as T from '@repro-registry/client';
import { IcHost, InMemoryStateStore, type ExecutionRecord } from '@repro-registry/ic-host';

import { artifact, hashOf, predicate, sign, testBuilder } from '../test/builders';
import {
  RecordedProposal,
  SECOND,
  installGovernance,
  proposal,
  startWithGovernance,
} from '../test/governance-standin';
import { CONTROLLER, RegistryUnderTest, okOf } from '../test/harness';
import { ensureCanisterBuilt } from '@repro-registry/deploy';
import { benchRows, printRows } from './report';

const args = process.argv.slice(2);
const json = args.includes('--json');
const maxIndex = args.indexOf('--max');
const MAX = maxIndex >= 0 ? Number(args[maxIndex + 1]) : 10_000;
const CHECKPOINTS = [1, 10, 100, 1_000, 10_000].filter((n) => n <= MAX);
const PROPOSAL = 134567n;

const BUDGET = {
  submit: 300_000_000,
  summary: 20_000_000,
  listSummary: 25_000_000,
  page100: 100_000_000,
  syncProposal: 200_000_000,
};
const TRUST_LISTS = 100;
const LIST_MEMBERS = 20;

function log(text: string): void {
  if (!json) process.stderr.write(`${text}\n`);
}

const M = (n: bigint | number | undefined) => (n === undefined ? NaN : Number(n) / 1e6);

/** Realistic attestations: GuestOS + its recovery image with member hashes, several environments. */
function envelopeFor(i: number, over: { members?: number; note?: string } = {}) {
  const builder = testBuilder(`bench-${i}`);
  const members = Array.from({ length: over.members ?? 4 }, (_, m) => ({
    path:
      ['boot.img', 'root.img', 'VERSION.TXT', 'partitions.tar', 'var.img', 'config.img'][m % 6] +
      (m >= 6 ? `.${m}` : ''),
    sha256: hashOf(`member-${m}`),
    size: String(1_000_000 * (m + 1)),
  }));
  const odd = i % 10 === 9;
  const p = predicate({
    artifacts: [
      { ...artifact({ kind: 'guestos', sha256: odd ? hashOf('wsl2-root') : undefined }), members },
      {
        ...artifact({
          kind: 'guestos-recovery',
          sha256: hashOf('recovery'),
          expectedSha256: hashOf('recovery'),
        }),
        members: members.slice(0, 2),
      },
    ],
    ...(over.note ? { note: over.note } : {}),
  });
  p.environment.virtualization =
    (['bare_metal', 'wsl2', 'kvm', 'virtualbox'] as const)[i % 4] ?? 'unknown';
  return { builder, envelope: sign(builder, p) };
}

const { rows, add } = benchRows(log);

await ensureCanisterBuilt('registry');

// ---- submit, sync and timer, on an instrumented host with governance -------------------------
{
  let clock = 1_764_000_000n * SECOND;
  const executions: ExecutionRecord[] = [];
  const host = await IcHost.create({
    instrumented: true,
    clock: () => clock,
    log: () => {},
    onExecution: (e) => executions.push(e),
  });
  const governance = await installGovernance(host);
  for (const id of [PROPOSAL, 200001n, 200002n, 200003n, 200004n, 200005n]) {
    const put = await host.update({
      canisterId: governance,
      method: 'put_proposal',
      arg: new Uint8Array(IDL.encode([RecordedProposal], [proposal(id)])),
      sender: CONTROLLER,
    });
    if (put.status !== 'replied') throw new Error(put.rejectMessage);
  }
  const registry = await RegistryUnderTest.start({ host, governance, proposalRefreshSeconds: 60 });
  log('registry: submit');
  // The first attestations of a proposal the registry has not confirmed yet are held; one read
  // of governance confirms it (reported below). Then the typical submissions count at once.
  const first = envelopeFor(0);
  okOf(
    await registry.call<{ Ok: T.SubmitReceipt }>(
      'submit',
      [{ envelope: first.envelope }],
      first.builder.principal,
    ),
  );
  add(
    `submit, first of a proposal (${first.envelope.length} B envelope)`,
    M(registry.lastInstructions),
    'M instr',
    BUDGET.submit,
  );
  // The first attestation schedules the proposal's read from governance: a timer message.
  executions.length = 0;
  await host.tick();
  await host.idle();
  add(
    'first read of a proposal (timer message and its callback)',
    M(
      executions
        .filter((e) => e.canisterId === registry.canisterId.toText())
        .reduce((n, e) => n + e.instructions, 0n),
    ),
    'M instr',
  );
  const typical = envelopeFor(1);
  okOf(
    await registry.call<{ Ok: T.SubmitReceipt }>(
      'submit',
      [{ envelope: typical.envelope }],
      typical.builder.principal,
    ),
  );
  add(
    `submit, typical (${typical.envelope.length} B envelope)`,
    M(registry.lastInstructions),
    'M instr',
    BUDGET.submit,
  );
  const large = envelopeFor(2, { members: 64, note: 'x'.repeat(2000) });
  okOf(
    await registry.call<{ Ok: T.SubmitReceipt }>(
      'submit',
      [{ envelope: large.envelope }],
      large.builder.principal,
    ),
  );
  add(
    `submit, large (${large.envelope.length} B envelope: 64 members, longest note)`,
    M(registry.lastInstructions),
    'M instr',
  );

  // A builder on all of 100 trust lists: the submission costs the same; the lists learn of it
  // in a message of their own.
  const member = envelopeFor(3);
  let publish = 0n;
  for (let k = 0; k < TRUST_LISTS; k++) {
    const members = [
      member.builder.principal,
      ...Array.from(
        { length: LIST_MEMBERS - 1 },
        (_, j) => testBuilder(`bench-${10 + k + j}`).principal,
      ),
    ];
    okOf(
      await registry.call(
        'publish_trust_list',
        [{ id: [], name: `Review group ${k}`, description: 'bench', members }],
        testBuilder(`owner-${k}`).principal,
      ),
    );
    publish = registry.lastInstructions ?? 0n;
  }
  add(`publish_trust_list (${LIST_MEMBERS} members)`, M(publish), 'M instr');
  executions.length = 0;
  await registry.settle(5);
  add(
    `counting ${TRUST_LISTS} new trust lists (background messages, all)`,
    M(
      executions
        .filter((e) => e.canisterId === registry.canisterId.toText())
        .reduce((n, e) => n + e.instructions, 0n),
    ),
    'M instr',
  );
  okOf(
    await registry.call<{ Ok: T.SubmitReceipt }>(
      'submit',
      [{ envelope: member.envelope }],
      member.builder.principal,
    ),
  );
  add(
    `submit, typical, by a builder on ${TRUST_LISTS} trust lists`,
    M(registry.lastInstructions),
    'M instr',
    BUDGET.submit,
  );
  executions.length = 0;
  await registry.settle(1);
  add(
    `trust-list update after it (${TRUST_LISTS} list aggregates, background message)`,
    M(
      executions
        .filter((e) => e.canisterId === registry.canisterId.toText())
        .reduce((n, e) => n + e.instructions, 0n),
    ),
    'M instr',
  );

  clock += 31n * SECOND;
  okOf(
    await registry.call<{ Ok: T.ProposalSummary }>(
      'sync_proposal',
      [PROPOSAL],
      Principal.anonymous(),
    ),
  );
  add(
    'sync_proposal (registry + governance + callback)',
    M(registry.lastInstructions),
    'M instr',
    BUDGET.syncProposal,
  );

  // Six open proposals known; one timer tick refreshes at most five of them.
  for (const id of [200001n, 200002n, 200003n, 200004n, 200005n]) {
    clock += 31n * SECOND;
    okOf(await registry.call('sync_proposal', [id], Principal.anonymous()));
  }
  // The syncs' own background work first (certifying five new proposals, with 100 trust lists:
  // their scoped summaries), so the tick below is the refresh alone.
  await registry.settle(3);
  // One timer tick: the timer, the registry's calls to governance and their callbacks.
  clock += 61n * SECOND;
  executions.length = 0;
  await host.tick();
  await host.idle();
  const tickInstructions = executions
    .filter((e) => e.canisterId === registry.canisterId.toText())
    .reduce((n, e) => n + e.instructions, 0n);
  const governanceReads = executions.filter(
    (e) => e.canisterId === governance.toText() && e.entry.includes('get_proposal_info'),
  ).length;
  add(`refresh timer tick (${governanceReads} proposals read)`, M(tickInstructions), 'M instr');
}

// ---- summary (everyone and one of 100 trust lists) and pages from 1 to 10,000 attestations ----
{
  const store = new InMemoryStateStore();
  const plain = await IcHost.create({ store, log: () => {} });
  const { registry: filling } = await startWithGovernance({ host: plain, confirmed: [PROPOSAL] });
  // 100 trust lists of 20 builders each, overlapping, drawn from the builders filling the
  // proposal below; list 0's members are among the first twenty.
  const lists: bigint[] = [];
  for (let k = 0; k < TRUST_LISTS; k++) {
    const members = Array.from(
      { length: LIST_MEMBERS },
      (_, j) => testBuilder(`bench-${1000 + ((k * 37 + j * (k === 0 ? 1 : 499)) % MAX)}`).principal,
    );
    const list = okOf(
      await filling.call<{ Ok: T.TrustList }>(
        'publish_trust_list',
        [{ id: [], name: `Review group ${k}`, description: 'bench', members }],
        testBuilder(`owner-${k}`).principal,
      ),
    );
    lists.push(list.id);
  }
  await filling.settle(5);
  const listZero = lists[0];
  let submitted = 0;
  const started = Date.now();
  for (const checkpoint of CHECKPOINTS) {
    while (submitted < checkpoint) {
      const { builder, envelope } = envelopeFor(1000 + submitted);
      okOf(
        await filling.call<{ Ok: T.SubmitReceipt }>('submit', [{ envelope }], builder.principal),
      );
      submitted++;
    }
    // The trust lists catch up in background messages.
    await filling.settle(20);
    log(
      `registry: ${checkpoint} attestations stored (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    // Reopen the stored state in an instrumented host to count (only stable memory is durable:
    // exactly the registry's state).
    // A read-only fork of the stored state: the counting host's own commits are dropped.
    const snapshot = store.snapshot();
    const counting = await IcHost.create({
      instrumented: true,
      store: { load: async () => snapshot, commit: () => undefined },
      log: () => {},
    });
    const registry = new RegistryUnderTest(counting, filling.canisterId);
    okOf(await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [PROPOSAL]));
    add(
      `summary, ${checkpoint} attestations`,
      M(registry.lastInstructions),
      'M instr',
      BUDGET.summary,
    );
    const onList = okOf(
      await registry.call<{ Ok: T.ProposalSummary }>('get_consensus', [
        { proposal_id: PROPOSAL, trust_list: [listZero] },
      ]),
    );
    if (!onList.scope.up_to_date) throw new Error('the trust lists did not catch up');
    add(
      `summary on one of ${TRUST_LISTS} trust lists (${onList.builder_count} of its builders), ${checkpoint} attestations`,
      M(registry.lastInstructions),
      'M instr',
      BUDGET.listSummary,
    );
    // Pages carry the envelopes (the contract's one shape): of 100, and of up to 500.
    const limit = Math.min(100, checkpoint);
    okOf(
      await registry.call('list_attestations', [
        { proposal_id: PROPOSAL, verdict: [], cursor: [], limit: [limit], proof: [] },
      ]),
    );
    add(
      `page of ${limit}, ${checkpoint} attestations`,
      M(registry.lastInstructions),
      'M instr',
      limit === 100 ? BUDGET.page100 : undefined,
    );
    const large = Math.min(500, checkpoint);
    okOf(
      await registry.call('list_attestations', [
        { proposal_id: PROPOSAL, verdict: [], cursor: [], limit: [large], proof: [] },
      ]),
    );
    add(`page of ${large}, ${checkpoint} attestations`, M(registry.lastInstructions), 'M instr');
    const view = counting.canister(filling.canisterId);
    if (checkpoint === CHECKPOINTS[CHECKPOINTS.length - 1] && view) {
      add('stable memory in use', (Number(view.stableMemoryPages) * 65536) / 1048576, 'MiB');
    }
  }
  // Stable memory is sparse (azle reserves ~80 MiB, touches little): count written pages.
  const state = store.snapshot();
  const stored = state?.canisters.find((c) => c.canisterId === filling.canisterId.toText());
  if (stored)
    add(
      'stable memory written per attestation',
      (stored.stable.pages.size * 65536) / submitted,
      'bytes',
    );
}

printRows({
  benchmark: 'registry',
  title: 'registry canister (instrumented host, IC cost model)',
  rows,
  json,
});
