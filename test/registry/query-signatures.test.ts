/**
 * The client's native (WebCrypto) check of query node signatures, against the real local
 * network and side by side with the agent's own check: real answers (replied and rejected) pass,
 * and a node answering with a changed reply or reject, a changed signature, an unknown node id,
 * a stale (but validly signed) timestamp or no signature is refused by both with the same error
 * class and code — and classified `untrusted`, never as a network failure.
 */
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';

import type { AgentError } from '@dfinity/agent';
import {
  CertificateOutdatedErrorCode,
  HttpAgent,
  MalformedPublicKeyErrorCode,
  MalformedSignatureErrorCode,
  ProtocolError,
  QuerySignatureVerificationFailedErrorCode,
  TrustError,
} from '@dfinity/agent';
import {
  NativeQueryAgent,
  createQueryCheckingAgent,
  createRegistryClient,
  nativeQueryCrypto,
  type QueryCrypto,
  type RegistryClient,
} from '@repro-registry/client';
import {
  decodeCbor,
  encodeCbor,
  hashOfMap,
  requestIdOf,
  selfAuthenticatingPrincipal,
  type CborMap,
  type CborValue,
} from '@repro-registry/local-network';
import { beforeAll, describe, expect, it } from 'vitest';

import { isCborMap, nodeKeyOf, queryContent } from '../support/lying-node';
import { localNetwork } from '../support/network-context';
import { failureOf } from '../support/registry-call';

const RESPONSE_SEPARATOR = Uint8Array.of(11, ...new TextEncoder().encode('ic-response'));
const UNKNOWN_TRUST_LIST = 987_654_321n;

type Signature = { timestamp: bigint; signature: Uint8Array; identity: Uint8Array };

/** Changes a query answer (decoded CBOR) as a lying node would; null leaves it as it is. */
type Alter = (answer: CborMap, content: CborMap) => CborMap | null;

/** The answer signed again with `key` as node `identity` at `timestamp`. */
function signed(args: {
  answer: CborMap;
  content: CborMap;
  key: KeyObject;
  identity: Uint8Array;
  timestamp: bigint;
}): CborMap {
  const fields = { ...args.answer };
  delete fields['signatures'];
  const hash = hashOfMap({
    ...fields,
    timestamp: args.timestamp,
    request_id: requestIdOf(args.content),
  });
  const signature = nodeSign(null, Buffer.concat([RESPONSE_SEPARATOR, hash]), args.key);
  return {
    ...fields,
    signatures: [
      { timestamp: args.timestamp, signature: new Uint8Array(signature), identity: args.identity },
    ],
  };
}

function firstSignature(answer: CborMap): Signature {
  return (answer['signatures'] as unknown as Signature[])[0];
}

/** An agent `fetch` through a node that alters query answers; counts the requests it sees. */
function nodeThat(alter: Alter): {
  fetch: typeof fetch;
  queries: () => number;
  readStates: () => number;
} {
  let queries = 0;
  let readStates = 0;
  const node: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (/\/read_state$/.test(url)) readStates++;
    const response = await fetch(input, init);
    const body = init?.body;
    if (!/\/canister\/[^/]+\/query$/.test(url) || !(body instanceof Uint8Array)) return response;
    queries++;
    const answerBody = new Uint8Array(await response.arrayBuffer());
    const changed = alter(decodeCbor(answerBody) as CborMap, queryContent(body));
    return new Response(new Uint8Array(changed === null ? answerBody : encodeCbor(changed)), {
      status: response.status,
      headers: response.headers,
    });
  };
  return { fetch: node, queries: () => queries, readStates: () => readStates };
}

const checks = {
  native: (options: ConstructorParameters<typeof HttpAgent>[0]) =>
    createQueryCheckingAgent(options!),
  agent: (options: ConstructorParameters<typeof HttpAgent>[0]) => HttpAgent.create(options),
};

async function clientThrough(
  check: keyof typeof checks,
  node: { fetch: typeof fetch },
  retryTimes = 0,
): Promise<RegistryClient> {
  const { url, canisterIds, rootKeyHex } = localNetwork();
  const agent = await checks[check]({
    host: url,
    fetch: node.fetch,
    rootKey: Uint8Array.from(Buffer.from(rootKeyHex, 'hex')),
    retryTimes,
  });
  expect(agent instanceof NativeQueryAgent).toBe(check === 'native');
  return createRegistryClient({ host: url, canisterId: canisterIds['registry'], agent });
}

