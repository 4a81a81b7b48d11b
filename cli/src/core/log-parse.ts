import { kindFromOsLabel, type BuildableKind } from './artifacts';

/*
 * Reads what DFINITY's repro-check printed. Three generations of the script are understood
 * (all print `YYYY/MM/DD | HH:MM:SS | <epoch> [icon] message`, multi-line messages continue
 * on lines without the prefix):
 *  - `bash`: ci/tools/repro-check.sh (2023–2024), icons `[+]` `[-]` `[!] Warning -`;
 *    "…from the proposal/CDN does not match the one we just built for GuestOS." followed by
 *    "The sha256 sum we just built: <h>" / "The sha256 sum from the CDN: <h>.", success
 *    "Local = <h>" / "CDN   = <h>". It logs a mismatch and still exits 0.
 *  - `python-script`: ci/tools/repro-check.py (2025), icons `[ℹ️]` `[✅]` `[❌]` `[💥]`, same texts.
 *  - `python-logging`: ci/tools/repro-check (2025–), Python logging; "…from the remote does not
 *    match…" followed by "Local:   <h>" / "Remote:  <h>", success "Local = <h>" / "Remote = <h>".
 * Verdicts come from the hashes printed, never from the exit code.
 */

export type LogFormat = 'bash' | 'python-script' | 'python-logging' | 'unknown';
export type LogLevel = 'debug' | 'info' | 'success' | 'warning' | 'error' | 'critical';

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

export interface OsResult {
  kind: BuildableKind;
  /** The OS as the log names it ("GuestOS"). */
  label: string;
  localSha256: string | null;
  remoteSha256: string | null;
  /** From the two hashes; null when the log did not show both. */
  verdict: 'match' | 'mismatch' | null;
  /** What the script said (success line or error line). */
  reported: 'success' | 'failure';
  /** False when the script's words and its hashes disagree (the hashes win). */
  consistent: boolean;
}

export interface ProposalCheck {
  status: 'match' | 'mismatch' | 'not_seen';
  proposalSha256: string | null;
  remoteSha256: string | null;
}

