/** The offline checker (`offline/check-log.mjs`, Node's standard library only) on real proofs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { MemoryNodeStore } from '@repro-registry/certification';
import { afterAll, describe, expect, it } from 'vitest';

import { TransparencyLog, checkpointText, encodeLeaf } from '../src/index';

const script = fileURLToPath(new URL('../offline/check-log.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'check-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
function run(what: string, content: unknown) {
  const file = join(dir, `${what}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  const r = spawnSync(process.execPath, [script, what, file], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('offline check-log.mjs', () => {
  const log = new TransparencyLog(new MemoryNodeStore());
  for (let i = 1; i <= 37; i++) {
    log.append({
      leaf: encodeLeaf({
        event: 'attestation_superseded',
        attestation: String(i),
        by: String(i + 1),
        at: '1',
      }),
    });
  }

  it(
    'accepts every inclusion proof of a log and refuses a changed leaf',
    { timeout: 60_000 },
    () => {
      for (const index of [0, 5, 31, 36]) {
        const proof = {
          leaf: b64(log.leaf(index)!),
          leaf_index: index,
          tree_size: 37,
          proof: log.inclusionProof(index, 37).map(b64),
          root: b64(log.root()),
        };
        expect(run('inclusion', proof)).toMatchObject({ status: 0 });
        const changed = { ...proof, leaf: b64(log.leaf(index === 0 ? 1 : 0)!) };
        expect(run('inclusion', changed)).toMatchObject({ status: 1 });
      }
    },
  );

  it('accepts consistency and refuses a rewritten history', { timeout: 60_000 }, () => {
    for (const m of [1, 8, 13, 36]) {
      const proof = {
        old_size: m,
        old_root: b64(log.rootAt(m)),
        new_size: 37,
        new_root: b64(log.root()),
        proof: log.consistencyProof(m, 37).map(b64),
      };
      expect(run('consistency', proof)).toMatchObject({ status: 0 });
      expect(
        run('consistency', { ...proof, old_root: b64(log.rootAt(m === 1 ? 2 : m - 1)) }),
      ).toMatchObject({
        status: 1,
      });
    }
  });

  it('reads a checkpoint note', { timeout: 60_000 }, () => {
    const note = `${checkpointText({ origin: 'x.icp0.io/log', size: 37, root: log.root() })}\n\u2014 x.icp0.io/log AAAAAAAAAAA=\n`;
    const r = run('checkpoint', note);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ origin: 'x.icp0.io/log', size: 37, root: b64(log.root()) });
  });
});
