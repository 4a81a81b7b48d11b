export {
  IcHost,
  IC_LIMITS,
  FIRST_CANISTER_ID,
  canisterIdFromU64,
  type CallResult,
  type InspectResult,
  type HostOptions,
  type CanisterView,
  type Limits,
  type LogLine,
  type ExecutionRecord,
} from './host';
export type { ExecKind } from './system-api';
export {
  ErrorCode,
  RejectCode,
  IcRejectError,
  IcHostError,
  rejects,
  type SystemReject,
} from './errors';
export {
  InMemoryStateStore,
  applyChangeSet,
  emptyState,
  type StateStore,
  type StoredState,
  type StoredCanister,
  type ChangeSet,
  type CanisterChange,
  type CanisterSettings,
  type CanisterStatus,
  type StablePage,
  type LogVisibility,
  type CanisterHistory,
  type CanisterSnapshot,
  type HistoryEntry,
} from './store';
export { MANAGEMENT_METHODS } from './management';
export { settingsArg } from './management/settings';
export { defaultSettings } from './canister';
export * as ManagementIdl from './management/idl';
export {
  ModuleCache,
  defaultModuleCache,
  type LoadedModule,
  type CanisterMetadata,
} from './module-cache';
export { STABLE_PAGE_SIZE } from './stable-memory';
