/**
 * Frontend canister benchmark: the wasm's size (raw and gzipped, against the install limits),
 * the embedded app, and instructions (IC cost model, instrumented host) per asset request,
 * for the fallback and for install and upgrade.
 *
 *   npx tsx canisters/frontend/bench/frontend.bench.ts [--json]
 */
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

import { PROJECT_ROOT } from '@repro-registry/deploy';
import { readAssets } from '../scripts/assets';
import { FrontendUnderTest, REGISTRY, frontendWasm } from '../test/harness';

const json = process.argv.includes('--json');
const wasm = await frontendWasm();
const files = await readAssets(join(PROJECT_ROOT, 'frontend', 'dist'));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const canister = await FrontendUnderTest.start({ instrumented: true });
const instructionsOf = (entry: string): number =>
  sum(canister.executions.filter((e) => e.entry === entry).map((e) => Number(e.instructions)));
const installInstructions = instructionsOf('canister_init');
const requests: { url: string; encoding: string; bytes: number; instructions: number }[] = [];
for (const file of [...files].sort((a, b) =>
  a.path === '/index.html' ? -1 : a.path.localeCompare(b.path),
)) {
  for (const encoding of ['identity', 'gzip', 'br'] as const) {
    if (encoding !== 'identity' && file[encoding] === null) continue;
    const headers: [string, string][] =
      encoding === 'identity' ? [] : [['accept-encoding', encoding]];
    const r = await canister.get(file.path, headers);
    requests.push({
      url: file.path,
      encoding,
      bytes: r.body.length,
      instructions: Number(r.instructions),
    });
  }
}
const fallback = await canister.get('/proposal/900001', [['accept-encoding', 'gzip, br']]);
const config = await canister.get('/config.json');
await canister.install({ registry_canister_id: REGISTRY, network: 'ic' });
const upgradeInstructions = instructionsOf('canister_post_upgrade');

const figures = {
  wasmBytes: wasm.length,
  wasmGzipBytes: gzipSync(wasm, { level: 9 }).length,
  installMessageLimitBytes: 2 * 1024 * 1024,
  app: {
    files: files.length,
    identityBytes: sum(files.map((f) => f.identity.length)),
    gzipBytes: sum(files.map((f) => (f.gzip ?? f.identity).length)),
    brotliBytes: sum(files.map((f) => (f.br ?? f.identity).length)),
  },
  requests,
  fallbackInstructions: Number(fallback.instructions),
  configInstructions: Number(config.instructions),
  installInstructions,
  upgradeInstructions,
};
if (json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  const m = (n: number): string => `${(n / 1e6).toFixed(2)} M`;
  console.log(
    `wasm: ${figures.wasmBytes} bytes (${figures.wasmGzipBytes} gzipped); one install message holds ${figures.installMessageLimitBytes}`,
  );
  console.log(
    `app: ${figures.app.files} files, ${figures.app.identityBytes} bytes (${figures.app.gzipBytes} gzip, ${figures.app.brotliBytes} br as served)`,
  );
  console.log('\ninstructions per request (goal for index.html: <= 5 M)');
  for (const r of requests) {
    console.log(
      `  ${r.url.padEnd(48)} ${r.encoding.padEnd(9)} ${String(r.bytes).padStart(8)} B  ${m(r.instructions)}`,
    );
  }
  console.log(
    `  fallback (/proposal/900001, br)                          ${m(figures.fallbackInstructions)}`,
  );
  console.log(
    `  /config.json                                             ${m(figures.configInstructions)}`,
  );
  console.log(
    `\ninstall: ${m(figures.installInstructions)}, upgrade: ${m(figures.upgradeInstructions)} (limit 300,000 M)`,
  );
}
