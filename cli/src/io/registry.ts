import type { Identity } from '@dfinity/agent';
import type { Principal } from '@dfinity/principal';
import type * as Client from '@repro-registry/client';
import {
  networkError,
  rejectedError,
  usageError,
  verificationError,
  type CliError,
} from '../core/errors';
import { explainRefusal } from '../core/refusals';
import type { Settings } from './config';

/**
 * The registry as the commands see it: every failure is already a CliError with the right exit
 * code (3 unreachable, 4 rejected with the registry's code, 6 failed verification). The one
 * place that knows the client.
 */
export interface RegistryGateway {
  host: string;
  canisterId: string;
  submit(envelope: Uint8Array): Promise<Client.SubmitReceipt>;
  /** Consensus over everyone, or over one trust list's builders. */
  proposalSummary(proposalId: bigint, trustList?: bigint): Promise<Client.ProposalSummary>;
  listProposals(args: { limit?: number; cursor?: bigint }): Promise<Client.ProposalPage>;
  getAttestation(id: bigint): Promise<Client.Attestation>;
  /** The certified log head (with its certificate), and what a reader needs to check it. */
  checkpoint(): Promise<Client.Checkpoint>;
  consistencyProof(oldSize: bigint, newSize: bigint): Promise<Client.ConsistencyProof>;
  verifyContext(): Client.VerifyContext;
  /**
   * A page of the event stream: the JSON API's `/api/v1/events` answer, parsed but not yet
   * checked (`core/watch.ts` does), read through the same agent as every other call.
   */
  events(args: { since: bigint | null; limit: number }): Promise<unknown>;
  /** Certified reads: the reply, not yet verified (see `verified.ts`). */
  certifiedSummary(proposalId: bigint): Promise<Client.CertifiedSummary>;
  certifiedAttestation(id: bigint): Promise<Client.CertifiedAttestation>;
  inclusionProof(attestationId: bigint): Promise<Client.InclusionProof>;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // Agent errors are long multi-line dumps; the first line says what happened.
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 300) ?? 'unknown error'
  );
}

