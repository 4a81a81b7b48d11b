/**
 * Runs a local network in its own process (for crash tests): prints one JSON line
 * `{ url, port, rootKeyHex, readyMs }` when ready, then serves until killed.
 *
 *   node --import tsx test/support/network-child.ts <state dir>
 */
import { startLocalNetwork } from '@repro-registry/local-network';

const stateDir = process.argv[2];
if (!stateDir) {
  console.error('usage: network-child.ts <state dir>');
  process.exit(2);
}
const network = await startLocalNetwork({ stateDir, canisterLog: () => {} });
process.stdout.write(
  JSON.stringify({
    url: network.url,
    port: network.port,
    rootKeyHex: Buffer.from(network.rootKey).toString('hex'),
    readyMs: network.readyMs,
  }) + '\n',
);
process.on('SIGTERM', () => {
  void network.stop().then(() => process.exit(0));
});
