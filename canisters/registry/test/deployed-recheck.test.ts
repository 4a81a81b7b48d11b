/**
 * The deployed-hash check after later upgrades, in the real wasm with the governance stand-in:
 * a canister installed by an executed proposal is upgraded by a newer executed proposal (the
 * older one then says "was deployed, since replaced by proposal N"), and then outside
 * governance (the daily re-read says "replaced by another module").
 */
import { createHash } from 'node:crypto';

import type { Principal } from '@dfinity/principal';
import type * as T from '@repro-registry/client';
import type { IcHost } from '@repro-registry/ic-host';
import { beforeAll, describe, expect, it } from 'vitest';

import { SECOND, putInstallProposal, startWithGovernance } from './governance-standin';
import type { RegistryUnderTest } from './harness';
import { CONTROLLER, okOf } from './harness';

const NOW = 1_764_000_000n;
const DAY = 86_400n * SECOND;
// Three wasm modules: an empty module, and the same with a custom section ("a", "b").
const EMPTY = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const withSection = (name: string) =>
  Uint8Array.from([...EMPTY, 0x00, 0x02, 0x01, name.charCodeAt(0)]);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('deployed modules after later upgrades (real wasm)', () => {
  let host: IcHost;
  let registry: RegistryUnderTest;
  let governance: Principal;
  let target: Principal;
  let clock = NOW * SECOND;

  /** An executed InstallCode proposal into the target, as governance records it. */
  const putInstall = (id: bigint, module: Uint8Array, executedAt: bigint) =>
    putInstallProposal(host, governance, { id, target, moduleHash: sha(module), executedAt });
  const install = (module: Uint8Array) =>
    host.installCode({
      canisterId: target,
      wasm: module,
      arg: new Uint8Array(),
      mode: 'reinstall',
      sender: CONTROLLER,
    });
  const deployedOf = async (id: bigint) =>
    okOf(await registry.call<{ Ok: T.ProposalSummary }>('get_proposal_summary', [id])).deployed[0];
  const sync = async (id: bigint) => {
    clock += 31n * SECOND; // past sync_proposal's 30 s limit
    okOf(await registry.call('sync_proposal', [id], CONTROLLER));
    await host.idle();
  };

  beforeAll(async () => {
    ({ host, registry, governance } = await startWithGovernance({ clock: () => clock }));
    target = await host.createCanister({ controllers: [CONTROLLER] });
  });

  it('says "was deployed, since replaced by proposal N", then "by another module"', async () => {
    await install(EMPTY);
    await putInstall(900401n, EMPTY, NOW + 3600n);
    await sync(900401n);
    expect(await deployedOf(900401n)).toMatchObject({
      state: 'deployed',
      deployed_sha256: [sha(EMPTY)],
      replaced_by: [],
    });

    // Governance executes a newer upgrade of the same canister.
    const a = withSection('a');
    await install(a);
    await putInstall(900402n, a, NOW + 7200n);
    await sync(900402n);
    expect(await deployedOf(900402n)).toMatchObject({
      state: 'deployed',
      deployed_sha256: [sha(a)],
    });
    const old = await deployedOf(900401n);
    expect(old).toMatchObject({ state: 'replaced', replaced_by: [900402n] });
    expect(old?.agreement).toContain('was deployed, since replaced by proposal 900402');
    expect(old?.deployed_at).toHaveLength(1);

    // Someone installs another module outside governance; a day later the timer reads it.
    const b = withSection('b');
    await install(b);
    clock += DAY + 700n * SECOND;
    await host.tick();
    await host.idle();
    const now = await deployedOf(900402n);
    expect(now).toMatchObject({ state: 'replaced', replaced_by: [], deployed_sha256: [sha(b)] });
    expect(now?.agreement).toContain(
      `was deployed, since replaced by another module on canister ${target.toText()}`,
    );
    // The older proposal still names the proposal that replaced it.
    expect(await deployedOf(900401n)).toMatchObject({ state: 'replaced', replaced_by: [900402n] });
  });
});
