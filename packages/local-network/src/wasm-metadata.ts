/**
 * Canister metadata: the `icp:public <name>` / `icp:private <name>` custom sections of a module,
 * which the state tree exposes at `canister/<id>/metadata/<name>` (clients read e.g.
 * `candid:service` there). Gzipped modules are inflated first.
 */
import { gunzipSync } from 'node:zlib';

export type CanisterMetadata = Map<
  string,
  { visibility: 'public' | 'private'; content: Uint8Array }
>;

function uleb(b: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (pos >= b.length) throw new Error('truncated module');
    const byte = b[pos++];
    v += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [v, pos];
    if (shift > 35) throw new Error('bad LEB128 in module');
  }
}

export function canisterMetadata(module: Uint8Array): CanisterMetadata {
  const out: CanisterMetadata = new Map();
  let wasm = module;
  if (wasm[0] === 0x1f && wasm[1] === 0x8b) wasm = new Uint8Array(gunzipSync(wasm));
  if (
    wasm.length < 8 ||
    wasm[0] !== 0 ||
    wasm[1] !== 0x61 ||
    wasm[2] !== 0x73 ||
    wasm[3] !== 0x6d
  ) {
    return out;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pos = 8;
  try {
    while (pos < wasm.length) {
      const id = wasm[pos++];
      const [size, start] = uleb(wasm, pos);
      const end = start + size;
      if (end > wasm.length) break;
      if (id === 0) {
        const [nameLen, nameStart] = uleb(wasm, start);
        const name = decoder.decode(wasm.subarray(nameStart, nameStart + nameLen));
        const content = wasm.slice(nameStart + nameLen, end);
        for (const visibility of ['public', 'private'] as const) {
          const prefix = `icp:${visibility} `;
          if (name.startsWith(prefix)) out.set(name.slice(prefix.length), { visibility, content });
        }
      }
      pos = end;
    }
  } catch {
    // A module that fails to parse has no readable metadata; installation rejects it anyway.
  }
  return out;
}
