import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { SLEB_DECODE_VIEW, withoutSlebDecodeCopy } from './candid-sleb-decode';

// The installed module, as the app's build sees it.
const candidIndex = createRequire(import.meta.url).resolve('@dfinity/candid');
const esmUtils = join(dirname(candidIndex), '..', 'esm', 'utils');
const leb128Path = join(esmUtils, 'leb128.js');

interface Leb128Module {
  slebDecode(pipe: unknown): bigint;
  slebEncode(value: bigint): Uint8Array;
}
interface BufferModule {
  PipeArrayBuffer: new (bytes: Uint8Array) => { byteLength: number };
}

// Beside the installed packages: Vite resolves some absolute paths (/tmp/…) against its root.
const cache = join(dirname(candidIndex), '..', '..', '..', '..', '.cache');
mkdirSync(cache, { recursive: true });
const copy = mkdtempSync(join(cache, 'candid-sleb-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

async function modules(): Promise<{
  original: Leb128Module;
  patched: Leb128Module;
  pipe: BufferModule;
}> {
  // The patched module beside copies of its imports, so both run the same helpers.
  cpSync(esmUtils, copy, { recursive: true });
  cpSync(join(esmUtils, '..', 'package.json'), join(copy, 'package.json'));
  const patchedSource = withoutSlebDecodeCopy(readFileSync(leb128Path, 'utf8'), leb128Path);
  if (patchedSource === null) throw new Error('the installed leb128.js was not recognised');
  writeFileSync(join(copy, 'leb128.js'), patchedSource);
  return {
    original: (await import(/* @vite-ignore */ leb128Path)) as Leb128Module,
    patched: (await import(/* @vite-ignore */ join(copy, 'leb128.js'))) as Leb128Module,
    pipe: (await import(/* @vite-ignore */ join(esmUtils, 'buffer.js'))) as BufferModule,
  };
}

function randomBigInt(bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(Math.random() * 65536));
  v &= (1n << BigInt(bits)) - 1n;
  return Math.random() < 0.5 ? -v : v;
}

describe('slebDecode without copying the rest of the reply', () => {
  it('changes the one line in the installed @dfinity/candid and nothing else', () => {
    const source = readFileSync(leb128Path, 'utf8');
    const patched = withoutSlebDecodeCopy(source, leb128Path);
    expect(patched).not.toBe(source);
    expect(patched?.split('\n').filter((line, i) => line !== source.split('\n')[i])).toEqual([
      `    ${SLEB_DECODE_VIEW}`,
    ]);
    expect(
      withoutSlebDecodeCopy(source, '/x/node_modules/@dfinity/candid/lib/esm/idl.js'),
    ).toBeNull();
    expect(() => withoutSlebDecodeCopy('export {}', leb128Path)).toThrow(
      /@dfinity\/candid changed/,
    );
  });

  it('decodes every number as the original does and leaves the pipe at the same place', async () => {
    const { original, patched, pipe } = await modules();
    const values = [0n, -1n, 1n, 63n, -64n, 64n, -65n, 127n, -128n, 2n ** 63n, -(2n ** 63n)];
    for (let i = 0; i < 2_000; i++) values.push(randomBigInt(1 + (i % 100)));
    for (const value of values) {
      const encoded = original.slebEncode(value);
      // Followed by bytes the decoder must not read: continuation bits set, and none.
      for (const tail of [
        new Uint8Array(0),
        Uint8Array.of(0x80, 0xff, 0x01),
        Uint8Array.of(0x7f),
      ]) {
        const bytes = new Uint8Array([...encoded, ...tail]);
        const a = new pipe.PipeArrayBuffer(bytes);
        const b = new pipe.PipeArrayBuffer(bytes);
        expect(patched.slebDecode(b)).toBe(original.slebDecode(a));
        expect(b.byteLength).toBe(a.byteLength);
        expect(b.byteLength).toBe(tail.length);
      }
    }
  });

  it('fails like the original on a number cut short', async () => {
    const { original, patched, pipe } = await modules();
    const cut = Uint8Array.of(0xff, 0xff);
    expect(() => patched.slebDecode(new pipe.PipeArrayBuffer(cut))).toThrow();
    expect(() => original.slebDecode(new pipe.PipeArrayBuffer(cut))).toThrow();
  });
});
