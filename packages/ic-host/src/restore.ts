/**
 * Rebuilding canisters from the store after a restart. Only what the IC keeps across an upgrade
 * is durable (stable memory, module, settings, certified data, history, snapshots): each
 * canister is instantiated from its stored module, its stable memory put back, and
 * `canister_post_upgrade` runs with the stored install argument to rebuild the heap.
 */
import { Principal } from '@dfinity/principal';
import { Canister, defaultSettings } from './canister';
import { IcHostError } from './errors';
import type { Executor } from './executor';
import type { Installer } from './installer';
import { StableMemory } from './stable-memory';
import type { HostState } from './state';
import { FIRST_CANISTER_ID } from './state';
import type { StoredCanister, StoredState } from './store';
import type { Limits } from './types';

const ANONYMOUS = Principal.anonymous().toText();

function restoreFailed(c: Canister, why: string, cause?: unknown): IcHostError {
  return new IcHostError('RESTORE_FAILED', `canister ${c.idText}: ${why}`, { cause });
}

export function restoreState(args: {
  stored: StoredState;
  state: HostState;
  installer: Installer;
  executor: Executor;
  limits: Limits;
}): void {
  const { stored, state } = args;
  state.sequence = stored.sequence;
  state.nextCanisterId = stored.nextCanisterId === 0n ? FIRST_CANISTER_ID : stored.nextCanisterId;
  state.stepTime = state.now();
  for (const s of stored.canisters) restoreCanister({ ...args, stored: s });
}

function restoreCanister(args: {
  stored: StoredCanister;
  state: HostState;
  installer: Installer;
  executor: Executor;
  limits: Limits;
}): void {
  const { stored: s, state, installer, executor } = args;
  // State written before a setting existed gets that setting's default.
  const settings = { ...defaultSettings(s.settings.controllers), ...s.settings };
  const c = new Canister(Principal.fromText(s.canisterId), { settings, cycles: s.cycles });
  c.status = s.status === 'stopping' ? 'stopped' : s.status;
  c.version = s.version;
  c.certifiedData = s.certifiedData;
  c.stable = StableMemory.restore({ sizePages: s.stable.sizePages, pages: s.stable.pages });
  if (s.history) c.history = s.history;
  if (s.snapshots) c.snapshots = s.snapshots;
  state.canisters.set(c.idText, c);
  c.markStored();
  if (s.status === 'stopping') {
    c.mark('status');
    state.touch(c);
  }
  if (!s.module) return;
  let loaded;
  try {
    loaded = installer.load(s.module.wasm);
  } catch (e) {
    throw restoreFailed(c, `stored module cannot be loaded: ${(e as Error).message}`, e);
  }
  c.module = { wasm: s.module.wasm, hash: s.module.hash, loaded };
  if (s.install) c.install = s.install;
  const sender = Principal.fromText(s.install?.sender ?? ANONYMOUS).toUint8Array();
  c.stable.begin();
  const created = installer.instantiate({
    canister: c,
    loaded,
    sender,
    time: state.stepTime,
  });
  if (created.trap) throw restoreFailed(c, `start trapped: ${created.trap.rejectMessage}`);
  const instance = created.instance!;
  if (instance.hasExport('canister_post_upgrade')) {
    const run = executor.execute({
      canister: c,
      kind: 'post_upgrade',
      entry: { export: 'canister_post_upgrade' },
      arg: s.install?.arg ?? new Uint8Array(0),
      caller: sender,
      limit: args.limits.installInstructions,
      time: state.stepTime,
      instance,
    });
    if (run.trap) {
      c.stable.rollback();
      throw restoreFailed(
        c,
        `canister_post_upgrade trapped while rebuilding from the store: ${run.trap.rejectMessage}`,
      );
    }
    if (run.exec.certifiedData) {
      c.certifiedData = run.exec.certifiedData;
      c.mark('certifiedData');
    }
    if (run.exec.globalTimer !== undefined) c.globalTimer = run.exec.globalTimer;
  }
  c.stable.commit();
  instance.checkpoint();
  c.instance = instance;
  state.touch(c);
}
