/**
 * How the client tells failures apart, through the real agent against the local network: by
 * agent-js's typed errors (reject code, certified or not, trust), with the registry's own code
 * in a structured field — never by reading message text.
 */
import { HttpAgent } from '@dfinity/agent';
import { Principal } from '@dfinity/principal';
import { ErrorCode } from '@repro-registry/registry-api';
import { createRegistryClient } from '@repro-registry/client';
import { describe, expect, it } from 'vitest';

import { localNetwork, rootKey } from '../support/network-context';
import { failureOf } from '../support/registry-call';

const registryId = () => localNetwork().canisterIds['registry'];

/** An id in the registry's range (so the network routes it) that no canister has. */
function unusedCanisterId(): Principal {
  const bytes = Principal.fromText(registryId()).toUint8Array().slice();
  bytes[7] = bytes[7] === 0xfe ? 0xfd : 0xfe;
  return Principal.fromUint8Array(bytes);
}

describe('RegistryCallError (real agent, local network)', () => {
  it("carries the registry's code of a reject by the canister itself", async () => {
    const client = await createRegistryClient({
      host: localNetwork().url,
      canisterId: registryId(),
      fetchRootKey: true,
      retryTimes: 0,
    });
    const failure = await failureOf(() => client.listProposals({ trustList: 987_654_321n }));
    expect(failure.kind).toBe('rejected');
    expect(failure.rejection).toMatchObject({ rejectCode: 4, certified: false });
    expect(failure.code).toBe(ErrorCode.TRUST_LIST_NOT_FOUND);
    expect(failure.registryError?.message).toMatch(/987654321/);
  });

  it('carries the code of an update refused by canister_inspect_message', async () => {
    // The anonymous principal may not submit: refused before the update runs.
    const client = await createRegistryClient({
      host: localNetwork().url,
      canisterId: registryId(),
      fetchRootKey: true,
      retryTimes: 0,
    });
    const failure = await failureOf(() => client.submit(new Uint8Array([0x7b, 0x7d])));
    expect(failure.kind).toBe('rejected');
    expect(failure.rejection?.rejectCode).toBe(5);
    expect(failure.code).toBe(ErrorCode.ANONYMOUS_CALLER);
  });

  it('names no registry code for a reject of the system (no such canister)', async () => {
    const client = await createRegistryClient({
      host: localNetwork().url,
      canisterId: unusedCanisterId(),
      fetchRootKey: true,
      retryTimes: 0,
    });
    const failure = await failureOf(() => client.getRegistryInfo());
    expect(failure.kind).toBe('rejected');
    expect(failure.rejection?.rejectCode).toBe(3);
    expect(failure.code).toBeNull();
  });

  it("is 'untrusted' when the answer does not verify against the root key", async () => {
    const wrongKey = rootKey().slice();
    wrongKey[wrongKey.length - 1] ^= 1;
    const agent = await HttpAgent.create({
      host: localNetwork().url,
      retryTimes: 0,
      rootKey: wrongKey,
    });
    const client = await createRegistryClient({
      host: localNetwork().url,
      canisterId: registryId(),
      agent,
    });
    const failure = await failureOf(() => client.getRegistryInfo());
    expect(failure.kind).toBe('untrusted');
    expect(failure.code).toBeNull();
  });
});
