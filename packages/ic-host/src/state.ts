/**
 * The host's replicated state: the canisters by id, the canister id counter, the host's time,
 * and which canisters the current message touched (their changes make its change set).
 */
import { Principal } from '@dfinity/principal';
import type { Canister } from './canister';
import type { ChangeSet, HistoryDetails } from './store';

/** u64 part of dfx's first canister id, bkyz2-fmaaa-aaaaa-qaaaq-cai. */
export const FIRST_CANISTER_ID = 0x8000000000100001n;

export function canisterIdFromU64(n: bigint): Principal {
  const bytes = new Uint8Array(10);
  new DataView(bytes.buffer).setBigUint64(0, n);
  bytes[8] = 0x01;
  bytes[9] = 0x01;
  return Principal.fromUint8Array(bytes);
}

export class HostState {
  readonly canisters = new Map<string, Canister>();
  nextCanisterId = FIRST_CANISTER_ID;
  sequence = 0n;
  /** The time every execution of the current message sees. */
  stepTime = 0n;
  private counterChanged = false;
  private lastTime = 0n;
  private readonly touched = new Set<Canister>();

  constructor(private readonly clock: () => bigint) {}

  /** The clock, made monotonic. */
  now(): bigint {
    const t = this.clock();
    if (t > this.lastTime) this.lastTime = t;
    return this.lastTime;
  }

  get(id: string): Canister | undefined {
    return this.canisters.get(id);
  }

  /** The next free id from the counter (like a local replica: sequential). */
  allocateId(): Principal {
    let id: Principal;
    do {
      id = canisterIdFromU64(this.nextCanisterId);
      this.nextCanisterId += 1n;
    } while (this.canisters.has(id.toText()));
    this.counterChanged = true;
    return id;
  }

  add(c: Canister): void {
    this.canisters.set(c.idText, c);
    c.mark('created');
    this.touch(c);
  }

  remove(c: Canister): void {
    c.deleted = true;
    c.instance = undefined;
    this.canisters.delete(c.idText);
    c.mark('deleted');
    this.touch(c);
  }

  /** `c` changed in this message: its change goes into the message's change set. */
  touch(c: Canister): void {
    this.touched.add(c);
  }

  /** Appends to the canister's history, as `canister_info` reports it. */
  recordChange(c: Canister, caller: string, details: HistoryDetails): void {
    const who = Principal.fromText(caller);
    c.addHistory({
      timestamp_nanos: this.stepTime,
      canister_version: c.version,
      origin: this.canisters.has(caller)
        ? { from_canister: { canister_id: who, canister_version: [] } }
        : { from_user: { user_id: who } },
      details,
    });
    this.touch(c);
  }

  /** The change set of the current message, or undefined when it changed nothing. */
  takeChanges(): ChangeSet | undefined {
    const canisters = [];
    for (const c of this.touched) {
      const change = c.takeChange();
      if (change) canisters.push(change);
    }
    this.touched.clear();
    if (canisters.length === 0 && !this.counterChanged) return undefined;
    this.sequence += 1n;
    const set: ChangeSet = { sequence: this.sequence, time: this.stepTime, canisters };
    if (this.counterChanged) set.nextCanisterId = this.nextCanisterId;
    this.counterChanged = false;
    return set;
  }
}
