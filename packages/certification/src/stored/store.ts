/**
 * The storage port of the stored trees (the certified state tree here, the transparency log in
 * packages/transparency-log): a map from byte keys to byte values. In the canister it is an azle
 * `StableBTreeMap<Uint8Array, Uint8Array>` (the registry's `Table<Uint8Array>` has this shape),
 * so everything survives upgrades without being rebuilt; tests use `MemoryNodeStore`.
 */
import { bytesToHex } from '@repro-registry/attestation';

import { compareBytes } from '../hash-tree';

export interface NodeStore {
  get(key: Uint8Array): Uint8Array | undefined;
  insert(key: Uint8Array, value: Uint8Array): void;
  remove(key: Uint8Array): void;
}

/** The in-memory twin of a stable map, with a view of its contents for tests and tools. */
export class MemoryNodeStore implements NodeStore {
  readonly #entries = new Map<string, { key: Uint8Array; value: Uint8Array }>();
  /** Reads and writes since creation: what a stable map would be asked. */
  reads = 0;
  writes = 0;

  get(key: Uint8Array): Uint8Array | undefined {
    this.reads++;
    return this.#entries.get(bytesToHex(key))?.value.slice();
  }
  insert(key: Uint8Array, value: Uint8Array): void {
    this.writes++;
    this.#entries.set(bytesToHex(key), { key: key.slice(), value: value.slice() });
  }
  remove(key: Uint8Array): void {
    this.writes++;
    this.#entries.delete(bytesToHex(key));
  }
  get size(): number {
    return this.#entries.size;
  }
  /** Every entry in key order (as a stable map iterates). */
  entries(): { key: Uint8Array; value: Uint8Array }[] {
    return [...this.#entries.values()].sort((a, b) => compareBytes(a.key, b.key));
  }
}

/**
 * Reads through to a store and holds writes until `flush`: one change that touches a record
 * several times (a submission updating several certified values under one root) writes it once.
 */
/** A map key for bytes: one UTF-16 unit per byte, built natively (cheaper than hex in QuickJS). */
export function keyString(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

export class StagedStore {
  readonly #pending = new Map<string, { key: Uint8Array; value: Uint8Array | null }>();

  constructor(readonly store: NodeStore) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const staged = this.#pending.get(keyString(key));
    if (staged !== undefined) return staged.value ?? undefined;
    return this.store.get(key);
  }
  put(key: Uint8Array, value: Uint8Array): void {
    this.#pending.set(keyString(key), { key, value });
  }
  remove(key: Uint8Array): void {
    this.#pending.set(keyString(key), { key, value: null });
  }
  get hasPending(): boolean {
    return this.#pending.size > 0;
  }
  flush(): void {
    for (const { key, value } of this.#pending.values()) {
      if (value === null) this.store.remove(key);
      else this.store.insert(key, value);
    }
    this.#pending.clear();
  }
}
