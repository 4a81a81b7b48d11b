/**
 * A local network in its own process for the benchmarks (clients and network must not share
 * one event loop). Prints `{ url, readyMs }` as one JSON line when ready; SIGTERM stops it.
 *
 *   node --import tsx packages/local-network/bench/network-process.ts <state dir>
 */
import { startLocalNetwork } from '../src/index';

const network = await startLocalNetwork({ stateDir: process.argv[2], canisterLog: () => {} });
process.stdout.write(JSON.stringify({ url: network.url, readyMs: network.readyMs }) + '\n');
process.on('SIGTERM', () => {
  void network.stop().then(() => process.exit(0));
});
