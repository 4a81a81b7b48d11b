/**
 * A query's node-signature check: the agent's synchronous JS check (what HttpAgent's
 * #verifyQueryResponse runs: hashOfMap with noble SHA-256, Ed25519 with noble) against the
 * client's (`verifyQuerySignature`: WebCrypto SHA-256 and Ed25519, awaited), in alternating
 * rounds in the same process, on a real Ed25519-signed `replied` answer of each size: median
 * wall time per check. (What a browser's main thread is spared is in the frontend bench's CPU
 * profiles: `npm run bench -w frontend -- --render-only --profile`.)
 *
 *   npx tsx packages/client/bench/query-signature.bench.ts [--json] [--rounds N]
 */
import { generateKeyPairSync, randomFillSync, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import {
  Ed25519PublicKey,
  IC_RESPONSE_DOMAIN_SEPARATOR,
  QueryResponseStatus,
  hashOfMap,
  type ApiQueryResponse,
} from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { ed25519 } from '@noble/curves/ed25519';
import { concatBytes } from '@noble/hashes/utils';

import { nativeQueryCrypto, verifyQuerySignature } from '../src/native-query-agent';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 15;
const SIZES = [10_000, 100_000, 1_400_000];

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
const identity = Principal.selfAuthenticating(der);
const subnet = { subnetId: 'bench', nodeKeys: new Map([[identity.toText(), der]]) };

function signedAnswer(size: number): ApiQueryResponse {
  const arg = randomFillSync(new Uint8Array(size));
  const requestId = randomFillSync(new Uint8Array(32));
  const timestamp = BigInt(Date.now()) * 1_000_000n;
  const hash = hashOfMap({
    status: 'replied',
    reply: { arg },
    timestamp,
    request_id: requestId,
  });
  const signature = sign(null, concatBytes(IC_RESPONSE_DOMAIN_SEPARATOR, hash), privateKey);
  return {
    status: QueryResponseStatus.Replied,
    reply: { arg },
    signatures: [
      { timestamp, signature: new Uint8Array(signature), identity: identity.toUint8Array() },
    ],
    requestId: requestId as ApiQueryResponse['requestId'],
    httpDetails: { ok: true, status: 200, statusText: 'OK', headers: [] },
  };
}

/** What the agent's #verifyQueryResponse does for a `replied` answer (agent 3.4.3). */
function agentCheck(response: ApiQueryResponse): void {
  if (response.status !== QueryResponseStatus.Replied) throw new Error('replied only');
  const sig = response.signatures![0];
  const hash = hashOfMap({
    status: response.status,
    reply: response.reply,
    timestamp: BigInt(sig.timestamp),
    request_id: response.requestId,
  });
  const pubKey = subnet.nodeKeys.get(Principal.fromUint8Array(sig.identity).toText())!;
  const rawKey = Ed25519PublicKey.fromDer(pubKey).rawKey;
  const message = concatBytes(IC_RESPONSE_DOMAIN_SEPARATOR, hash);
  if (!ed25519.verify(sig.signature, message, rawKey)) throw new Error('agent: invalid');
}

/** Milliseconds of one run. */
async function measure(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const crypto = await nativeQueryCrypto();
if (crypto === null) throw new Error('no WebCrypto SHA-256 and Ed25519 in this Node');

const results = [];
for (const size of SIZES) {
  const response = signedAnswer(size);
  // Warm both (noble's tables, WebCrypto's first import).
  agentCheck(response);
  await verifyQuerySignature(response, subnet, crypto);
  const agent: number[] = [];
  const native: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [into, run] of [
      [agent, () => agentCheck(response)],
      [native, () => verifyQuerySignature(response, subnet, crypto)],
    ] as const) {
      into.push(await measure(run));
    }
  }
  results.push({
    replyBytes: size,
    agentMs: median(agent),
    nativeMs: median(native),
  });
}

if (asJson) {
  console.log(JSON.stringify({ rounds, results }, null, 2));
} else {
  console.log(`query node-signature check, median of ${rounds} alternating rounds (ms)`);
  console.log('reply bytes   agent (sync JS)   native (WebCrypto)');
  for (const r of results) {
    const cells = [r.agentMs.toFixed(2).padStart(15), r.nativeMs.toFixed(2).padStart(18)];
    console.log(`${String(r.replyBytes).padStart(11)}   ${cells.join('   ')}`);
  }
}
