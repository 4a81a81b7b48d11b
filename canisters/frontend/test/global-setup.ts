import { ensureCanisterBuilt } from '@repro-registry/deploy';
import { FRONTEND_CANISTER_SOURCES } from '../scripts/assets';

/** The frontend wasm embeds the app: rebuild it when the app or the canister changed. */
export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('frontend', FRONTEND_CANISTER_SOURCES);
}
