import { join } from 'node:path';

import { dependencyPatch } from './dependency-patch';

/**
 * `@dfinity/agent` 3.4.3 checks certificates' BLS signatures with `blsVerify` from its
 * `utils/bls.js`, synchronously on the calling thread, and offers no way to give it another
 * (only `Certificate.create` takes one, and the agent's own read of the subnet's node keys does
 * not pass any). `Certificate.verify` awaits what `blsVerify` returns, so in the app's build the
 * module is replaced by one whose `blsVerify` answers from a worker with the same noble check
 * (src/lib/verification/bls.ts). The rest of the agent is unchanged.
 *
 * Applied to the app's build only; the build fails if the module is missing or no longer has the
 * exports this replaces (then remove this plugin, or write it again for the new code).
 */
export const AGENT_BLS_EXPORTS = ['export let verify;', 'export function blsVerify(pk, sig, msg)'];

const AGENT_BLS_MODULE = /[\\/]@dfinity[\\/]agent[\\/]lib[\\/]esm[\\/]utils[\\/]bls\.js$/;
/** Where the replacement's `blsVerify` lives, from the frontend's root. */
export const WORKER_BLS = 'src/lib/verification/bls.ts';

/** The replacement module's source, or null when `id` is another module. */
export function blsModuleOffMainThread(args: {
  code: string;
  id: string;
  /** The frontend's root directory. */
  root: string;
}): string | null {
  const { code, id } = args;
  if (!AGENT_BLS_MODULE.test(id.split('?')[0] ?? id)) return null;
  for (const line of AGENT_BLS_EXPORTS) {
    if (!code.includes(line)) {
      throw new Error(
        `${id}: expected "${line}" — @dfinity/agent changed; see frontend/vite/bls-off-main-thread.ts`,
      );
    }
  }
  return `export let verify;\nexport { blsVerify } from ${JSON.stringify(join(args.root, WORKER_BLS))};\n`;
}

export const blsOffMainThread = () =>
  dependencyPatch({
    name: 'repro-bls-off-main-thread',
    module: '@dfinity/agent utils/bls.js',
    explainedIn: 'frontend/vite/bls-off-main-thread.ts',
    rewrite: (code, id, config) => blsModuleOffMainThread({ code, id, root: config.root }),
  });
