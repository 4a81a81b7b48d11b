// Old and new side by side in one process: the package's source at a git revision (default
// `main`) and the working tree, each bundled the same way, timed in alternating rounds, so a
// loaded machine slows both alike. Also checks that both give the same outcome for every golden
// vector (valid and invalid: same code, field and message).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import type * as Attestation from '../src/index';

type Api = Pick<typeof Attestation, 'parseAttestation' | 'verifyAttestation'>;

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_ROOT = join(PACKAGE_DIR, '..', '..');

async function bundle(entry: string, outDir: string, name: string): Promise<Api> {
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    outfile,
    nodePaths: [join(REPO_ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return (await import(pathToFileURL(outfile).href)) as Api;
}

export interface SideBySide {
  baseline: string;
  envelopes: number;
  rounds: number;
  /** µs per envelope (median of the rounds) of everything but the signature check. */
  parseUs: { baseline: number; current: number; speedUp: number };
  /** µs per envelope (median of the rounds) of the whole check with noble's Ed25519. */
  verifyUs: { baseline: number; current: number; speedUp: number };
  /** Vectors whose outcome differs between the two (must be none). */
  differing: string[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};

function outcome(api: Api, bytes: Uint8Array): string {
  const r = api.verifyAttestation(bytes);
  return JSON.stringify(r.ok ? { ok: true, builder: r.value.builderId } : r.error);
}

/** Returns null when the revision cannot be read (no git, unknown ref). */
export async function sideBySide(args: {
  ref: string;
  envelopes: Uint8Array[];
  vectors: { name: string; bytes: Uint8Array }[];
  rounds: number;
}): Promise<SideBySide | null> {
  const work = mkdtempSync(join(tmpdir(), 'attestation-baseline-'));
  try {
    try {
      const archive = execFileSync('git', ['archive', args.ref, 'packages/attestation/src'], {
        cwd: REPO_ROOT,
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      execFileSync('tar', ['-x', '-C', work], { input: archive });
    } catch {
      return null;
    }
    const baseline = await bundle(
      join(work, 'packages/attestation/src/index.ts'),
      work,
      'baseline',
    );
    const current = await bundle(join(PACKAGE_DIR, 'src/index.ts'), work, 'current');

    const differing = args.vectors
      .filter((v) => outcome(baseline, v.bytes) !== outcome(current, v.bytes))
      .map((v) => v.name);

    const time = (run: (bytes: Uint8Array) => unknown, repeat: number): number => {
      const start = performance.now();
      for (let k = 0; k < repeat; k++) for (const e of args.envelopes) run(e);
      return ((performance.now() - start) * 1000) / (repeat * args.envelopes.length);
    };
    const impls = { baseline, current };
    // Warm-up: JIT and noble's base-point table, for both.
    for (const api of Object.values(impls)) {
      time((e) => api.verifyAttestation(e), 2);
      time((e) => api.parseAttestation(e), 20);
    }
    const parse = { baseline: [] as number[], current: [] as number[] };
    const verify = { baseline: [] as number[], current: [] as number[] };
    for (let round = 0; round < args.rounds; round++) {
      // Alternate which goes first, so neither always runs after the other's garbage.
      const order =
        round % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
      for (const name of order) {
        const api = impls[name];
        parse[name].push(time((e) => api.parseAttestation(e), 10));
        verify[name].push(time((e) => api.verifyAttestation(e), 1));
      }
    }
    const pair = (m: { baseline: number[]; current: number[] }) => {
      const b = median(m.baseline);
      const c = median(m.current);
      return { baseline: b, current: c, speedUp: b / c };
    };
    return {
      baseline: args.ref,
      envelopes: args.envelopes.length,
      rounds: args.rounds,
      parseUs: pair(parse),
      verifyUs: pair(verify),
      differing,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
