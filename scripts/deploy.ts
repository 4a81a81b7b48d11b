/**
 * `npm run deploy`: deploys the dfx.json canisters with `@repro-registry/deploy`.
 *
 *   npm run deploy [-- --network local|ic|<name>|<url>] [--mode auto|install|reinstall|upgrade]
 *                  [--identity <pem>] [--state-dir .state] [--url <url>] [--no-env] [<canister>...]
 */
import { deploy, type DeployMode, type DeployOptions } from '@repro-registry/deploy';

function parseArgs(argv: string[]): DeployOptions {
  const opts: DeployOptions = { canisters: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--network') opts.network = value();
    else if (a === '--mode') {
      const m = value();
      if (!['auto', 'install', 'reinstall', 'upgrade'].includes(m))
        throw new Error(`--mode must be auto, install, reinstall or upgrade`);
      opts.mode = m as DeployMode;
    } else if (a === '--identity') opts.identityPem = value();
    else if (a === '--state-dir') opts.stateDir = value();
    else if (a === '--url') opts.url = value();
    else if (a === '--no-env') opts.writeEnv = false;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.canisters!.push(a);
  }
  if (opts.canisters!.length === 0) delete opts.canisters;
  return opts;
}

try {
  const result = await deploy(parseArgs(process.argv.slice(2)));
  for (const c of result.canisters) console.log(`${c.name}: ${c.canisterId} (${c.action})`);
} catch (e) {
  console.error(`deploy failed: ${(e as Error).message}`);
  process.exit(1);
}
