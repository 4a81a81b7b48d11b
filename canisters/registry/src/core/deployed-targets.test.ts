import { describe, expect, it } from 'vitest';

import { COMMIT, hashOf } from '../../test/builders';
import { MINUTE, T0, confirm, newRegistry } from '../../test/core-support';
import { deployedView } from './deployed';
import { DEPLOYED_RECHECK_SECONDS } from './deployed-targets';
import type { Registry } from './registry';

// Governance's canister id and two upgrades of it (ids and hashes illustrative).
const TARGET = 'rrkah-fqaaa-aaaaa-aaaaq-cai';
const OLD = 900301n;
const NEW = 900302n;
const OLD_MODULE = hashOf('governance module of the older upgrade');
const NEW_MODULE = hashOf('governance module of the newer upgrade');
const DAY = DEPLOYED_RECHECK_SECONDS * 1_000_000_000n;

/** Governance says `id` was executed at `executedAt`, installing `module` into TARGET. */
function executed(r: Registry, id: bigint, module: string, executedAt: bigint) {
  confirm(r, id, {
    kind: 'canister_install',
    os: null,
    payloadType: null,
    nnsFunction: null,
    electedCommit: null,
    releasePackageSha256Hex: null,
    releasePackageUrls: [],
    status: 'executed',
    decidedAt: executedAt.toString(),
    executedAt: executedAt.toString(),
    canisterInstall: {
      source: 'InstallCode',
      targetCanisterId: TARGET,
      targetName: 'governance',
      installMode: 'upgrade',
      wasmModuleHashHex: module,
      argHashHex: null,
    },
    claimedCommit: COMMIT,
    expected: [{ kind: `canister:${TARGET}`, sha256: module }],
  });
}

const read = (r: Registry, id: bigint, module: string | null, now: bigint) =>
  r.recordDeployedRead({ proposalId: id, now, outcome: { ok: true, moduleHashHex: module } });

function viewOf(r: Registry, id: bigint) {
  const s = r.summary(id);
  if (!s.ok) throw new Error(s.error.code);
  return deployedView(s.value.record, s.value.consensus);
}

describe('deployed modules after later upgrades', () => {
  it('a newer executed proposal for the same canister replaces the older one’s "deployed"', () => {
    const r = newRegistry();
    executed(r, OLD, OLD_MODULE, T0);
    read(r, OLD, OLD_MODULE, T0 + MINUTE);
    expect(viewOf(r, OLD)?.check.state).toBe('deployed');

    executed(r, NEW, NEW_MODULE, T0 + 10n * MINUTE);
    expect(viewOf(r, OLD)).toMatchObject({
      check: {
        state: 'replaced',
        replacedBy: NEW.toString(),
        deployedAt: (T0 + MINUTE).toString(),
      },
      agreement: `no builder has reproduced the module yet; was deployed, since replaced by proposal ${NEW}`,
    });
    // The newer one is read; the older one is not read again.
    expect(r.deployedChecksDue(10)).toEqual([{ proposalId: NEW, canisterId: TARGET }]);
    read(r, NEW, NEW_MODULE, T0 + 11n * MINUTE);
    expect(viewOf(r, NEW)?.check.state).toBe('deployed');
    // Reading governance again changes nothing.
    executed(r, OLD, OLD_MODULE, T0);
    expect(viewOf(r, OLD)?.check).toMatchObject({ state: 'replaced', replacedBy: NEW.toString() });
  });

  it('an older proposal first read after a newer one is replaced at once, without a read', () => {
    const r = newRegistry();
    executed(r, NEW, NEW_MODULE, T0 + 10n * MINUTE);
    executed(r, OLD, OLD_MODULE, T0);
    expect(viewOf(r, OLD)?.check).toMatchObject({ state: 'replaced', replacedBy: NEW.toString() });
    expect(r.deployedChecksDue(10)).toEqual([{ proposalId: NEW, canisterId: TARGET }]);
  });

  it('the newest install is read again daily: an install outside governance shows as replaced', () => {
    const r = newRegistry();
    executed(r, NEW, NEW_MODULE, T0);
    read(r, NEW, NEW_MODULE, T0);
    expect(r.deployedRechecksDue({ now: T0 + DAY - 1n, max: 5 })).toEqual([]);
    expect(r.deployedRechecksDue({ now: T0 + DAY, max: 5 })).toEqual([
      { proposalId: NEW, canisterId: TARGET },
    ]);
    const outOfBand = hashOf('a module installed outside governance');
    read(r, NEW, outOfBand, T0 + DAY);
    expect(viewOf(r, NEW)).toMatchObject({
      check: { state: 'replaced', replacedBy: null, moduleHashHex: outOfBand },
      agreement: `no builder has reproduced the module yet; was deployed, since replaced by another module on canister ${TARGET}`,
    });
    expect(r.deployedRechecksDue({ now: T0 + DAY + 1n, max: 5 })).toEqual([]);
    // The proposal's module back: deployed again.
    read(r, NEW, NEW_MODULE, T0 + 2n * DAY);
    expect(viewOf(r, NEW)?.check.state).toBe('deployed');
    // Never seen deployed: another module is "differs", as before.
    const s = newRegistry();
    executed(s, OLD, OLD_MODULE, T0);
    read(s, OLD, outOfBand, T0);
    expect(viewOf(s, OLD)?.check.state).toBe('differs');
  });
});
