/**
 * Management methods of a canister's life: creating it, its settings, starting, stopping,
 * deleting it, and its cycles.
 */
import { Principal } from '@dfinity/principal';
import { EMPTY_CANDID } from '../call-contexts';
import { Canister, DEFAULT_PROVISIONAL_CYCLES, defaultSettings } from '../canister';
import { ErrorCode, RejectCode, rejects } from '../errors';
import {
  ManagementError,
  bumpVersion,
  controlled,
  decode,
  onlyCanisters,
  reply,
  target,
  type Handler,
  type ManagementCall,
  type ManagementHost,
} from './context';
import * as M from './idl';
import { applySettings } from './settings';

const DONE = { reply: EMPTY_CANDID };

function createCanister(args: {
  host: ManagementHost;
  call: ManagementCall;
  settings: M.SettingsArg | undefined;
  cycles: bigint;
  specifiedId?: Principal;
}): Canister {
  const { host, call } = args;
  let id: Principal;
  if (args.specifiedId) {
    id = args.specifiedId;
    if (host.state.get(id.toText())) {
      throw new ManagementError({
        rejectCode: RejectCode.SysTransient,
        errorCode: ErrorCode.CanisterIdAlreadyExists,
        rejectMessage: `Canister ${id.toText()} is already installed.`,
      });
    }
  } else {
    id = host.state.allocateId();
  }
  const settings = applySettings(defaultSettings([call.caller]), args.settings);
  const c = new Canister(id, { settings, cycles: args.cycles });
  host.state.add(c);
  host.state.recordChange(c, call.caller, {
    creation: {
      controllers: settings.controllers.map((p) => Principal.fromText(p)),
      environment_variables_hash: [],
    },
  });
  return c;
}

const provisionalCreate: Handler = (call, host) => {
  const a = decode<{
    amount: [] | [bigint];
    settings: [] | [M.SettingsArg];
    specified_id: [] | [Principal];
  }>(M.ProvisionalCreateArgs, call.arg);
  const c = createCanister({
    host,
    call,
    settings: a.settings[0],
    cycles: a.amount[0] ?? DEFAULT_PROVISIONAL_CYCLES,
    ...(a.specified_id[0] ? { specifiedId: a.specified_id[0] } : {}),
  });
  return reply([M.CanisterIdResult], [{ canister_id: c.id }]);
};

/** From canisters only: the attached cycles become the new canister's balance. */
const create: Handler = (call, host) => {
  onlyCanisters(call);
  const a = decode<{ settings: [] | [M.SettingsArg] }>(M.CreateCanisterArgs, call.arg);
  const c = createCanister({ host, call, settings: a.settings[0], cycles: call.cycles });
  return reply([M.CanisterIdResult], [{ canister_id: c.id }]);
};

const updateSettings: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal; settings: M.SettingsArg }>(
    M.UpdateSettingsArgs,
    call.arg,
  );
  const c = controlled(host, call, a.canister_id);
  const before = c.settings.controllers.join(',');
  c.settings = applySettings(c.settings, a.settings);
  bumpVersion(host, c, 'settings');
  if (c.settings.controllers.join(',') !== before) {
    host.state.recordChange(c, call.caller, {
      controllers_change: {
        controllers: c.settings.controllers.map((p) => Principal.fromText(p)),
      },
    });
  }
  return DONE;
};

const start: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = controlled(host, call, a.canister_id);
  if (c.status !== 'running') {
    host.contexts.cancelStops(
      c,
      rejects.withCode('IC0511', `Canister ${c.idText} was started before stopping completed`),
    );
    c.status = 'running';
    bumpVersion(host, c, 'status');
  }
  return DONE;
};

/** Answered once the canister has no open call context; new calls meanwhile get IC0509. */
const stop: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = controlled(host, call, a.canister_id);
  if (c.status === 'stopped') return DONE;
  if (c.status === 'running') {
    c.status = 'stopping';
    bumpVersion(host, c, 'status');
  }
  host.contexts.waitForStop(c, call.origin);
  return 'deferred';
};

const remove: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = controlled(host, call, a.canister_id);
  if (c.status !== 'stopped') {
    throw new ManagementError({
      rejectCode: RejectCode.CanisterError,
      errorCode: ErrorCode.CanisterNotStopped,
      rejectMessage: `Canister ${c.idText} must be stopped before it is deleted.`,
    });
  }
  host.contexts.dropCode(c, 'Canister has been deleted.');
  host.state.remove(c);
  return DONE;
};

/** The attached cycles go to the canister (anyone may deposit). */
const depositCycles: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal }>(M.CanisterIdRecord, call.arg);
  const c = target(host, a.canister_id);
  c.cycles += call.cycles;
  c.mark('cycles');
  host.state.touch(c);
  return DONE;
};

const topUp: Handler = (call, host) => {
  const a = decode<{ canister_id: Principal; amount: bigint }>(M.TopUpArgs, call.arg);
  const c = target(host, a.canister_id);
  c.cycles += a.amount;
  c.mark('cycles');
  host.state.touch(c);
  return DONE;
};

export const canisterMethods: Record<string, Handler> = {
  provisional_create_canister_with_cycles: provisionalCreate,
  create_canister: create,
  update_settings: updateSettings,
  start_canister: start,
  stop_canister: stop,
  delete_canister: remove,
  deposit_cycles: depositCycles,
  provisional_top_up_canister: topUp,
};

/** Methods whose attached cycles are kept when they succeed (not refunded). */
export const CYCLES_CONSUMING = new Set(['create_canister', 'deposit_cycles']);
