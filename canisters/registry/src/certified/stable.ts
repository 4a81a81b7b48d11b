/**
 * Stable memory of the log and the certified tree: one azle StableBTreeMap each, as the
 * `NodeStore` port. Memory ids 40 and 41 are taken here (the registry's tables use 0..21, see
 * `state.ts`): never renumber or reuse them.
 */
import { StableBTreeMap } from 'azle';
import type { NodeStore } from '@repro-registry/certification';

export const LOG_MEMORY_ID = 40;
export const CERTIFIED_TREE_MEMORY_ID = 41;

const bytes = {
  toBytes: (value: Uint8Array): Uint8Array => value,
  fromBytes: (value: Uint8Array): Uint8Array => value,
};

export function stableNodeStore(memoryId: number): NodeStore {
  const map = new StableBTreeMap<Uint8Array, Uint8Array>(memoryId, bytes, bytes);
  return {
    get: (key) => map.get(key),
    insert: (key, value) => {
      map.insert(key, value);
    },
    remove: (key) => {
      map.remove(key);
    },
  };
}