describe('query node signatures checked natively (real agent, local network)', () => {
  let nodeKey: KeyObject;

  beforeAll(async () => {
    nodeKey = await nodeKeyOf(localNetwork().stateDir);
  });

  it('passes real answers, replied and rejected, as the agent does', async () => {
    const honest = nodeThat(() => null);
    const [native, agent] = [
      await clientThrough('native', honest),
      await clientThrough('agent', honest),
    ];
    const [a, b] = [await native.getRegistryInfo(), await agent.getRegistryInfo()];
    expect({ ...a, cycles: 0n }).toEqual({ ...b, cycles: 0n });
    for (const client of [native, agent]) {
      const failure = await failureOf(() =>
        client.listProposals({ trustList: UNKNOWN_TRUST_LIST }),
      );
      expect(failure.kind).toBe('rejected');
      expect(failure.rejection).toMatchObject({ rejectCode: 4, certified: false });
    }
  });

  const lies: Record<
    string,
    {
      alter: () => Alter;
      error: typeof TrustError | typeof ProtocolError;
      code: abstract new (...args: never[]) => object;
      rejected?: boolean;
    }
  > = {
    'a changed reply byte': {
      alter: () => (answer) => {
        const reply = answer['reply'];
        if (!isCborMap(reply)) return null;
        const arg = (reply['arg'] as Uint8Array).slice();
        arg[arg.length - 1] ^= 1;
        return { ...answer, reply: { ...reply, arg } };
      },
      error: TrustError,
      code: QuerySignatureVerificationFailedErrorCode,
    },
    'a changed reject message': {
      alter: () => (answer) => ({
        ...answer,
        reject_message: `${answer['reject_message'] as string} (or so)`,
      }),
      error: TrustError,
      code: QuerySignatureVerificationFailedErrorCode,
      rejected: true,
    },
    'a changed signature': {
      alter: () => (answer) => {
        const sig = firstSignature(answer);
        const signature = new Uint8Array(sig.signature);
        signature[10] ^= 1;
        return { ...answer, signatures: [{ ...sig, signature }] as unknown as CborValue };
      },
      error: TrustError,
      code: QuerySignatureVerificationFailedErrorCode,
    },
    'a node that is not in the subnet (validly signed)': {
      alter: () => {
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
        const identity = selfAuthenticatingPrincipal(der);
        return (answer, content) =>
          signed({
            answer,
            content,
            key: privateKey,
            identity,
            timestamp: firstSignature(answer).timestamp,
          });
      },
      error: ProtocolError,
      code: MalformedPublicKeyErrorCode,
    },
    'a stale timestamp (signed by the subnet’s node)': {
      alter: () => (answer, content) => {
        const sig = firstSignature(answer);
        const sixMinutesNs = 6n * 60n * 1_000_000_000n;
        const timestamp = BigInt(sig.timestamp) - sixMinutesNs;
        return signed({ answer, content, key: nodeKey, identity: sig.identity, timestamp });
      },
      error: TrustError,
      code: CertificateOutdatedErrorCode,
    },
    'no signature': {
      alter: () => (answer) => ({ ...answer, signatures: [] }),
      error: ProtocolError,
      code: MalformedSignatureErrorCode,
    },
  };

  for (const [lie, { alter, error, code, rejected }] of Object.entries(lies)) {
    it(`refuses ${lie} like the agent, as untrusted`, async () => {
      const refusals = [];
      for (const check of ['native', 'agent'] as const) {
        const node = nodeThat(alter());
        const client = await clientThrough(check, node);
        const failure = await failureOf(() =>
          rejected
            ? client.listProposals({ trustList: UNKNOWN_TRUST_LIST })
            : client.getRegistryInfo(),
        );
        expect(failure.kind, check).toBe('untrusted');
        expect(failure.cause, check).toBeInstanceOf(error);
        expect((failure.cause as AgentError).code, check).toBeInstanceOf(code);
        refusals.push({ queries: node.queries(), readStates: node.readStates() });
      }
      // The same requests: a signature check that fails is tried again with freshly read keys.
      expect(refusals[0]).toEqual(refusals[1]);
    });
  }

  it('checks with the native primitives; what they refuse, the agent’s own check decides', async () => {
    const native = (await nativeQueryCrypto())!;
    let nativeChecks = 0;
    // WebCrypto's real answer is discarded: as if it refused every signature.
    const refusing: QueryCrypto = {
      sha256: native.sha256,
      ed25519: async (args) => {
        nativeChecks++;
        await native.ed25519(args);
        return false;
      },
    };
    const { url, canisterIds, rootKeyHex } = localNetwork();
    const clientWith = async (node: { fetch: typeof fetch }) =>
      createRegistryClient({
        host: url,
        canisterId: canisterIds['registry'],
        agent: await NativeQueryAgent.createNative({
          host: url,
          fetch: node.fetch,
          rootKey: Uint8Array.from(Buffer.from(rootKeyHex, 'hex')),
          retryTimes: 0,
          queryCrypto: refusing,
        }),
      });
    const honest = await clientWith(nodeThat(() => null));
    expect((await honest.getRegistryInfo()).version).toEqual(expect.any(String));
    expect(nativeChecks).toBe(1);
    const lying = await clientWith(nodeThat(lies['a changed signature'].alter()));
    const failure = await failureOf(() => lying.getRegistryInfo());
    expect(failure.kind).toBe('untrusted');
    expect((failure.cause as AgentError).code).toBeInstanceOf(
      QuerySignatureVerificationFailedErrorCode,
    );
  });

  it('asks a stale answer again (retryTimes) and takes the fresh one, like the agent', async () => {
    for (const check of ['native', 'agent'] as const) {
      let stale = 1;
      const stale6Minutes = lies['a stale timestamp (signed by the subnet’s node)'].alter();
      const node = nodeThat((answer, content) =>
        stale-- > 0 ? stale6Minutes(answer, content) : null,
      );
      const client = await clientThrough(check, node, 1);
      expect((await client.getRegistryInfo()).version, check).toBeDefined();
      expect(node.queries(), check).toBe(2);
    }
  });
});