export interface ParsedReproCheckLog {
  format: LogFormat;
  records: LogRecord[];
  /** One per OS, in the order the log reports them (a later report of the same OS replaces an earlier one). */
  results: OsResult[];
  /** The build step failed (a failing build command, a traceback out of the build). */
  buildFailed: boolean;
  /** The script stopped on an error before finishing (critical line, bash `error`, traceback). */
  aborted: boolean;
  /** The last line that reads like an error, without the log prefix; the note of a failed build. */
  lastErrorLine: string | null;
  tempDirectory: string | null;
  /** Compression of the release packages the log mentions. */
  compression: 'zst' | 'gz' | null;
  proposalCheck: ProposalCheck;
  firstEpochSeconds: number | null;
  lastEpochSeconds: number | null;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const PREFIX = /^(\d{4})\/(\d{2})\/(\d{2}) \| (\d{2}):(\d{2}):(\d{2}) \| (\d+) ?(.*)$/;
const HEX64 = '([0-9a-fA-F]{64})';

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

function splitRecords(text: string): {
  records: LogRecord[];
  orphanLines: Array<{ line: number; text: string }>;
  formatHints: Set<LogFormat>;
} {
  const lines = text.replace(ANSI, '').split(/\r?\n/);
  const records: LogRecord[] = [];
  const orphanLines: Array<{ line: number; text: string }> = [];
  const formatHints = new Set<LogFormat>();
  let current: LogRecord | null = null;
  lines.forEach((rawLine, index) => {
    // Progress bars redraw with \r: what is left after the last one is what stayed on screen.
    const line = rawLine.includes('\r') ? rawLine.slice(rawLine.lastIndexOf('\r') + 1) : rawLine;
    const match = PREFIX.exec(line);
    if (match) {
      let rest = match[8] ?? '';
      let level: LogLevel = 'info';
      for (const icon of ICONS) {
        const m = icon.pattern.exec(rest);
        if (m) {
          level = icon.level;
          if (icon.format) formatHints.add(icon.format);
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
      orphanLines.push({ line: index, text: line });
    }
  });
  return { records, orphanLines, formatHints };
}

function findHash(lines: string[], pattern: RegExp): string | null {
  for (const line of lines) {
    const m = pattern.exec(line);
    if (m?.[1]) return m[1].toLowerCase();
  }
  return null;
}

const LOCAL_PATTERNS = [
  new RegExp(`^\\s*Local\\s*[:=]\\s*${HEX64}`),
  new RegExp(`The sha256 sum we just built:\\s*${HEX64}`),
];
const REMOTE_PATTERNS = [
  new RegExp(`^\\s*(?:Remote|CDN)\\s*[:=]\\s*${HEX64}`),
  new RegExp(`The sha256 sum from the CDN:\\s*${HEX64}`),
];

function hashesNear(
  records: LogRecord[],
  start: number,
): { local: string | null; remote: string | null } {
  // The hashes are in the header record's own continuation lines (error) or in the next record
  // (success: "Verification successful" then "The sha256 sum … match:" with the hashes).
  const window = [records[start], records[start + 1]].filter(
    (r): r is LogRecord => r !== undefined,
  );
  const lines = window.flatMap((r) => [r.message, ...r.continuation.slice(0, 8)]);
  let local: string | null = null;
  let remote: string | null = null;
  for (const p of LOCAL_PATTERNS) local ??= findHash(lines, p);
  for (const p of REMOTE_PATTERNS) remote ??= findHash(lines, p);
  return { local, remote };
}

const SUCCESS_LINE = /^Verification successful for (.+?)!\s*$/;
const FAILURE_LINE =
  /^Error! The sha256 sum from the (?:remote|proposal\/CDN|CDN) does not match the one we just built for (.+?)\.?\s*$/;
const PROPOSAL_MISMATCH =
  /The sha256 sum from the proposal does not match the one from the CDN storage for/i;
const PROPOSAL_MATCH =
  /(?:The proposal's artifacts? and hash match|sha256sum from the proposal and (?:remote|CDN) match|shasum from the proposal and CDN match)/i;
const ERRORISH =
  /\b(?:error|failed|failure|fatal|exception|traceback|denied|not permitted|no space left|killed)\b|[a-z](?:Error|Exception)\b/i;

function lastErrorLineOf(
  records: LogRecord[],
  orphans: Array<{ line: number; text: string }>,
): string | null {
  const candidates: Array<{ line: number; text: string }> = [];
  for (const record of records) {
    if (record.level === 'error' || record.level === 'critical') {
      candidates.push({ line: record.line, text: record.message });
    }
    record.continuation.forEach((text, i) => {
      if (ERRORISH.test(text)) candidates.push({ line: record.line + 1 + i, text });
    });
  }
  for (const orphan of orphans) if (ERRORISH.test(orphan.text)) candidates.push(orphan);
  candidates.sort((a, b) => a.line - b.line);
  for (let i = candidates.length - 1; i >= 0; i--) {
    const text = candidates[i].text.trim();
    if (text !== '' && !/^Traceback \(most recent call last\):$/.test(text)) return text;
  }
  return null;
}

export function parseReproCheckLog(text: string): ParsedReproCheckLog {
  const { records, orphanLines, formatHints } = splitRecords(text);
  const byKind = new Map<BuildableKind, OsResult>();
  let proposalCheck: ProposalCheck = {
    status: 'not_seen',
    proposalSha256: null,
    remoteSha256: null,
  };
  let tempDirectory: string | null = null;
  let sawRemoteWording = false;

  records.forEach((record, index) => {
    const success = SUCCESS_LINE.exec(record.message);
    const failure = success ? null : FAILURE_LINE.exec(record.message);
    if (
      /from the remote does not match|Remote\s*=/.test(
        [record.message, ...record.continuation.slice(0, 4)].join('\n'),
      )
    ) {
      sawRemoteWording = true;
    }
    const label = success?.[1] ?? failure?.[1];
    if (label !== undefined) {
      const kind = kindFromOsLabel(label);
      if (kind !== null) {
        const { local, remote } = hashesNear(records, index);
        const verdict =
          local !== null && remote !== null ? (local === remote ? 'match' : 'mismatch') : null;
        const reported = success ? 'success' : 'failure';
        byKind.delete(kind);
        byKind.set(kind, {
          kind,
          label,
          localSha256: local,
          remoteSha256: remote,
          verdict,
          reported,
          consistent: verdict === null || (verdict === 'match') === (reported === 'success'),
        });
      }
    }
    if (PROPOSAL_MISMATCH.test(record.message)) {
      const lines = [record.message, ...record.continuation];
      proposalCheck = {
        status: 'mismatch',
        proposalSha256: findHash(
          lines,
          new RegExp(`(?:Proposal sum|sha256 sum from the proposal):?\\s*${HEX64}`, 'i'),
        ),
        remoteSha256: findHash(
          lines,
          new RegExp(`(?:CDN sum|sha256 sum from the CDN storage):?\\s*${HEX64}`, 'i'),
        ),
      };
    } else if (PROPOSAL_MATCH.test(record.message) && proposalCheck.status !== 'mismatch') {
      proposalCheck = { status: 'match', proposalSha256: null, remoteSha256: null };
    }
    const temp =
      /^Using temporary directory:\s*(\S+)/.exec(record.message) ??
      /^Set our working directory to a temporary one - (\S+)/.exec(record.message);
    if (temp?.[1]) tempDirectory = temp[1];
  });

  const allText = text.replace(ANSI, '');
  const sawTraceback = /^Traceback \(most recent call last\):/m.test(allText);
  const buildFailed =
    /CalledProcessError: Command .*build-ic/.test(allText) ||
    /^\S*build-ic\.sh.*(?:failed|returned non-zero)/im.test(allText) ||
    records.some(
      (r) =>
        (r.level === 'error' || r.level === 'critical') && /\bbuild\b.*\bfail/i.test(r.message),
    );
  const aborted = sawTraceback || records.some((r) => r.level === 'critical') || buildFailed;

  const zst = /\.tar\.zst\b/.test(allText);
  const gz = /\.tar\.gz\b/.test(allText);
  const compression = zst ? 'zst' : gz ? 'gz' : null;

  let format: LogFormat = 'unknown';
  if (formatHints.has('bash')) format = 'bash';
  else if (formatHints.has('python-script')) format = 'python-script';
  else if (sawRemoteWording || records.some((r) => r.message.includes('Using temporary directory')))
    format = 'python-logging';
  else if (records.length > 0) format = 'python-script';

  return {
    format,
    records,
    results: [...byKind.values()],
    buildFailed,
    aborted,
    lastErrorLine: lastErrorLineOf(records, orphanLines),
    tempDirectory,
    compression,
    proposalCheck,
    firstEpochSeconds: records[0]?.epochSeconds ?? null,
    lastEpochSeconds: records.at(-1)?.epochSeconds ?? null,
  };
}
