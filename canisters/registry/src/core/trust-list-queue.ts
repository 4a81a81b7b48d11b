/**
 * Standings whose change the trust lists have not counted yet. A set (keyed by standing), so a
 * builder who submits twice is counted once, with what stands then.
 */
import type { RegistryStore } from './store';

const NOTHING = new Uint8Array();

export function enqueueListUpdate(store: RegistryStore, standingKey: Uint8Array): void {
  store.tables.listQueue.insert(standingKey, NOTHING);
}

export function listUpdatesWaiting(store: RegistryStore): number {
  return store.tables.listQueue.len();
}
