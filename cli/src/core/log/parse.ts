import { kindFromOsLabel, type BuildableKind } from '../artifacts';
import { categoryOfMessage, failureCause, type FailureCause } from './failure';
import { readMeasurements, type MeasurementReading } from './measurements';
import { splitRecords, type LogFormat, type LogRecord } from './records';

/*
 * Reads what DFINITY's repro-check printed, in every generation of the script (each fixture in
 * cli/test/fixtures/logs names the source it was written from):
 *  - bash `ci/tools/repro-check.sh` (2023–2024): "…from the proposal/CDN does not match the one
 *    we just built for GuestOS." with "The sha256 sum we just built:" / "…from the CDN:";
 *    success "Local = <h>" / "CDN   = <h>". A mismatch is logged and the script exits 0.
 *  - `ci/tools/repro-check.py` (early 2025, print-based): same texts, icons `[✅]` `[❌]` `[💥]`.
 *  - `ci/tools/repro-check`, `ci/scripts/repro-check` (2025–, Python logging): "…from the
 *    remote does not match…" with "Local:" / "Remote:", success "Local = " / "Remote = ". Until
 *    September 2026 a mismatch was logged and the script still exited 0; since then every
 *    comparison runs and one error lists what did not match (exit 1). Since late 2025 it also
 *    compares the GuestOS launch measurements ("Verification successful for guest-os!", Python
 *    dict reprs as values) — a result of its own, never a GuestOS image result.
 * Verdicts come from the values printed, never from the exit code.
 */

