import { ensureCanisterBuilt } from '../../../scripts/fresh-build';

export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('registry', ['canisters/registry/src', 'packages/attestation/src']);
}
