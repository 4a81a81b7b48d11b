// The `environment` object of both predicate versions. Version 2 keeps version 1's fields (in
// the same order, so a version 1 reader finds them), narrows `virtualization` to the VM layer,
// and adds the fields after `gitVersion`.
import { FormatErrorCode } from './codes';
import { CONTAINERS, LIMITS, VIRTUALIZATIONS } from './constants';
import { reject } from './errors';
import {
  isDecimalU64,
  join,
  readEnum,
  readNullableLabel,
  readNullableU64String,
  readObject,
  readString,
  wrongType,
} from './read';
import type { Environment, EnvironmentV2, Virtualization } from './types';

export const ENVIRONMENT_FIELDS_V1 = [
  'osName',
  'osVersion',
  'kernel',
  'arch',
  'virtualization',
  'cpuModel',
  'cpuCount',
  'memoryBytes',
  'swapBytes',
  'diskFreeBytes',
  'containerRuntimeName',
  'containerRuntimeVersion',
  'gitVersion',
] as const;

/** A version 1 environment of which nothing is known (a builder who recorded nothing). */
export const UNKNOWN_ENVIRONMENT: Readonly<Environment> = Object.freeze({
  osName: null,
  osVersion: null,
  kernel: null,
  arch: null,
  virtualization: 'unknown',
  cpuModel: null,
  cpuCount: null,
  memoryBytes: null,
  swapBytes: null,
  diskFreeBytes: null,
  containerRuntimeName: null,
  containerRuntimeVersion: null,
  gitVersion: null,
});

export const ENVIRONMENT_FIELDS_V2 = [
  ...ENVIRONMENT_FIELDS_V1,
  'container',
  'containerRuntimeRootless',
  'buildDirFilesystem',
  'buildDirBlockSize',
  'tmpFilesystem',
  'tmpBlockSize',
  'cgroupMemoryMax',
  'cgroupCpuMax',
  'zstdVersion',
  'tarVersion',
] as const;

const VM_LAYERS: readonly Virtualization[] = VIRTUALIZATIONS.filter((v) => v !== 'container');

function readCpuCount(value: unknown, at: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number') return wrongType(at, 'a number or null', value);
  if (!Number.isSafeInteger(value) || value < 1 || value > LIMITS.cpuCount) {
    reject(
      FormatErrorCode.NUMBER_INVALID,
      `${at} must be an integer from 1 to ${LIMITS.cpuCount}`,
      at,
    );
  }
  return value;
}

function readNullableBoolean(value: unknown, at: string): boolean | null {
  if (value !== null && typeof value !== 'boolean') wrongType(at, 'a boolean or null', value);
  return value;
}

/** `max` or a decimal u64 (the cgroup v2 `memory.max` file). */
function readMemoryMax(value: unknown, at: string): string | null {
  if (value === null) return null;
  const text = readString(value, at);
  if (text !== 'max' && !isDecimalU64(text))
    reject(FormatErrorCode.NUMBER_INVALID, `${at} must be "max" or a decimal u64`, at);
  return text;
}

/** `<quota|max> <period>` (the cgroup v2 `cpu.max` file), decimal without leading zeros. */
function readCpuMax(value: unknown, at: string): string | null {
  if (value === null) return null;
  const text = readString(value, at);
  const parts = text.split(' ');
  const ok =
    parts.length === 2 &&
    (parts[0] === 'max' || (isDecimalU64(parts[0]) && parts[0] !== '0')) &&
    isDecimalU64(parts[1]) &&
    parts[1] !== '0';
  if (!ok) reject(FormatErrorCode.NUMBER_INVALID, `${at} must be "<quota|max> <period>"`, at);
  return text;
}

export function readEnvironment(
  value: unknown,
  at: string,
  version: 1 | 2,
): Environment | EnvironmentV2 {
  const v = readObject({
    value,
    at,
    required: version === 1 ? ENVIRONMENT_FIELDS_V1 : ENVIRONMENT_FIELDS_V2,
  });
  const f = (key: (typeof ENVIRONMENT_FIELDS_V2)[number]): string => join(at, key);
  const osName = readNullableLabel(v['osName'], f('osName'));
  const osVersion = readNullableLabel(v['osVersion'], f('osVersion'));
  const kernel = readNullableLabel(v['kernel'], f('kernel'));
  const arch = readNullableLabel(v['arch'], f('arch'));
  const virtualization = readEnum({
    value: v['virtualization'],
    at: f('virtualization'),
    allowed: version === 1 ? VIRTUALIZATIONS : VM_LAYERS,
    code: FormatErrorCode.VIRTUALIZATION_UNKNOWN,
  });
  const cpuModel = readNullableLabel(v['cpuModel'], f('cpuModel'));
  const cpuCount = readCpuCount(v['cpuCount'], f('cpuCount'));
  const memoryBytes = readNullableU64String(v['memoryBytes'], f('memoryBytes'));
  const swapBytes = readNullableU64String(v['swapBytes'], f('swapBytes'));
  const diskFreeBytes = readNullableU64String(v['diskFreeBytes'], f('diskFreeBytes'));
  const containerRuntimeName = readNullableLabel(
    v['containerRuntimeName'],
    f('containerRuntimeName'),
  );
  const containerRuntimeVersion = readNullableLabel(
    v['containerRuntimeVersion'],
    f('containerRuntimeVersion'),
  );
  const gitVersion = readNullableLabel(v['gitVersion'], f('gitVersion'));
  const base: Environment = {
    osName,
    osVersion,
    kernel,
    arch,
    virtualization,
    cpuModel,
    cpuCount,
    memoryBytes,
    swapBytes,
    diskFreeBytes,
    containerRuntimeName,
    containerRuntimeVersion,
    gitVersion,
  };
  if (version === 1) return base;
  // Field by field onto the same object, not `{ ...base, container, … }`: V8 adds each field
  // after a spread on a slow path (60 µs per environment, more than the rest of the schema).
  const v2 = base as EnvironmentV2;
  v2.container = readEnum({
    value: v['container'],
    at: f('container'),
    allowed: CONTAINERS,
    code: FormatErrorCode.CONTAINER_UNKNOWN,
  });
  v2.containerRuntimeRootless = readNullableBoolean(
    v['containerRuntimeRootless'],
    f('containerRuntimeRootless'),
  );
  v2.buildDirFilesystem = readNullableLabel(v['buildDirFilesystem'], f('buildDirFilesystem'));
  v2.buildDirBlockSize = readNullableU64String(v['buildDirBlockSize'], f('buildDirBlockSize'));
  v2.tmpFilesystem = readNullableLabel(v['tmpFilesystem'], f('tmpFilesystem'));
  v2.tmpBlockSize = readNullableU64String(v['tmpBlockSize'], f('tmpBlockSize'));
  v2.cgroupMemoryMax = readMemoryMax(v['cgroupMemoryMax'], f('cgroupMemoryMax'));
  v2.cgroupCpuMax = readCpuMax(v['cgroupCpuMax'], f('cgroupCpuMax'));
  v2.zstdVersion = readNullableLabel(v['zstdVersion'], f('zstdVersion'));
  v2.tarVersion = readNullableLabel(v['tarVersion'], f('tarVersion'));
  return v2;
}
