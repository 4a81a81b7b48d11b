// Verification speed in Node: µs per verifyAttestation (warm), the first (cold) call that
// builds noble's base-point table, the share spent before the signature check, and signing;
// then the package at a git revision (`--baseline`, default main; `none` skips it) against the
// working tree, side by side in alternating rounds, on the proposal page's kind of envelope
// (`--page-envelopes`, default 100, version 2 from the test kit, distinct builders) and on
// every valid vector.
//
//   npx tsx packages/attestation/bench/verify.ts [--json] [--iterations N] [--baseline REF] [--rounds N]
//     [--page-envelopes N | --envelopes frontend/.bench/…/attestations.json]
import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { LIMITS, signAttestation, verifyAttestation, warmUpEd25519 } from '../src/index';
import type { UnsignedPredicate } from '../src/index';
import { parseJson } from '../src/json';
import { readStatement } from '../src/validate';
import { signedEnvelope, testKey, testPredicate } from '../src/testing';
import { KEY_A, clone, realisticMatch } from '../scripts/vectors-lib';
import { invalidVectors, validVectors } from '../test/vectors';
import { sideBySide } from './baseline';
import variant from '@jitl/quickjs-ng-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const iterationsArg = args.indexOf('--iterations');
const iterations = iterationsArg >= 0 ? Number(args[iterationsArg + 1]) : 300;
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const baselineRef = option('--baseline', 'main');
const rounds = Number(option('--rounds', '9'));
const pageEnvelopeCount = Number(option('--page-envelopes', '100'));

const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'valid');
const vectors = readdirSync(vectorsDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => {
    const v = JSON.parse(readFileSync(join(vectorsDir, f), 'utf8')) as { envelope: string };
    return {
      name: f.replace(/\.json$/, ''),
      bytes: new Uint8Array(Buffer.from(v.envelope, 'utf8')),
    };
  });

function timeUs(run: () => void, n: number): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) run();
  return ((performance.now() - start) * 1000) / n;
}

/**
 * The same verification inside QuickJS-ng compiled to wasm: an interpreter like the one in
 * azle's canister, so its ratio to Node hints at what the canister pays (instruction counts
 * in the canister are measured by the registry's own tests).
 */
async function quickJsVerifier(): Promise<{
  coldUs: number;
  verifyUs: (bytes: Uint8Array, n: number) => number;
}> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'attestation',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const QuickJS = await newQuickJSWASMModuleFromVariant(variant);
  const vm = QuickJS.newContext();
  const run = (code: string): void => {
    const result = vm.evalCode(code);
    if (result.error) throw new Error(JSON.stringify(vm.dump(result.error)));
    result.value.dispose();
  };
  run(bundle.outputFiles[0].text);
  const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  const coldStart = performance.now();
  run(
    `if (!attestation.verifyAttestation(attestation.hexToBytes("${hexOf(vectors[0].bytes)}")).ok) throw new Error('cold')`,
  );
  const coldUs = (performance.now() - coldStart) * 1000;
  return {
    coldUs,
    verifyUs: (bytes, n) => {
      run(`globalThis.input = attestation.hexToBytes("${hexOf(bytes)}")`);
      const start = performance.now();
      run(
        `for (let i = 0; i < ${n}; i++) if (!attestation.verifyAttestation(input).ok) throw new Error('verify')`,
      );
      return ((performance.now() - start) * 1000) / n;
    },
  };
}
const quickJs = await quickJsVerifier();

// Cold: the first verification in this process pays for the base-point table.
const first = vectors[0];
const coldStart = performance.now();
if (!verifyAttestation(first.bytes).ok) throw new Error(`${first.name} does not verify`);
const coldUs = (performance.now() - coldStart) * 1000;
warmUpEd25519();

interface Row {
  vector: string;
  envelopeBytes: number;
  verifyUs: number;
  parseAndSchemaUs: number;
  quickJsVerifyUs: number;
}
const rows: Row[] = [];
for (const v of vectors) {
  if (!verifyAttestation(v.bytes).ok) throw new Error(`${v.name} does not verify`);
  timeUs(() => verifyAttestation(v.bytes), 20); // JIT warm-up
  const verifyUs = timeUs(() => verifyAttestation(v.bytes), iterations);
  const verified = verifyAttestation(v.bytes);
  if (!verified.ok) throw new Error('unreachable');
  const text = new TextDecoder().decode(verified.value.statementBytes);
  const parseAndSchemaUs = timeUs(
    () => readStatement(parseJson(text, { rootField: 'payload', maxDepth: LIMITS.jsonDepth })),
    iterations,
  );
  const quickJsVerifyUs = quickJs.verifyUs(v.bytes, Math.max(3, Math.round(iterations / 30)));
  rows.push({
    vector: v.name,
    envelopeBytes: v.bytes.length,
    verifyUs,
    parseAndSchemaUs,
    quickJsVerifyUs,
  });
}

