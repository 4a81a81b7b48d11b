/**
 * Starts the project's local Internet Computer, deploys the canisters and serves the frontend.
 *
 *   npm start [-- --port 4943 --state-dir .state --clean]
 *   (also REPRO_NETWORK_PORT, REPRO_STATE_DIR)
 *
 * - The network listens on 127.0.0.1:<port> (dfx's default 4943); its state (keys, canisters,
 *   stable memory) lives in the state directory and survives restarts and crashes.
 * - Canisters of dfx.json with a wasm are built when missing and deployed with the same code as
 *   `npm run deploy` (upgraded when their module changed).
 * - `http://127.0.0.1:<port>/` serves `frontend/dist` when it exists (with `/env.json` giving the
 *   canister ids), otherwise — or when the frontend fails to build — a page that says so.
 * - Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
 */
import { startLocalNetwork, staticSite, type LocalNetwork } from '@repro-registry/local-network';
import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

import {
  PROJECT_ROOT,
  deploy,
  ensureCanisterBuilt,
  newestMtime,
  type DeployResult,
} from '@repro-registry/deploy';
import { FRONTEND_CANISTER_SOURCES } from '../canisters/frontend/scripts/assets';

/** The page `/` shows while the frontend is not built (or could not be). */
function placeholderPage(args: { env: Record<string, string>; port: number; why: string }): string {
  const ids: Record<string, string> = {};
  for (const [k, v] of Object.entries(args.env)) {
    if (k.startsWith('CANISTER_ID_')) ids[k.slice('CANISTER_ID_'.length).toLowerCase()] = v;
  }
  const port = args.port;
  const registry = ids.registry;
  const api = registry ? `http://${registry}.localhost:${port}/api/v1/proposals` : undefined;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>repro-registry (local)</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>repro-registry — local network</h1>
<p>${args.why}</p>
${api ? `<p>The registry canister's JSON API: <a href="${api}">${api}</a></p>` : '<p>The registry canister is not deployed.</p>'}
<p>Canister ids: <code>${JSON.stringify(ids)}</code> (also at <a href="/env.json">/env.json</a>).</p>
</body></html>
`;
}

export interface StartOptions {
  port?: number;
  stateDir?: string;
  clean?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds the canisters whose sources changed since their wasm was built (a fresh clone has
 * none) and the frontend when it has no build yet: `npm start` runs what the checkout says.
 */
async function buildWhatIsStale(
  log: (line: string) => void,
): Promise<{ frontend: 'ok' | 'failed' }> {
  await ensureCanisterBuilt('governance', ['canisters/governance/src', 'packages/proposals/src']);
  await ensureCanisterBuilt('registry', [
    'canisters/registry/src',
    'packages/attestation/src',
    'packages/proposals/src',
    'packages/certification/src',
    'packages/transparency-log/src',
  ]);
  await ensureCanisterBuilt('consumer', ['examples/consumer/src']);
  // The frontend canister embeds the built app (its build builds frontend/dist too).
  await ensureCanisterBuilt('frontend', FRONTEND_CANISTER_SOURCES);
  const builtAt = await stat(join(PROJECT_ROOT, 'frontend', 'dist', 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = await Promise.all(
    ['frontend/src', 'frontend/index.html', 'packages/attestation/src', 'packages/client/src'].map(
      (d) => newestMtime(join(PROJECT_ROOT, d)).catch(() => 0),
    ),
  );
  if (builtAt === 0 || Math.max(...sources) > builtAt) {
    log('Building the frontend (frontend/dist)…');
    const built = spawnSync('npm', ['run', 'build', '--silent', '-w', 'frontend'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    // The network, the canisters and their APIs work without it: serve the placeholder page.
    if (built.status !== 0) {
      log('The frontend could not be built (see above): http://127.0.0.1:<port>/ shows why.');
      return { frontend: 'failed' };
    }
  }
  return { frontend: 'ok' };
}

export async function start(
  options: StartOptions = {},
): Promise<{ network: LocalNetwork; deployed: DeployResult }> {
  const started = performance.now();
  const log = options.log ?? ((l: string) => console.log(l));
  const stateDir = resolve(PROJECT_ROOT, options.stateDir ?? '.state');
  if (options.clean) {
    // A clean network has none of the old canisters: forget their ids too.
    await rm(join(stateDir, 'canister_ids.json'), { force: true });
  }
  const built = await buildWhatIsStale(log);
  let env: Record<string, string> = {};
  let port = 0;
  const network = await startLocalNetwork({
    port: options.port ?? 4943,
    stateDir,
    clean: options.clean,
    log,
    fallback: staticSite({
      distDir: join(PROJECT_ROOT, 'frontend', 'dist'),
      env: () => env,
      placeholder: () =>
        placeholderPage({
          env,
          port,
          why:
            built.frontend === 'failed'
              ? 'The frontend could not be built: the build printed why where <code>npm start</code> runs.'
              : 'The frontend is not built yet (<code>frontend/dist</code> does not exist). Build it and reload this page.',
        }),
      usePlaceholder: () => built.frontend === 'failed',
    }),
  });
  port = network.port;
  try {
    const deployStarted = performance.now();
    const deployed = await deploy({ network: 'local', url: network.url, stateDir, log });
    const deployMs = performance.now() - deployStarted;
    env = { DFX_NETWORK: 'local', IC_HOST: network.url };
    for (const c of deployed.canisters) env[`CANISTER_ID_${c.name.toUpperCase()}`] = c.canisterId;
    const readyMs = performance.now() - started;
    const registry = deployed.canisters.find((c) => c.name === 'registry');
    log('');
    log(
      `Local network ready in ${readyMs.toFixed(0)} ms (network ${network.readyMs.toFixed(0)} ms, deploy ${deployMs.toFixed(0)} ms; state: ${stateDir})`,
    );
    log(`  IC HTTP interface:  ${network.url}  (root key from ${network.url}/api/v2/status)`);
    if (registry) {
      log(`  Registry canister:  ${registry.canisterId}`);
      log(
        `  Registry JSON API:  http://${registry.canisterId}.localhost:${network.port}/api/v1/proposals`,
      );
    }
    log(`  Frontend:           http://127.0.0.1:${network.port}/`);
    log('Press Ctrl-C to stop.');
    return { network, deployed };
  } catch (e) {
    await network.stop();
    throw e;
  }
}

function parseArgs(argv: string[]): StartOptions {
  const opts: StartOptions = {};
  const envPort = process.env.REPRO_NETWORK_PORT;
  if (envPort) opts.port = Number(envPort);
  if (process.env.REPRO_STATE_DIR) opts.stateDir = process.env.REPRO_STATE_DIR;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--state-dir') opts.stateDir = argv[++i];
    else if (a === '--clean') opts.clean = true;
    else throw new Error(`unknown option ${a} (use --port, --state-dir, --clean)`);
  }
  if (
    opts.port !== undefined &&
    !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port < 65536)
  ) {
    throw new Error('--port must be a TCP port number');
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let running: LocalNetwork | undefined;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local network…`);
    void (running?.stop() ?? Promise.resolve()).then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`stop failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    running = (await start(parseArgs(process.argv.slice(2)))).network;
  } catch (e) {
    console.error(`start failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
