/**
 * A replica node that lies: it takes the network's real answer to a query, alters the reply and
 * signs the result with its node key like any honest answer (the key is in the local network's
 * state directory). The agent accepts it — the node signature is valid — so only what the
 * answer proves by itself (a certificate and witness, builders' signatures) can catch it.
 * Used by the browser tests (through a page route) and by the client's tests (through the
 * agent's `fetch`).
 */
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  decodeCbor,
  encodeCbor,
  hashOfMap,
  requestIdOf,
  type CborMap,
  type CborValue,
} from '@repro-registry/local-network';

const RESPONSE_SEPARATOR = Uint8Array.of(11, ...new TextEncoder().encode('ic-response'));

export function isCborMap(v: CborValue): v is CborMap {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

export async function nodeKeyOf(stateDir: string): Promise<KeyObject> {
  const keys = JSON.parse(
    await readFile(join(stateDir, 'network', 'network-keys.json'), 'utf8'),
  ) as { node: string };
  return createPrivateKey({ key: Buffer.from(keys.node, 'hex'), format: 'der', type: 'pkcs8' });
}

/** A query's content (method, canister, argument) from the request body the agent sent. */
export function queryContent(requestBody: Uint8Array): CborMap {
  return (decodeCbor(requestBody) as CborMap)['content'] as CborMap;
}

/**
 * The reply bytes (Candid) of a `replied` query answer, or null for any other answer (a
 * reject passes through unaltered).
 */
export function repliedArg(answerBody: Uint8Array): Uint8Array | null {
  const answer = decodeCbor(answerBody) as CborMap;
  const reply = answer['reply'];
  if (answer['status'] !== 'replied' || !isCborMap(reply)) return null;
  return new Uint8Array(reply['arg'] as Uint8Array);
}

/** The answer `answerBody` with its reply replaced by `arg`, signed again by the node. */
export function resignedAnswer(args: {
  nodeKey: KeyObject;
  content: CborMap;
  answerBody: Uint8Array;
  arg: Uint8Array;
}): Uint8Array {
  const answer = decodeCbor(args.answerBody) as CborMap;
  const signatures = answer['signatures'] as CborMap[];
  const timestamp = signatures[0]['timestamp'];
  const signed = { status: 'replied', reply: { arg: args.arg } } as Record<string, CborValue>;
  const hash = hashOfMap({ ...signed, timestamp, request_id: requestIdOf(args.content) });
  const signature = new Uint8Array(
    nodeSign(null, Buffer.concat([RESPONSE_SEPARATOR, hash]), args.nodeKey),
  );
  return encodeCbor({ ...signed, signatures: [{ ...signatures[0], timestamp, signature }] });
}
