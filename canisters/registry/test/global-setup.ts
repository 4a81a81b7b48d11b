import { ensureCanisterBuilt } from '@repro-registry/deploy';

export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('registry', [
    'canisters/registry/src',
    'packages/attestation/src',
    'packages/certification/src',
    'packages/transparency-log/src',
  ]);
}