export async function connectRegistry(args: {
  settings: Settings;
  identity?: Identity;
  savedEnvelope?: string;
}): Promise<RegistryGateway> {
  const { settings } = args;
  const canisterId = settings.canisterId;
  if (canisterId === null) {
    throw usageError(
      'no registry canister id configured',
      `pass --canister-id <id>, set REPRO_CANISTER_ID, or add "canisterId" to ${settings.configPath}`,
    );
  }
  const saved = args.savedEnvelope
    ? `; the signed envelope is saved at ${args.savedEnvelope} (send it later with \`repro submit ${args.savedEnvelope}\`)`
    : '';
  const unreachable = (error: unknown) =>
    networkError(
      `cannot reach the registry at ${settings.host}: ${describe(error)}`,
      `check the network (--network ${settings.networkName}) and try again${saved}`,
      error,
    );

  // Loaded here so that commands which never talk to the network start fast.
  const client = await import('@repro-registry/client');
  const { Principal } = await import('@dfinity/principal');
  let canister: Principal;
  try {
    canister = Principal.fromText(canisterId);
  } catch {
    throw usageError(
      `"${canisterId}" is not a canister id`,
      'check --canister-id / REPRO_CANISTER_ID',
    );
  }
  let registry: Client.RegistryClient;
  try {
    registry = await client.createRegistryClient({
      host: settings.host,
      canisterId: canister,
      ...(args.identity ? { identity: args.identity } : {}),
      fetchRootKey: settings.fetchRootKey,
      retryTimes: 1,
    });
  } catch (error) {
    throw unreachable(error);
  }

  /** The registry's refill interval, for "retry after" (null when it cannot be read). */
  async function refillSeconds(): Promise<number | null> {
    try {
      return (await registry.getRegistryInfo()).rate_limit.refill_interval_seconds;
    } catch {
      return null;
    }
  }

  async function refusal(code: string, own: string): Promise<CliError> {
    const retryAfterSeconds = code === 'RATE_LIMITED' ? await refillSeconds() : null;
    const { meaning, todo } = explainRefusal(code, { retryAfterSeconds });
    return rejectedError(code, `${code}: ${meaning} (${own.slice(0, 300)})${saved}`, todo);
  }

  async function call<T>(run: () => Promise<Client.Result<T>>): Promise<T> {
    let result: Client.Result<T>;
    try {
      result = await run();
    } catch (error) {
      if (error instanceof client.RegistryCallError && error.kind === 'rejected') {
        const own = error.registryError;
        if (own !== null) throw await refusal(own.code, own.message);
        throw rejectedError(
          'REJECTED',
          `REJECTED: the registry refused the request (${describe(error.rejection?.rejectMessage ?? error)})${saved}`,
          'read its message',
        );
      }
      if (error instanceof client.RegistryCallError && error.verification !== null)
        throw verificationError(
          error.verification.code,
          `the answer of the registry at ${settings.host} does not match its certificate (${error.verification.message})${saved}`,
          error,
        );
      if (error instanceof client.RegistryCallError && error.kind === 'untrusted')
        throw verificationError(
          'RESPONSE_UNTRUSTED',
          `the answer of the registry at ${settings.host} does not verify (${describe(error)}); check the network's root key (--network ${settings.networkName})${saved}`,
          error,
        );
      throw unreachable(error);
    }
    if (!result.ok) throw await refusal(result.error.code, result.error.message);
    return result.value;
  }

  async function plain<T>(run: () => Promise<T>): Promise<T> {
    return call(async () => ({ ok: true as const, value: await run() }));
  }

  return {
    host: settings.host,
    canisterId,
    submit: (envelope) => call(() => registry.submit(envelope)),
    proposalSummary: (id, trustList) =>
      call(() =>
        // Verified, a trust list's consensus too (`scoped/<list>/<id>` in the witness).
        registry.getProposalSummary(id, { trustList: trustList ?? null }),
      ),
    listProposals: (a) => plain(() => registry.listProposals(a)),
    getAttestation: (id) => call(() => registry.getAttestation(id)),
    checkpoint: () => plain(() => registry.actor.get_checkpoint()),
    consistencyProof: (oldSize, newSize) =>
      call(async () => {
        const r = await registry.actor.get_consistency_proof({
          old_size: oldSize,
          new_size: [newSize],
        });
        return 'Ok' in r ? { ok: true, value: r.Ok } : { ok: false, error: r.Err };
      }),
    events: ({ since, limit }) =>
      call(async () => {
        const query = `limit=${limit}${since === null ? '' : `&since=${since}`}`;
        const reply = await registry.actor.http_request({
          method: 'GET',
          url: `/api/v1/events?${query}`,
          headers: [['accept', 'application/json']],
          body: new Uint8Array(),
          certificate_version: [],
        });
        let body: unknown;
        try {
          body = JSON.parse(new TextDecoder().decode(reply.body));
        } catch {
          body = null;
        }
        if (reply.status_code === 200) return { ok: true, value: body };
        const own = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
        return {
          ok: false,
          error: {
            code: typeof own?.code === 'string' ? own.code : 'REJECTED',
            message:
              typeof own?.message === 'string' ? own.message : `HTTP status ${reply.status_code}`,
          },
        };
      }),
    certifiedSummary: (id) =>
      call(async () => result(await registry.actor.get_certified_summary(id))),
    certifiedAttestation: (id) =>
      call(async () => result(await registry.actor.get_certified_attestation(id))),
    inclusionProof: (id) =>
      call(async () =>
        result(await registry.actor.get_inclusion_proof({ attestation_id: id, tree_size: [] })),
      ),
    verifyContext: () => {
      const rootKey = registry.agent.rootKey;
      if (rootKey === null || rootKey === undefined) throw unreachable('no root key');
      return { canisterId: registry.canisterId, rootKey: new Uint8Array(rootKey) };
    },
  };
}

function result<T>(
  r: { Ok: T } | { Err: Client.RegistryError },
): { ok: true; value: T } | { ok: false; error: Client.RegistryError } {
  return 'Ok' in r ? { ok: true, value: r.Ok } : { ok: false, error: r.Err };
}

/** The value of a verification, or the failed-verification error (exit 6) with its code. */
export function verified<T>(
  checked: { ok: true; value: T } | { ok: false; code: string; message: string },
  what: string,
): T {
  if (!checked.ok) throw verificationError(checked.code, `${what}: ${checked.message}`);
  return checked.value;
}
