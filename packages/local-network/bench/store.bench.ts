/**
 * Durability cost of the state directory: change sets (one dirty 64 KiB stable page each, the
 * shape of a StableBTreeMap insert) committed and fsynced one by one, the same with 8 writers
 * sharing flushes (group commit), and recovery time after a crash (no snapshot) and from a
 * snapshot.
 *
 *   npx tsx packages/local-network/bench/store.bench.ts [--json]
 */
import {
  defaultSettings,
  applyChangeSet,
  emptyState,
  type ChangeSet,
  type StoredState,
} from '@repro-registry/ic-host';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../src/store';

const json = process.argv.includes('--json');
const N = 2000;

const open = (dir: string) =>
  DurableStore.open<StoredState, ChangeSet>({
    dir,
    fold: (s, c) => applyChangeSet(s ?? emptyState(), c),
  });

function changeSet(sequence: bigint): ChangeSet {
  const data = new Uint8Array(65536);
  data[Number(sequence % 65536n)] = 1;
  return {
    sequence,
    time: sequence,
    canisters:
      sequence === 1n
        ? [
            {
              canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
              created: true,
              settings: defaultSettings([]),
            },
          ]
        : [
            {
              canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai',
              stable: {
                reset: false,
                sizePages: 64,
                pages: [{ index: Number(sequence % 64n), data }],
              },
            },
          ],
  };
}

const results: Record<string, number> = {};
const dir = await mkdtemp(join(tmpdir(), 'repro-store-bench-'));
try {
  let store = await open(join(dir, 'a'));
  let t = performance.now();
  for (let i = 1n; i <= BigInt(N); i++) {
    store.commit(changeSet(i));
    await store.flush();
  }
  results.sequential_commit_fsync_per_s = N / ((performance.now() - t) / 1000);
  results.sequential_commit_fsync_ms = (performance.now() - t) / N;
  await store.close({ snapshot: false });

  store = await open(join(dir, 'b'));
  t = performance.now();
  let seq = 0n;
  const writer = async (): Promise<void> => {
    for (let i = 0; i < N / 8; i++) {
      store.commit(changeSet(++seq));
      await store.flush();
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  results.group_commit_8_writers_per_s = N / ((performance.now() - t) / 1000);

  t = performance.now();
  const recovered = await open(join(dir, 'b'));
  results.recovery_from_log_ms = performance.now() - t;
  // Fewer than written: a snapshot was taken when the log passed 64 MiB, only later records replay.
  results.recovery_records_replayed = recovered.stats.recoveredRecords;
  t = performance.now();
  await recovered.compact();
  results.snapshot_write_ms = performance.now() - t;
  await recovered.close({ snapshot: false });
  t = performance.now();
  await open(join(dir, 'b'));
  results.recovery_from_snapshot_ms = performance.now() - t;
} finally {
  await rm(dir, { recursive: true, force: true });
}

if (json) console.log(JSON.stringify(results, null, 2));
else {
  console.log('| measure | value |\n|---|---|');
  for (const [k, v] of Object.entries(results))
    console.log(`| ${k} | ${Number.isInteger(v) ? v : v.toFixed(2)} |`);
}
