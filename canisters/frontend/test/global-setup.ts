import { ensureCanisterBuilt } from '../../../scripts/fresh-build';

/** The frontend wasm embeds the app: rebuild it when the app or the canister changed. */
export const FRONTEND_CANISTER_SOURCES = [
  'canisters/frontend/src',
  'canisters/frontend/scripts',
  'packages/certification/src',
  'frontend/src',
  'frontend/index.html',
];

export default async function setup(): Promise<void> {
  await ensureCanisterBuilt('frontend', FRONTEND_CANISTER_SOURCES);
}
