/**
 * Reproducible build of azle canisters (see `buildCanister` in `@repro-registry/deploy`).
 *
 *   tsx scripts/build-canister.ts <canister-name>[=<path/to/index.ts>]...
 *
 * `<name>` builds the dfx.json canister; `<name>=<main>` builds any azle entry point.
 */
import { PROJECT_ROOT, buildCanister } from '@repro-registry/deploy';

const specs = process.argv.slice(2);
if (specs.length === 0) {
  console.error('usage: tsx scripts/build-canister.ts <canister-name>[=<main.ts>]...');
  process.exit(2);
}
for (const spec of specs) {
  const [name = '', main] = spec.split('=', 2);
  const built = await buildCanister(name, main);
  console.log(
    `${built.sha256}  ${built.wasmPath.slice(PROJECT_ROOT.length + 1)} (${built.bytes} bytes)`,
  );
}
