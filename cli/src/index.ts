export { runCli, buildProgram, VERSION } from './main';
export type { CliIo } from './commands/shared';
export { ExitCode, CliError } from './core/errors';
export { parseReproCheckLog, type ParsedReproCheckLog, type OsResult } from './core/log/parse';
export {
  detectEnvironment,
  toEnvironment,
  type HostFacts,
  type EnvironmentReport,
} from './core/env-detect';
export { diffMembers } from './core/diff';
