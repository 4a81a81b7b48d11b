/*
 * The launch measurements repro-check prints, as values: `Local = {…}` / `Remote = {…}` on a
 * match, `Local:   {…}` / `Remote:  {…}` on a mismatch, each the `str()` of the parsed
 * launch-measurements.json — the measurement as a list of byte values until 2026, as a hex
 * string since (`format_measurements`). Both read to the same canonical value and hash
 * (`launchMeasurementsSha256` of @repro-registry/attestation).
 */
import { launchMeasurementsSha256, type LaunchMeasurementValue } from '@repro-registry/attestation';
import { parsePythonLiteral, type PythonValue } from './python-literal';

export interface MeasurementReading {
  local: LaunchMeasurementValue[] | null;
  remote: LaunchMeasurementValue[] | null;
  localSha256: string | null;
  remoteSha256: string | null;
  /** Why a printed value could not be read, if one could not. */
  problem: string | null;
}

function isDict(v: PythonValue | undefined): v is { [key: string]: PythonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function measurementHex(value: PythonValue | undefined): string | null {
  if (typeof value === 'string')
    return /^(?:[0-9a-fA-F]{2})*$/.test(value) ? value.toLowerCase() : null;
  if (!Array.isArray(value)) return null;
  let hex = '';
  for (const byte of value) {
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 255) return null;
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/**
 * Launch measurements from the value repro-check printed (or from launch-measurements.json):
 * `{'guest_launch_measurements': [{'measurement': …, 'metadata': {'kernel_cmdline': …}}]}`.
 * Metadata that is absent, None or `{}` (no kernel command line) reads as null.
 */
export function measurementsFromValue(value: PythonValue): LaunchMeasurementValue[] | null {
  if (!isDict(value)) return null;
  const list = value['guest_launch_measurements'];
  if (!Array.isArray(list)) return null;
  const out: LaunchMeasurementValue[] = [];
  for (const entry of list) {
    if (!isDict(entry)) return null;
    const hex = measurementHex(entry['measurement']);
    if (hex === null) return null;
    const metadata = entry['metadata'];
    let kernelCmdline: string | null = null;
    if (isDict(metadata)) {
      const cmdline = metadata['kernel_cmdline'];
      if (cmdline !== undefined && typeof cmdline !== 'string') return null;
      kernelCmdline = cmdline ?? null;
    } else if (metadata !== undefined && metadata !== null) return null;
    out.push({ measurementHex: hex, kernelCmdline });
  }
  return out;
}

function valueAfter(lines: readonly string[], label: RegExp): string | null {
  for (const line of lines) {
    const m = label.exec(line);
    if (m) return line.slice(m[0].length).trim();
  }
  return null;
}

/** Reads the `Local` and `Remote` values of a measurement comparison from its lines. */
export function readMeasurements(lines: readonly string[]): MeasurementReading {
  const problems: string[] = [];
  const read = (side: 'Local' | 'Remote') => {
    const text = valueAfter(lines, new RegExp(`^\\s*${side}\\s*[:=]\\s*`));
    if (text === null) {
      problems.push(`no ${side} value`);
      return null;
    }
    try {
      const values = measurementsFromValue(parsePythonLiteral(text));
      if (values === null) problems.push(`the ${side} value is not launch measurements`);
      return values;
    } catch (error) {
      problems.push(`the ${side} value cannot be read (${(error as Error).message})`);
      return null;
    }
  };
  const local = read('Local');
  const remote = read('Remote');
  return {
    local,
    remote,
    localSha256: local === null ? null : launchMeasurementsSha256(local),
    remoteSha256: remote === null ? null : launchMeasurementsSha256(remote),
    problem: problems.length === 0 ? null : problems.join('; '),
  };
}
