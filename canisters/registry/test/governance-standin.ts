/** The governance stand-in canister for tests: install it, record proposals like real ones. */
import { readFile } from 'node:fs/promises';

import { IDL } from '@dfinity/candid';
import type { Principal } from '@dfinity/principal';
import type { IcHost } from '@repro-registry/ic-host';
import { encodeGuestosElectionPayload } from '@repro-registry/proposals';

import { ensureCanisterBuilt } from '../../../scripts/fresh-build';
import { COMMIT, GUESTOS_HASH } from './builders';
import { CONTROLLER } from './harness';

export { RecordedProposal } from '../../governance/src/recorded';

export async function installGovernance(host: IcHost): Promise<Principal> {
  const wasm = await ensureCanisterBuilt('governance', ['canisters/governance/src']);
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

export function proposal(id: bigint, over: { status?: number; motion?: boolean } = {}) {
  const now = 1_764_000_000n;
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
          {
            nns_function: 38,
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