const predicate = clone(realisticMatch());
delete predicate['builder'];
const signUs = timeUs(
  () => signAttestation({ predicate: predicate as unknown as UnsignedPredicate, secretKey: KEY_A }),
  iterations,
);

// The proposal page's envelopes: version 2, one artifact, the test kit's machine, one builder
// each; or, with `--envelopes FILE`, the envelopes the frontend's bench serves (its harness's
// attestations.json: [{ envelope: base64 }]).
const envelopesFile = option('--envelopes', '');
const pageEnvelopes =
  envelopesFile === ''
    ? Array.from({ length: pageEnvelopeCount }, (_, i) =>
        signedEnvelope(testKey(`bench builder ${i}`), testPredicate()),
      )
    : (JSON.parse(readFileSync(envelopesFile, 'utf8')) as { envelope: string }[]).map(
        (a) => new Uint8Array(Buffer.from(a.envelope, 'base64')),
      );
const allVectors = [...validVectors, ...invalidVectors].map((v) => ({
  name: v.file,
  bytes: v.bytes,
}));
const compare =
  baselineRef === 'none'
    ? null
    : {
        page: await sideBySide({
          ref: baselineRef,
          envelopes: pageEnvelopes,
          vectors: allVectors,
          rounds,
        }),
        vectors: await sideBySide({
          ref: baselineRef,
          envelopes: vectors.map((v) => v.bytes),
          vectors: [],
          rounds,
        }),
      };

const summary = {
  node: process.version,
  iterations,
  coldFirstVerifyUs: coldUs,
  quickJsColdFirstVerifyUs: quickJs.coldUs,
  signUs,
  rows,
  sideBySide: compare,
};
if (asJson) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const fmt = (n: number) => n.toFixed(0).padStart(8);
  console.log(`Node ${process.version}, ${iterations} iterations per row, warm unless noted`);
  console.log(`first verify in the process (builds the base-point table): ${fmt(coldUs)} µs`);
  console.log(
    `first verify in QuickJS-ng (wasm):                        ${fmt(quickJs.coldUs)} µs`,
  );
  console.log(`signAttestation (realistic predicate):                     ${fmt(signUs)} µs\n`);
  console.log(
    `${'vector'.padEnd(36)} ${'bytes'.padStart(7)} ${'verify µs'.padStart(10)} ${'parse+schema µs'.padStart(16)} ${'QuickJS verify µs'.padStart(18)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.vector.padEnd(36)} ${String(r.envelopeBytes).padStart(7)} ${fmt(r.verifyUs).padStart(10)} ${fmt(r.parseAndSchemaUs).padStart(16)} ${fmt(r.quickJsVerifyUs).padStart(18)}`,
    );
  }
}
if (!asJson && compare !== null) {
  {
    const { page, vectors: valid } = compare;
    if (page === null || valid === null) {
      console.log(`\nside by side: cannot read revision ${baselineRef} (git archive failed)`);
    } else {
      console.log(
        `\nSide by side, ${baselineRef} vs working tree, median of ${rounds} alternating rounds (µs per envelope):`,
      );
      for (const [label, r] of [
        [
          `proposal page's envelopes (${page.envelopes}, v2, ${pageEnvelopes[0].length} B${envelopesFile === '' ? '' : `, ${envelopesFile}`})`,
          page,
        ],
        [`valid vectors (${valid.envelopes})`, valid],
      ] as const) {
        console.log(label);
        for (const t of r.timings)
          console.log(
            `  ${t.name.padEnd(76)} ${t.baseline.toFixed(0).padStart(6)} → ${t.current.toFixed(0).padStart(6)} (${t.speedUp.toFixed(2)}x)`,
          );
      }
      console.log(
        page.differing.length === 0
          ? `same outcome (ok, or code + field + message) for all ${allVectors.length} golden vectors`
          : `OUTCOMES DIFFER for: ${page.differing.join(', ')}`,
      );
    }
  }
}
