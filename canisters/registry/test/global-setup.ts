import { ensureCanisterBuilt } from '@repro-registry/deploy';

import { GOVERNANCE_SOURCE_DIRS } from '../../governance/sources';

export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('registry', [
    'canisters/registry/src',
    'packages/attestation/src',
    'packages/certification/src',
    'packages/transparency-log/src',
    'packages/proposals/src',
  ]);
  // Built here, not in a test's hook: a build takes longer than a hook may.
  await ensureCanisterBuilt('governance', GOVERNANCE_SOURCE_DIRS);
}
