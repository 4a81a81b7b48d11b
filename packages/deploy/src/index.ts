export { PROJECT_ROOT, readDfxJson, type DfxJson, type DfxCanister } from './project';
export {
  buildCanister,
  ensureCanisterBuilt,
  bundleInputs,
  withCustomSection,
  type BuiltCanister,
  type PrebuildResult,
} from './build';
export { deploy } from './deploy';
export { installWasm, moduleHash, defaultInitArg } from './install';
export { updateEnvFile } from './env-file';
export { resolveNetwork, type NetworkTarget } from './network-target';
export type {
  DeployConfig,
  DeployMode,
  DeployOptions,
  DeployResult,
  DeployedCanister,
  InitArgContext,
} from './config';
