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

type Api = Pick<
  typeof Attestation,
  'parseAttestation' | 'verifyAttestation' | 'verifyAttestationAsync'
>;

/** WebCrypto's Ed25519, as the frontend's workers use it (frontend/src/lib/verification/native.ts). */
const webCryptoEd25519: Attestation.Ed25519Verifier = async ({ signature, message, publicKey }) => {
  const { subtle } = globalThis.crypto;
  const key = await subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  return subtle.verify(
    { name: 'Ed25519' },
    key,
    signature as BufferSource,
    message as BufferSource,
  );
};
/** A native check that says yes at once: what is left is everything but the signature. */
const acceptAll: Attestation.Ed25519Verifier = () => Promise.resolve(true);

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
  /** µs per envelope (medians of the rounds), baseline → working tree. */
  timings: { name: string; baseline: number; current: number; speedUp: number }[];
  /** Vectors whose outcome differs between the two (must be none). */
  differing: string[];
}

/** What is timed: the page's path (async, native Ed25519) and the canister's (sync, noble). */
const MEASURES: {
  name: string;
  repeat: number;
  run: (api: Api, bytes: Uint8Array) => unknown;
}[] = [
  {
    name: 'page path, all but the signature (verifyAttestationAsync, native says yes)',
    repeat: 10,
    run: (api, bytes) => api.verifyAttestationAsync(bytes, acceptAll),
  },
  {
    name: 'page path (verifyAttestationAsync + WebCrypto Ed25519)',
    repeat: 3,
    run: (api, bytes) => api.verifyAttestationAsync(bytes, webCryptoEd25519),
  },
  {
    name: 'canister path, all but the signature (parseAttestation)',
    repeat: 10,
    run: (api, bytes) => api.parseAttestation(bytes),
  },
  {
    name: 'canister path (verifyAttestation, noble Ed25519)',
    repeat: 1,
    run: (api, bytes) => api.verifyAttestation(bytes),
  },
];

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};

async function outcome(api: Api, bytes: Uint8Array): Promise<string> {
  const show = (r: Attestation.Result<Attestation.VerifiedAttestation>) =>
    JSON.stringify(r.ok ? { ok: true, value: r.value } : r.error, (_, v: unknown) =>
      v instanceof Uint8Array ? Array.from(v) : v,
    );
  return [
    show(api.verifyAttestation(bytes)),
    show(await api.verifyAttestationAsync(bytes, webCryptoEd25519)),
    show(api.parseAttestation(bytes)),
  ].join('\n');
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

    const differing: string[] = [];
    for (const v of args.vectors)
      if ((await outcome(baseline, v.bytes)) !== (await outcome(current, v.bytes)))
        differing.push(v.name);

    const time = async (run: (bytes: Uint8Array) => unknown, repeat: number): Promise<number> => {
      const start = performance.now();
      for (let k = 0; k < repeat; k++) for (const e of args.envelopes) await run(e);
      return ((performance.now() - start) * 1000) / (repeat * args.envelopes.length);
    };
    const impls = { baseline, current };
    // Warm-up: JIT and noble's base-point table, for both.
    for (const api of Object.values(impls))
      for (const m of MEASURES) await time((e) => m.run(api, e), Math.max(1, m.repeat / 2));
    const samples = MEASURES.map(() => ({ baseline: [] as number[], current: [] as number[] }));
    for (let round = 0; round < args.rounds; round++) {
      // Alternate which goes first, so neither always runs after the other's garbage.
      const order =
        round % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
      for (const name of order) {
        const api = impls[name];
        for (const [i, m] of MEASURES.entries())
          samples[i][name].push(await time((e) => m.run(api, e), m.repeat));
      }
    }
    return {
      baseline: args.ref,
      envelopes: args.envelopes.length,
      rounds: args.rounds,
      timings: MEASURES.map((m, i) => {
        const b = median(samples[i].baseline);
        const c = median(samples[i].current);
        return { name: m.name, baseline: b, current: c, speedUp: b / c };
      }),
      differing,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
