/** The governance stand-in canister for tests: install it, record proposals like real ones. */
import { readFile } from 'node:fs/promises';

import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import { IcHost } from '@repro-registry/ic-host';
import {
  NnsFunction,
  encodeGuestosElectionPayload,
  encodeHostosElectionPayload,
  hexToBytes,
} from '@repro-registry/proposals';

import { ensureCanisterBuilt } from '@repro-registry/deploy';
import { COMMIT, GUESTOS_HASH, HOSTOS_HASH } from './builders';
import { CONTROLLER, RegistryUnderTest, okOf, type InitOptions } from './harness';

import { RecordedProposal, RecordedProposalWithAction } from '../../governance/src/recorded';

export { RecordedProposal };

export async function installGovernance(host: IcHost): Promise<Principal> {
  const wasm = await ensureCanisterBuilt('governance');
  const id = await host.createCanister({ controllers: [CONTROLLER] });
  await host.installCode({
    canisterId: id,
    wasm: new Uint8Array(await readFile(wasm)),
    arg: new Uint8Array(IDL.encode([], [])),
    mode: 'install',
    sender: CONTROLLER,
  });
  return id;
}

export const FailureMode = IDL.Variant({ none: IDL.Null, trap: IDL.Null, reject: IDL.Null });
export const SECOND = 1_000_000_000n;

export function proposal(
  id: bigint,
  over: { status?: number; motion?: boolean; os?: 'guestos' | 'hostos' } = {},
) {
  const now = 1_764_000_000n;
  const hostos = over.os === 'hostos';
  return {
    id,
    title: `Elect new IC/Replica revision (commit ${COMMIT.slice(0, 7)})`,
    summary: 'Elect a new GuestOS version',
    url: 'https://github.com/dfinity/ic',
    topic: 13,
    status: over.status ?? 1,
    execute_nns_function: over.motion
      ? []
      : [
          hostos
            ? {
                nns_function: NnsFunction.ReviseElectedHostosVersions,
                payload: encodeHostosElectionPayload({
                  electedCommit: COMMIT,
                  releasePackageSha256Hex: HOSTOS_HASH,
                  releasePackageUrls: [],
                }),
              }
            : {
                nns_function: NnsFunction.ReviseElectedGuestosVersions,
                payload: encodeGuestosElectionPayload({
                  electedCommit: COMMIT,
                  releasePackageSha256Hex: GUESTOS_HASH,
                  releasePackageUrls: [
                    `https://download.dfinity.systems/ic/${COMMIT}/guest-os/update-img/update-img.tar.zst`,
                  ],
                }),
              },
        ],
    proposal_timestamp_seconds: now,
    deadline_timestamp_seconds: [now + 4n * 86400n],
    decided_timestamp_seconds: over.status !== undefined && over.status > 1 ? now + 3600n : 0n,
    executed_timestamp_seconds: over.status === 4 ? now + 3700n : 0n,
    failed_timestamp_seconds: 0n,
  };
}

/** Records proposals in the stand-in (controllers only), as governance would hold them. */
export async function putProposals(
  host: IcHost,
  governance: Principal,
  proposals: ReturnType<typeof proposal>[],
): Promise<void> {
  for (const p of proposals) {
    const put = await host.update({
      canisterId: governance,
      method: 'put_proposal',
      arg: new Uint8Array(IDL.encode([RecordedProposal], [p])),
      sender: CONTROLLER,
    });
    if (put.status !== 'replied') throw new Error(put.rejectMessage);
  }
}

/**
 * A registry reading a governance stand-in in one host, with `confirmed` proposals (GuestOS
 * elections of `COMMIT` unless given whole) recorded there and read by the registry: what
 * tests submit to them counts at once.
 */
export async function startWithGovernance(
  options: InitOptions & {
    instrumented?: boolean;
    clock?: () => bigint;
    confirmed?: (bigint | ReturnType<typeof proposal>)[];
    cycles?: bigint;
    host?: IcHost;
  } = {},
): Promise<{ registry: RegistryUnderTest; governance: Principal; host: IcHost }> {
  const host =
    options.host ??
    (await IcHost.create({
      instrumented: options.instrumented ?? false,
      log: () => {},
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }));
  const governance = await installGovernance(host);
  const confirmed = (options.confirmed ?? []).map((p) => (typeof p === 'bigint' ? proposal(p) : p));
  await putProposals(host, governance, confirmed);
  const registry = await RegistryUnderTest.start({ ...options, host, governance });
  for (const p of confirmed) okOf(await registry.call('sync_proposal', [p.id], CONTROLLER));
  return { registry, governance, host };
}

/**
 * An executed InstallCode proposal (upgrade) into `target` stating `moduleHash`, recorded in the
 * stand-in as governance has it; executed at `executedAt` (seconds; default an hour after
 * 2025-11-24).
 */
export async function putInstallProposal(
  host: IcHost,
  governance: Principal,
  args: { id: bigint; target: Principal; moduleHash: string; executedAt?: bigint },
): Promise<void> {
  const now = 1_764_000_000n;
  const executedAt = args.executedAt ?? now + 3700n;
  const put = await host.update({
    canisterId: governance,
    method: 'put_proposal',
    arg: new Uint8Array(
      IDL.encode(
        [RecordedProposalWithAction],
        [
          {
            id: args.id,
            title: `Upgrade canister ${args.target.toText()} (test)`,
            summary: `__Source code__: [${COMMIT}][new-commit]`,
            url: 'https://github.com/dfinity/ic',
            topic: 17,
            status: 4,
            execute_nns_function: [],
            proposal_timestamp_seconds: now,
            deadline_timestamp_seconds: [now + 4n * 86400n],
            decided_timestamp_seconds: executedAt - 100n,
            executed_timestamp_seconds: executedAt,
            failed_timestamp_seconds: 0n,
            action: [
              {
                InstallCode: {
                  canister_id: [args.target],
                  wasm_module_hash: [hexToBytes(args.moduleHash)],
                  arg_hash: [],
                  install_mode: [3],
                  skip_stopping_before_installing: [],
                },
              },
            ],
          },
        ],
      ),
    ),
    sender: CONTROLLER,
  });
  if (put.status !== 'replied') throw new Error(put.rejectMessage);
}
