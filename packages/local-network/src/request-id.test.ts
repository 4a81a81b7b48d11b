import { requestIdOf as agentRequestId } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor, type CborMap } from './cbor';
import { toHex, utf8 } from './encoding';
import { hashOfMap } from './request-id';

describe('hashOfMap', () => {
  it('matches the worked example of the interface specification', () => {
    const id = hashOfMap({
      request_type: 'call',
      sender: Uint8Array.of(0x04),
      ingress_expiry: 1685570400000000000n,
      canister_id: Uint8Array.of(0, 0, 0, 0, 0, 0, 0x04, 0xd2),
      method_name: 'hello',
      arg: Uint8Array.of(0x44, 0x49, 0x44, 0x4c, 0x00, 0xfd, 0x2a),
    });
    expect(toHex(id)).toBe('1d1091364d6bb8a6c16b203ee75467d59ead468f523eb058880ae8ec80e2b101');
  });

  it('gives the id the agent computes, after a CBOR round trip (number vs bigint)', () => {
    const content = {
      request_type: 'query',
      canister_id: Principal.fromText('bkyz2-fmaaa-aaaaa-qaaaq-cai'),
      method_name: 'greet',
      arg: Uint8Array.of(1, 2, 3),
      sender: Principal.anonymous(),
      ingress_expiry: 1_800_000_000_000_000_000n,
      nonce: Uint8Array.of(9, 9),
      paths: [[utf8('time')], [utf8('request_status'), Uint8Array.of(1)]],
      small: 5,
    };
    const decoded = decodeCbor(
      encodeCbor({
        ...content,
        canister_id: content.canister_id.toUint8Array(),
        sender: content.sender.toUint8Array(),
      }),
    ) as CborMap;
    expect(toHex(hashOfMap(decoded))).toBe(toHex(agentRequestId(content)));
  });

  it('hashes negative integers as signed LEB128', () => {
    expect(hashOfMap({ a: -123456 })).not.toEqual(hashOfMap({ a: 123456 }));
  });
});
