import { dependencyPatch } from './dependency-patch';

/**
 * `slebDecode` of @dfinity/candid 3.4.3 (and of @icp-sdk/core 6.1.0, its successor) starts with
 * `new Uint8Array(pipe.buffer)`, and `pipe.buffer` is a copy of every byte not read yet. A reply's
 * type table is read with one `slebDecode` per type reference, so a page of 500 attestations
 * (1.4 MB) was copied about 40 times before its first value: 330 ms of the proposal page's main
 * thread in Chromium, more than the rest of the decoding. `pipe.save()` is the same bytes as a
 * view (it is how the decoder backtracks), and `slebDecode` only reads them until the last byte of
 * the number, so the result is the same without the copies (see candid-sleb-decode.test.ts).
 *
 * Applied to the app's build only; the build fails if the installed version no longer has the
 * line (then remove this plugin, or write it again for the new code).
 */
export const SLEB_DECODE_COPY = 'const pipeView = new Uint8Array(pipe.buffer);';
export const SLEB_DECODE_VIEW = 'const pipeView = pipe.save();';

const LEB128_MODULE = /[\\/]@dfinity[\\/]candid[\\/]lib[\\/]esm[\\/]utils[\\/]leb128\.js$/;

/** The module's source with the copy replaced, or null when `id` is another module. */
export function withoutSlebDecodeCopy(code: string, id: string): string | null {
  if (!LEB128_MODULE.test(id.split('?')[0] ?? id)) return null;
  const at = code.indexOf(SLEB_DECODE_COPY);
  if (at < 0 || code.indexOf(SLEB_DECODE_COPY, at + 1) >= 0) {
    throw new Error(
      `${id}: expected exactly one "${SLEB_DECODE_COPY}" — @dfinity/candid changed; ` +
        'see frontend/vite/candid-sleb-decode.ts',
    );
  }
  return code.replace(SLEB_DECODE_COPY, SLEB_DECODE_VIEW);
}

export const candidSlebDecodeWithoutCopy = () =>
  dependencyPatch({
    name: 'repro-candid-sleb-decode',
    module: '@dfinity/candid leb128.js',
    explainedIn: 'frontend/vite/candid-sleb-decode.ts',
    rewrite: withoutSlebDecodeCopy,
  });
