/**
 * Starts the project's local Internet Computer, deploys the canisters and serves the frontend.
 *
 *   npm start [-- --port 4943 --state-dir .state --clean]
 *   (also REPRO_NETWORK_PORT, REPRO_STATE_DIR)
 *
 * - The network listens on 127.0.0.1:<port> (dfx's default 4943); its state (keys, canisters,
 *   stable memory) lives in the state directory and survives restarts and crashes.
 * - Canisters of dfx.json with a wasm are built when their sources changed and deployed with the
 *   same code as `npm run deploy` (upgraded when their module changed). The frontend canister
 *   embeds the built app, so the page is served as on mainnet: by the canister, through the
 *   gateway, its certification verified (`http://<frontend-id>.localhost:<port>/`).
 * - `http://127.0.0.1:<port>/` redirects there (a convenience); while the frontend canister could
 *   not be built or deployed, it shows a page that says why.
 * - Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
 */
import { startLocalNetwork, type LocalNetwork } from '@repro-registry/local-network';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  PROJECT_ROOT,
  deploy,
  ensureCanisterBuilt,
  readDfxJson,
  type DeployResult,
} from '@repro-registry/deploy';

/** The page `/` shows while there is no frontend canister to redirect to. */
function placeholderPage(args: { canisterIds: Record<string, string>; port: number }): string {
  const registry = args.canisterIds.registry;
  const api = registry ? `http://${registry}.localhost:${args.port}/api/v1/proposals` : undefined;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>repro-registry (local)</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>
<h1>repro-registry — local network</h1>
<p>The frontend canister could not be built or deployed: <code>npm start</code> printed why where it runs. Fix it and start again.</p>
${api ? `<p>The registry canister's JSON API: <a href="${api}">${api}</a></p>` : '<p>The registry canister is not deployed.</p>'}
<p>Canister ids: <code>${JSON.stringify(args.canisterIds)}</code></p>
</body></html>
`;
}

/**
 * What `http://127.0.0.1:<port>/…` answers (requests that address no canister): a redirect to
 * the same path on the frontend canister's gateway host, or the placeholder page.
 */
function frontendRedirect(site: {
  frontendId: () => string | undefined;
  placeholder: () => string;
}): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const frontendId = site.frontendId();
    if (frontendId === undefined) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : site.placeholder());
      return true;
    }
    const port = /:(\d+)$/.exec(req.headers.host ?? '')?.[1];
    const target = `http://${frontendId}.localhost${port ? `:${port}` : ''}${req.url ?? '/'}`;
    // 307: the address of the page is the canister's; this host only points there.
    res.writeHead(307, { location: target, 'cache-control': 'no-store' });
    res.end();
    return true;
  };
}

export interface StartOptions {
  port?: number;
  stateDir?: string;
  clean?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds the canisters whose sources changed since their wasm was built (a fresh clone has
 * none): `npm start` runs what the checkout says. The frontend canister's build builds the app
 * (frontend/dist) too; when it fails, everything else still starts.
 */
async function buildWhatIsStale(
  log: (line: string) => void,
): Promise<{ frontend: 'ok' | 'failed' }> {
  await ensureCanisterBuilt('governance');
  await ensureCanisterBuilt('registry');
  await ensureCanisterBuilt('consumer');
  try {
    await ensureCanisterBuilt('frontend');
    return { frontend: 'ok' };
  } catch (e) {
    log(`The frontend canister could not be built: ${(e as Error).message}`);
    return { frontend: 'failed' };
  }
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
  const canisterIds: Record<string, string> = {};
  let port = 0;
  const network = await startLocalNetwork({
    port: options.port ?? 4943,
    stateDir,
    clean: options.clean,
    log,
    fallback: frontendRedirect({
      frontendId: () => (built.frontend === 'ok' ? canisterIds.frontend : undefined),
      placeholder: () => placeholderPage({ canisterIds, port }),
    }),
  });
  port = network.port;
  try {
    const deployStarted = performance.now();
    const deployed = await deploy({
      network: 'local',
      url: network.url,
      stateDir,
      log,
      // A frontend that failed to build is not deployed from an older wasm.
      ...(built.frontend === 'failed'
        ? {
            canisters: Object.keys((await readDfxJson()).canisters).filter((n) => n !== 'frontend'),
          }
        : {}),
    });
    const deployMs = performance.now() - deployStarted;
    for (const c of deployed.canisters) canisterIds[c.name] = c.canisterId;
    const readyMs = performance.now() - started;
    log('');
    log(
      `Local network ready in ${readyMs.toFixed(0)} ms (network ${network.readyMs.toFixed(0)} ms, deploy ${deployMs.toFixed(0)} ms; state: ${stateDir})`,
    );
    log(`  IC HTTP interface:  ${network.url}  (root key from ${network.url}/api/v2/status)`);
    if (canisterIds.registry) {
      log(`  Registry canister:  ${canisterIds.registry}`);
      const registry = `${canisterIds.registry}.localhost:${network.port}`;
      const raw = `${canisterIds.registry}.raw.localhost:${network.port}`;
      // Certified (verified by the gateway) on <id>.localhost; raw skips verification.
      log(`  Registry JSON API:  http://${registry}/api/v1/proposals`);
      log(`                      (uncertified: http://${raw}/api/v1/proposals)`);
      log(`  Badges:             http://${registry}/badge/<proposal id>.svg`);
    }
    if (canisterIds.frontend && built.frontend === 'ok') {
      log(`  Frontend:           http://${canisterIds.frontend}.localhost:${network.port}/`);
      log(`                      (http://127.0.0.1:${network.port}/ redirects there)`);
    } else {
      log(
        `  Frontend:           not deployed (see above); http://127.0.0.1:${network.port}/ says why`,
      );
    }
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
