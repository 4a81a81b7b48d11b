import { hashOfMap } from '@dfinity/agent';
import { describe, expect, it } from 'vitest';

import { nativeQueryCrypto } from './native-query-agent';
import { hashOfMapAsync } from './response-hash';

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB at a time.
  for (let at = 0; at < length; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(length, at + 65_536)));
  }
  return bytes;
}

const requestId = randomBytes(32);
const timestamp = 1_764_600_000_123_456_789n;

/** Query responses as the IC signs them (status, reply or reject, timestamp, request id). */
const responses: Record<string, Record<string, unknown>> = {
  'replied, empty reply': {
    status: 'replied',
    reply: { arg: new Uint8Array(0) },
    timestamp,
    request_id: requestId,
  },
  'replied, 1.4 MB reply': {
    status: 'replied',
    reply: { arg: randomBytes(1_400_000) },
    timestamp,
    request_id: requestId,
  },
  'replied, a view into a larger buffer': {
    status: 'replied',
    reply: { arg: randomBytes(1_000).subarray(0, 1_000) },
    timestamp,
    request_id: requestId,
  },
  'rejected, with an error code': {
    status: 'rejected',
    reject_code: 4,
    reject_message: 'TRUST_LIST_NOT_FOUND: no trust list 987654321 — “quoted”',
    error_code: 'IC0406',
    timestamp,
    request_id: requestId,
  },
  'rejected, no error code (left out of the hash)': {
    status: 'rejected',
    reject_code: 5,
    reject_message: '',
    error_code: undefined,
    timestamp,
    request_id: requestId,
  },
  'a number timestamp, nested arrays': {
    status: 'replied',
    reply: { arg: Uint8Array.of(1, 2, 3), extra: [Uint8Array.of(4), 'x', [7n]] },
    timestamp: 1_700_000_000,
    request_id: requestId,
  },
};

describe('hashOfMapAsync (WebCrypto SHA-256)', async () => {
  const native = await nativeQueryCrypto();

  it('has native SHA-256 and Ed25519 in this Node', () => {
    expect(native).not.toBeNull();
  });

  for (const [name, response] of Object.entries(responses)) {
    it(`hashes ${name} exactly as the agent's hashOfMap`, async () => {
      const hash = await hashOfMapAsync(response, native!.sha256);
      expect(hash).toEqual(hashOfMap(response));
    });
  }

  it('hashes a different reply differently', async () => {
    const response = responses['replied, 1.4 MB reply'];
    const arg = (response['reply'] as { arg: Uint8Array }).arg.slice();
    arg[700_000] ^= 1;
    const tampered = { ...response, reply: { arg } };
    expect(await hashOfMapAsync(tampered, native!.sha256)).not.toEqual(hashOfMap(response));
  });

  it('refuses what the agent refuses to hash', async () => {
    expect(() => hashOfMap({ x: true })).toThrow();
    await expect(async () => hashOfMapAsync({ x: true }, native!.sha256)).rejects.toThrow(/hash/i);
  });
});
