/*
 * Splits what repro-check printed into log records. Every generation prints
 * `YYYY/MM/DD | HH:MM:SS | <epoch> [icon] message`; a multi-line message, and the output of the
 * programs it runs (git, podman, bazel), continue on lines without the prefix. The bash script
 * and `repro-check.py` always colour their lines, the logging-based script only on a terminal;
 * a log saved on Windows has CRLF line ends; progress bars redraw with a bare CR.
 */

export type LogLevel = 'debug' | 'info' | 'success' | 'warning' | 'error' | 'critical';

/**
 * The script generation the icons give away:
 * - `bash`: `ci/tools/repro-check.sh` (2023–2024): `[+]` `[-]` `[!] Warning -` `[_]`.
 * - `python-script`: `ci/tools/repro-check.py` (early 2025, print-based): `[✅]` for success.
 * - `python-logging`: `ci/tools/repro-check` and `ci/scripts/repro-check` (2025–): Python
 *   logging, `[ℹ️]` `[⚠️ Warning]` `[❌]` `[💥]` `[🐞]`, never `[✅]`.
 */
export type LogFormat = 'bash' | 'python-script' | 'python-logging' | 'unknown';

export interface LogRecord {
  /** 0-based line number of the record's first line. */
  line: number;
  epochSeconds: number;
  level: LogLevel;
  /** The first line of the message, without prefix and icon. */
  message: string;
  /** Lines printed after it without the prefix: the rest of a multi-line message, or other programs' output. */
  continuation: string[];
}

export interface SplitLog {
  records: LogRecord[];
  /** Lines before the first record. */
  orphans: Array<{ line: number; text: string }>;
  /** Every line, cleaned (no colour codes, CR handled). */
  lines: string[];
  format: LogFormat;
}

// eslint-disable-next-line no-control-regex -- colour codes are what this removes
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const PREFIX = /^(\d{4})\/(\d{2})\/(\d{2}) \| (\d{2}):(\d{2}):(\d{2}) \| (\d+) ?(.*)$/;

const ICONS: Array<{ pattern: RegExp; level: LogLevel; format?: LogFormat }> = [
  { pattern: /^\[🐞\]\s?/u, level: 'debug' },
  { pattern: /^\[_\]\s?/, level: 'debug', format: 'bash' },
  { pattern: /^\[ℹ️?\]\s?/u, level: 'info' },
  { pattern: /^\[✅\]\s?/u, level: 'success', format: 'python-script' },
  { pattern: /^\[⚠️? ?Warning\]\s?/u, level: 'warning' },
  { pattern: /^\[❌\]\s?/u, level: 'error' },
  { pattern: /^\[💥\]\s?/u, level: 'critical' },
  { pattern: /^\[\+\]\s?/, level: 'info', format: 'bash' },
  { pattern: /^\[-\]\s?/, level: 'error', format: 'bash' },
  { pattern: /^\[!\]\s?(?:Warning - )?/, level: 'warning', format: 'bash' },
];

/** The text as it stood on screen: no colour codes, CRLF as LF, a line redrawn with CR as its last state. */
export function cleanLines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => (line.includes('\r') ? line.slice(line.lastIndexOf('\r') + 1) : line));
}

export function splitRecords(text: string): SplitLog {
  const lines = cleanLines(text);
  const records: LogRecord[] = [];
  const orphans: Array<{ line: number; text: string }> = [];
  const hints = new Set<LogFormat>();
  let sawIcon = false;
  let current: LogRecord | null = null;
  lines.forEach((line, index) => {
    const match = PREFIX.exec(line);
    if (match) {
      let rest = match[8] ?? '';
      let level: LogLevel = 'info';
      for (const icon of ICONS) {
        const m = icon.pattern.exec(rest);
        if (m) {
          level = icon.level;
          sawIcon = true;
          if (icon.format) hints.add(icon.format);
          rest = rest.slice(m[0].length);
          break;
        }
      }
      current = {
        line: index,
        epochSeconds: Number(match[7]),
        level,
        message: rest.trim(),
        continuation: [],
      };
      records.push(current);
    } else if (current !== null) {
      current.continuation.push(line);
    } else {
      orphans.push({ line: index, text: line });
    }
  });
  let format: LogFormat = 'unknown';
  if (hints.has('bash')) format = 'bash';
  else if (hints.has('python-script')) format = 'python-script';
  else if (sawIcon) format = 'python-logging';
  return { records, orphans, lines, format };
}