export interface ImageResult {
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

/** @deprecated name kept for importers: an image result. */
export type OsResult = ImageResult;

export interface MeasurementResult extends MeasurementReading {
  verdict: 'match' | 'mismatch' | null;
  reported: 'success' | 'failure';
  consistent: boolean;
}

export interface ProposalCheck {
  status: 'match' | 'mismatch' | 'not_seen';
  proposalSha256: string | null;
  remoteSha256: string | null;
  /** The proposal's launch measurements against the CDN's (GuestOS, 2025–). */
  measurements: 'match' | 'mismatch' | 'not_seen';
}

export interface ParsedReproCheckLog {
  format: LogFormat;
  records: LogRecord[];
  /** One per image, in the order the log reports them; a repeated report does not replace the first. */
  results: ImageResult[];
  /** The GuestOS launch-measurement comparison, when the log has one. */
  measurements: MeasurementResult | null;
  /** Kinds the log reported more than once (the first report is kept). */
  repeatedReports: string[];
  /** The commit the script checked out to build ("Checking out <sha>."). */
  checkedOutCommit: string | null;
  buildStarted: boolean;
  buildFinished: boolean;
  /** The build step failed (it started and did not finish, or its command failed). */
  buildFailed: boolean;
  /** The script stopped before its normal end (a `[💥]` line, an uncaught traceback, bash `error`). */
  aborted: boolean;
  /** Its last word when it stopped (`[💥]` message, or the exception line). */
  stopMessage: string | null;
  /** The current script's closing error: what did not match ("GuestOS update image", …). */
  reportedMismatches: string[] | null;
  /** Why the run failed, when it did (not set for a run that only found mismatches). */
  failure: FailureCause | null;
  tempDirectory: string | null;
  /** Compression of the release packages the log mentions. */
  compression: 'zst' | 'gz' | null;
  proposalCheck: ProposalCheck;
  firstEpochSeconds: number | null;
  lastEpochSeconds: number | null;
  /** Null when the log can be read; otherwise why not (such a log is never signed). */
  unrecognised: string | null;
}

const HEX64 = '([0-9a-fA-F]{64})';
const SUCCESS_LINE = /^Verification successful for (.+?)!\s*$/;
const FAILURE_LINE =
  /^Error! The sha256 sum from the (?:remote|proposal\/CDN|CDN) does not match the one we just built for (.+?)\.?\s*$/;
const MEASUREMENT_FAILURE_LINE =
  /^Error! The measurements from the remote do(?:es)? not match the ones? we just built for (.+?)\.?\s*$/;
const MEASUREMENT_DETAIL = /^The measurements for .* match:?\s*$/;
const PROPOSAL_MISMATCH =
  /The sha256 sum from the proposal does not match the one from the CDN storage for/i;
const PROPOSAL_MATCH =
  /(?:The proposal's artifacts? and hash match|sha256sum from the proposal and (?:remote|CDN) match|shasum from the proposal and CDN match)/i;
const CHECKOUT = /^(?:Checking out|Checkout) ([0-9a-fA-F]{40})(?:\.| commit)?\s*$/;
const BUILD_START = /^Build(?:ing)? IC-OS\b/;
const BUILD_DONE = /^(?:Built IC-OS successfully|IC-OS build complete)\.?\s*$/;
const MISMATCH_LIST =
  /^The locally built artifacts do not match the remote CDN artifacts for: (.+)$/;
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?:Error|Exception|Interrupt)\b/;

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

function hashesIn(lines: string[]): { local: string | null; remote: string | null } {
  let local: string | null = null;
  let remote: string | null = null;
  for (const p of LOCAL_PATTERNS) local ??= findHash(lines, p);
  for (const p of REMOTE_PATTERNS) remote ??= findHash(lines, p);
  return { local, remote };
}

const linesOf = (r: LogRecord | undefined): string[] =>
  r === undefined ? [] : [r.message, ...r.continuation.slice(0, 8)];

function verdictOf(a: string | null, b: string | null): 'match' | 'mismatch' | null {
  return a !== null && b !== null ? (a === b ? 'match' : 'mismatch') : null;
}

export function parseReproCheckLog(text: string): ParsedReproCheckLog {
  const { records, lines, format } = splitRecords(text);
  const results: ImageResult[] = [];
  const repeatedReports: string[] = [];
  let measurements: MeasurementResult | null = null;
  const proposalCheck: ProposalCheck = {
    status: 'not_seen',
    proposalSha256: null,
    remoteSha256: null,
    measurements: 'not_seen',
  };
  let tempDirectory: string | null = null;
  let checkedOutCommit: string | null = null;
  let buildStart: LogRecord | null = null;
  let buildFinished = false;
  let reportedMismatches: string[] | null = null;

  const addImage = (result: ImageResult) => {
    if (results.some((r) => r.kind === result.kind)) repeatedReports.push(result.label);
    else results.push(result);
  };
  const addMeasurements = (reading: MeasurementReading, reported: 'success' | 'failure') => {
    const verdict = verdictOf(reading.localSha256, reading.remoteSha256);
    const result: MeasurementResult = {
      ...reading,
      verdict,
      reported,
      consistent: verdict === null || (verdict === 'match') === (reported === 'success'),
    };
    if (measurements !== null) repeatedReports.push('launch measurements');
    else measurements = result;
  };

  records.forEach((record, index) => {
    const next = records[index + 1];
    const success = SUCCESS_LINE.exec(record.message);
    const failure = success ? null : FAILURE_LINE.exec(record.message);
    const measurementFailure = MEASUREMENT_FAILURE_LINE.exec(record.message);
    if (success && next !== undefined && MEASUREMENT_DETAIL.test(next.message)) {
      addMeasurements(readMeasurements(next.continuation), 'success');
    } else if (measurementFailure) {
      addMeasurements(readMeasurements(record.continuation), 'failure');
    } else if (success || failure) {
      const label = (success ?? failure)![1];
      const kind = kindFromOsLabel(label);
      if (kind !== null) {
        // Error: the hashes follow in its own lines; success: in the next record's.
        const { local, remote } = hashesIn(
          success ? [...linesOf(record), ...linesOf(next)] : linesOf(record),
        );
        const verdict = verdictOf(local, remote);
        const reported = success ? 'success' : 'failure';
        addImage({
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
      const own = [record.message, ...record.continuation];
      proposalCheck.status = 'mismatch';
      proposalCheck.proposalSha256 = findHash(
        own,
        new RegExp(`(?:Proposal sum|sha256 sum from the proposal):?\\s*${HEX64}`, 'i'),
      );
      proposalCheck.remoteSha256 = findHash(
        own,
        new RegExp(`(?:CDN sum|sha256 sum from the CDN storage):?\\s*${HEX64}`, 'i'),
      );
    } else if (PROPOSAL_MATCH.test(record.message) && proposalCheck.status !== 'mismatch') {
      proposalCheck.status = 'match';
    }
    if (/measurements from the proposal and remote match/i.test(record.message))
      proposalCheck.measurements = 'match';
    if (/measurements from the proposal do not match/i.test(record.message))
      proposalCheck.measurements = 'mismatch';
    const temp =
      /^Using temporary directory:\s*(\S+)/.exec(record.message) ??
      /^Set our working directory to a temporary one - (\S+)/.exec(record.message);
    if (temp?.[1]) tempDirectory = temp[1];
    const checkout = CHECKOUT.exec(record.message);
    if (checkout?.[1]) checkedOutCommit = checkout[1].toLowerCase();
    if (BUILD_START.test(record.message)) buildStart ??= record;
    if (BUILD_DONE.test(record.message)) buildFinished = true;
    const list = MISMATCH_LIST.exec(record.message);
    if (record.level === 'critical' && list?.[1]) reportedMismatches = list[1].split(/,\s*/);
  });

  const lastLine =
    [...lines]
      .reverse()
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const uncaught =
    lines.some((l) => /^Traceback \(most recent call last\):/.test(l)) &&
    EXCEPTION_LINE.test(lastLine);
  const critical = records.filter((r) => r.level === 'critical').at(-1);
  // bash `error` prints `[-] <message>` and exits: a last record at error level that is no result.
  const lastRecord = records.at(-1);
  const bashStop =
    format === 'bash' &&
    lastRecord?.level === 'error' &&
    !FAILURE_LINE.test(lastRecord.message) &&
    !MEASUREMENT_FAILURE_LINE.test(lastRecord.message);
  const aborted = critical !== undefined || uncaught || bashStop;
  const stopMessage =
    critical?.message ?? (uncaught ? lastLine : bashStop ? lastRecord.message : null);

  const buildStarted = buildStart !== null;
  const buildFailed =
    (buildStarted && !buildFinished && results.length === 0) ||
    /CalledProcessError: Command .*build-ic/.test(lines.join('\n'));

  let failure: FailureCause | null = null;
  if (buildFailed && buildStart !== null) {
    const start: LogRecord = buildStart;
    failure = failureCause(lines.slice(start.line + 1), 'build');
  } else if (aborted && reportedMismatches === null && stopMessage !== null) {
    const own = critical ? [critical.message, ...critical.continuation] : [stopMessage];
    failure = { category: categoryOfMessage(own.join('\n')), cause: stopMessage };
  }

  const zst = lines.some((l) => /\.tar\.zst\b/.test(l));
  const gz = lines.some((l) => /\.tar\.gz\b/.test(l));

  let unrecognised: string | null = null;
  if (format === 'unknown')
    unrecognised =
      records.length === 0
        ? 'no line has the log prefix "YYYY/MM/DD | HH:MM:SS | <epoch>"'
        : 'no line carries an icon of a known repro-check generation';
  else if (results.length === 0 && measurements === null && !aborted && !buildFailed)
    unrecognised = 'the log reports no result and no failure';
  else if (repeatedReports.length > 0)
    unrecognised = `the log reports ${repeatedReports.join(', ')} more than once`;

  return {
    format,
    records,
    results,
    measurements,
    repeatedReports,
    checkedOutCommit,
    buildStarted,
    buildFinished,
    buildFailed,
    aborted,
    stopMessage,
    reportedMismatches,
    failure,
    tempDirectory,
    compression: zst ? 'zst' : gz ? 'gz' : null,
    proposalCheck,
    firstEpochSeconds: records[0]?.epochSeconds ?? null,
    lastEpochSeconds: records.at(-1)?.epochSeconds ?? null,
    unrecognised,
  };
}
