/**
 * Hand-built requests for what `@dfinity/agent` does not send (v4 calls, v3 queries and
 * read_state, tampered or expired envelopes): signed by a real identity, encoded with the
 * agent's CBOR, posted with fetch.
 */
import {
  Cbor,
  Expiry,
  requestIdOf,
  type Identity,
  type RequestId,
  type SignIdentity,
} from '@dfinity/agent';
import type { Principal } from '@dfinity/principal';
import { localNetwork } from './network-context';

export interface CallContent {
  request_type: 'call' | 'query';
  canister_id: Principal;
  method_name: string;
  arg: Uint8Array;
  sender: Principal;
  ingress_expiry: Expiry;
  nonce?: Uint8Array;
}

export function callContent(args: {
  identity: Identity;
  canisterId: Principal;
  method: string;
  arg: Uint8Array;
  type?: 'call' | 'query';
  expiryDeltaMs?: number;
}): CallContent {
  return {
    request_type: args.type ?? 'call',
    canister_id: args.canisterId,
    method_name: args.method,
    arg: args.arg,
    sender: args.identity.getPrincipal(),
    ingress_expiry: Expiry.fromDeltaInMilliseconds(args.expiryDeltaMs ?? 120_000, 0),
    nonce: crypto.getRandomValues(new Uint8Array(16)),
  };
}

export function readStateContent(args: {
  identity: Identity;
  paths: Uint8Array[][];
  expiryDeltaMs?: number;
}): Record<string, unknown> {
  return {
    request_type: 'read_state',
    paths: args.paths,
    sender: args.identity.getPrincipal(),
    ingress_expiry: Expiry.fromDeltaInMilliseconds(args.expiryDeltaMs ?? 120_000, 0),
  };
}

/** The signed envelope `{ content, sender_pubkey, sender_sig[, sender_delegation] }`. */
export async function envelope(
  identity: Identity,
  content: Record<string, unknown> | CallContent,
): Promise<{ body: Record<string, unknown>; requestId: RequestId }> {
  const transformed = (await identity.transformRequest({
    request: {},
    endpoint: 'call',
    body: content,
  } as never)) as { body: Record<string, unknown> };
  return { body: transformed.body, requestId: requestIdOf(content as Record<string, unknown>) };
}

export async function post(
  path: string,
  body: unknown,
): Promise<{ status: number; bytes: Uint8Array; text: string }> {
  const res = await fetch(new URL(path, localNetwork().url), {
    method: 'POST',
    headers: { 'content-type': 'application/cbor' },
    body: Buffer.from(Cbor.encode(body as never)),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, bytes, text: new TextDecoder().decode(bytes) };
}

export function decode<T>(bytes: Uint8Array): T {
  return Cbor.decode<T>(bytes);
}

export type { SignIdentity };
