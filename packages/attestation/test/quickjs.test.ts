// The package inside QuickJS-ng (the engine family azle 0.33.0 embeds through rquickjs), with
// no Buffer, TextEncoder/TextDecoder, atob/btoa or WebCrypto: every golden vector must give the
// same answer there as in Node, and signing must produce the same bytes.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import variant from '@jitl/quickjs-ng-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import type { QuickJSContext } from 'quickjs-emscripten-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAttestation } from '../src/index';
import type { UnsignedPredicate } from '../src/index';
import { KEY_A, clone, realisticMatch } from '../scripts/vectors-lib';
import { invalidVectors, validVectors } from './vectors';

let vm: QuickJSContext;

function evalString(code: string): string {
  const result = vm.evalCode(code);
  if (result.error) {
    const error: unknown = vm.dump(result.error);
    result.error.dispose();
    throw new Error(`QuickJS: ${JSON.stringify(error)}`);
  }
  const value: unknown = vm.dump(result.value);
  result.value.dispose();
  return String(value);
}

beforeAll(async () => {
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
  const runtime = QuickJS.newRuntime();
  runtime.setMemoryLimit(256 * 1024 * 1024);
  vm = runtime.newContext();
  // Whatever this QuickJS build offers beyond the language, the package must not need it.
  evalString(
    "for (const name of ['TextEncoder', 'TextDecoder', 'atob', 'btoa', 'crypto', 'Buffer', 'process']) delete globalThis[name]; 'ok'",
  );
  evalString(bundle.outputFiles[0].text + ";'loaded'");
  evalString(`
    globalThis.run = (hex) => {
      const result = attestation.verifyAttestation(attestation.hexToBytes(hex));
      return JSON.stringify(result.ok ? { ok: true, builderId: result.value.builderId } : { code: result.error.code, field: result.error.field });
    };
    attestation.warmUpEd25519();
    'ready'`);
}, 120_000);

afterAll(() => {
  const runtime = vm?.runtime;
  vm?.dispose();
  runtime?.dispose();
});

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('inside QuickJS-ng', () => {
  it('has no Node or Web APIs to lean on', () => {
    expect(evalString('typeof TextEncoder + typeof atob + typeof Buffer + typeof crypto')).toBe(
      'undefinedundefinedundefinedundefined',
    );
  });

  it.each(validVectors.map((v) => [v.file, v] as const))(
    '%s verifies',
    (_file, vector) => {
      const result = JSON.parse(evalString(`run(${JSON.stringify(hex(vector.bytes))})`)) as {
        ok?: true;
      };
      expect(result.ok).toBe(true);
    },
    60_000,
  );

  it.each(invalidVectors.map((v) => [v.file, v] as const))(
    '%s is rejected as expected',
    (_file, vector) => {
      const result = JSON.parse(evalString(`run(${JSON.stringify(hex(vector.bytes))})`)) as unknown;
      expect(result).toEqual(vector.expected);
    },
    60_000,
  );

  it('signs to the same bytes as Node', () => {
    const predicate = clone(realisticMatch());
    delete predicate['builder'];
    const expected = signAttestation({
      predicate: predicate as unknown as UnsignedPredicate,
      secretKey: KEY_A,
    });
    const produced = evalString(`
      attestation.bytesToHex(attestation.signAttestation({
        predicate: ${JSON.stringify(predicate)},
        secretKey: attestation.hexToBytes(${JSON.stringify(hex(KEY_A))}),
      }).envelopeBytes)`);
    expect(produced).toBe(hex(expected.envelopeBytes));
  }, 60_000);
});
