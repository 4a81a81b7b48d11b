import { describe, expect, it } from 'vitest';
import { COUNTER_EXPORT, GLOBAL_EXPORT_PREFIX, TABLE_EXPORT, rewriteModule } from './rewrite';

/** Wraps section payloads into a module: [id, bytes][] (payload sizes < 128). */
function module(sections: [number, number[]][]): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const [id, payload] of sections) out.push(id, payload.length, ...payload);
  return new Uint8Array(out);
}

function body(code: number[]): number[] {
  return [code.length, ...code];
}

const name = (s: string) => [s.length, ...new TextEncoder().encode(s)];

// (func $loop (param i32) loop local.get 0 i32.const 1 i32.add local.tee 0 i32.const 10 i32.lt_u br_if 0 end)
const LOOP = [
  0x00, 0x03, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x22, 0x00, 0x41, 0x0a, 0x49, 0x0d, 0x00, 0x0b,
  0x0b,
];
// (func $fill (param i32) i32.const 0 i32.const 0 local.get 0 memory.fill)
const FILL = [0x00, 0x41, 0x00, 0x41, 0x00, 0x20, 0x00, 0xfc, 0x0b, 0x00, 0x0b];

const SAMPLE = module([
  [1, [0x01, 0x60, 0x01, 0x7f, 0x00]],
  [3, [0x02, 0x00, 0x00]],
  [4, [0x01, 0x70, 0x00, 0x01]],
  [5, [0x01, 0x00, 0x01]],
  [6, [0x01, 0x7f, 0x01, 0x41, 0x2a, 0x0b]],
  [
    7,
    [0x03, ...name('loop'), 0x00, 0x00, ...name('fill'), 0x00, 0x01, ...name('memory'), 0x02, 0x00],
  ],
  [10, [0x02, ...body(LOOP), ...body(FILL)]],
]);

function instantiate(bytes: Uint8Array) {
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
  );
  return instance.exports as Record<
    string,
    WebAssembly.Global | WebAssembly.Table | ((n: number) => void)
  >;
}

describe('rewriteModule', () => {
  it('exports the table and the mutable globals, leaving the module otherwise intact', () => {
    const { bytes, info } = rewriteModule(SAMPLE, { instrumented: false });
    const exports = instantiate(bytes);
    expect(exports[TABLE_EXPORT]).toBeInstanceOf(WebAssembly.Table);
    expect(info.globalExports).toEqual([`${GLOBAL_EXPORT_PREFIX}0`]);
    expect((exports[`${GLOBAL_EXPORT_PREFIX}0`] as WebAssembly.Global).value).toBe(42);
    expect(exports[COUNTER_EXPORT]).toBeUndefined();
    (exports['loop'] as (n: number) => void)(0);
  });

  it('counts instructions with the replica weights: 1 per function entry, 8 per loop iteration', () => {
    const exports = instantiate(rewriteModule(SAMPLE, { instrumented: true }).bytes);
    const counter = exports[COUNTER_EXPORT] as WebAssembly.Global;
    const loop = exports['loop'] as (n: number) => void;
    for (const [start, iterations] of [
      [0, 10],
      [5, 5],
      [9, 1],
    ] as const) {
      counter.value = 1_000_000n;
      loop(start);
      // local.get, i32.const, i32.add, local.tee, i32.const, i32.lt_u (1 each) + br_if (2).
      expect(1_000_000n - (counter.value as bigint)).toBe(1n + 8n * BigInt(iterations));
    }
  });

  it('charges bulk memory operations 100 plus one per byte', () => {
    const exports = instantiate(rewriteModule(SAMPLE, { instrumented: true }).bytes);
    const counter = exports[COUNTER_EXPORT] as WebAssembly.Global;
    for (const n of [0, 1000, 65536]) {
      counter.value = 1_000_000n;
      (exports['fill'] as (n: number) => void)(n);
      expect(1_000_000n - (counter.value as bigint)).toBe(1n + 1n + 1n + 1n + 100n + BigInt(n));
    }
  });

  it('traps once the counter goes below zero', () => {
    const exports = instantiate(rewriteModule(SAMPLE, { instrumented: true }).bytes);
    const counter = exports[COUNTER_EXPORT] as WebAssembly.Global;
    counter.value = 40n;
    expect(() => (exports['loop'] as (n: number) => void)(0)).toThrow(WebAssembly.RuntimeError);
    expect(counter.value as bigint).toBeLessThan(0n);
  });

  it('refuses what it cannot decode', () => {
    expect(() =>
      rewriteModule(new Uint8Array([0, 1, 2, 3, 1, 0, 0, 0]), { instrumented: false }),
    ).toThrow('bad magic');
    const atomics = module([
      [1, [0x01, 0x60, 0x00, 0x00]],
      [3, [0x01, 0x00]],
      [10, [0x01, ...body([0x00, 0xfe, 0x03, 0x00, 0x0b])]],
    ]);
    expect(() => rewriteModule(atomics, { instrumented: true })).toThrow(
      'unsupported instruction 0xfe',
    );
  });
});
