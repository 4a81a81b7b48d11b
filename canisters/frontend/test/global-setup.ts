import { ensureCanisterBuilt } from '@repro-registry/deploy';

/** The frontend wasm embeds the app: rebuild it when the app or the canister changed. */
export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('frontend');
}
