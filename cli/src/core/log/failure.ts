/*
 * Why a repro-check run failed, as a reader of the attestation needs it: the first real error
 * line (what podman, bazel or Python said first — not the wrapper that reports "Command ...
 * returned non-zero exit status 1" afterwards) and a category, so a broken machine is told
 * from a broken build. The patterns come from the failures the forum thread's builders hit (no
 * space, RAM, a podman temp-file permission error, a stale download) and from the script's own
 * error messages in dfinity/ic.
 */
import type { FailureCategory } from '@repro-registry/attestation';

export interface FailureCause {
  category: FailureCategory;
  /** The line, trimmed (at most 512 bytes once cleaned for the attestation). */
  cause: string;
}

/** Lines that say something failed without saying why: skipped while a better line exists. */
const WRAPPERS: RegExp[] = [
  /^Traceback \(most recent call last\):$/,
  /^Error in atexit\._run_exitfuncs:?$/,
  /returned non-zero exit status \d+/,
  /^(?:subprocess\.)?CalledProcessError\b/,
  /^ERROR: Build did NOT complete successfully/,
  /^ERROR: .*: Action .* failed: \(Exit \d+\)/,
  /^ERROR: .* failed: \(Exit \d+\)/,
  /^FAILED: Build did NOT complete/,
  /^Error: (?:building at STEP|error building at STEP)/,
  /^make(?:\[\d+\])?: \*\*\* /,
  /^\+ /,
  /^ {2}File "/,
];

const ENVIRONMENT: RegExp[] = [
  /no space left on device/i,
  /disk quota exceeded/i,
  /cannot allocate memory|out of memory|oom[- ]?kill|memory exhausted|\bKilled\b/i,
  /PermissionError|permission denied|operation not permitted/i,
  /read-only file system/i,
  /too many open files/i,
  /newuidmap|newgidmap|\/etc\/sub[ug]id|cannot set up namespace|user namespaces? (?:are|is) not enabled/i,
  /(?:podman|docker|git|zstd|curl): (?:command )?not found|No such file or directory: '(?:podman|git|docker)'/i,
  /Please run this script on x86_64/i,
  /Failed to install \w+/i,
  /cannot connect to (?:podman|the docker daemon)/i,
];

const DOWNLOAD: RegExp[] = [
  /Could not download|Could not fetch|download interrupted|File is supposed to be \d+ bytes/i,
  /HTTP Error \d+|urlopen error|HTTP code \d+|returned error: \d+/i,
  /Connection (?:refused|reset|timed out)|Temporary failure in name resolution|Name or service not known|Network is unreachable/i,
  /curl: \(\d+\)/,
  /The sources for .* do not all match/i,
  /doesn't match the (?:CDN sha256 sum|published artifact)/i,
  /Couldn't find .* in .*SHA256SUMS/i,
  /The sha256 sum from the proposal does not match the one from the CDN/i,
  /The proposal's artifacts? hash .*does not match/i,
  /The measurements from the proposal do not match the ones from the CDN/i,
  /fatal: (?:unable to access|could not read|remote error|repository .* not found)/i,
  /Could not resolve host/i,
];

const ERRORISH =
  /\b(?:error|failed|failure|fatal|exception|denied|not permitted|no space left|killed|cannot|could not|couldn't)\b|[a-z](?:Error|Exception)\b/i;

function categoryOf(line: string): FailureCategory | null {
  if (ENVIRONMENT.some((p) => p.test(line))) return 'environment';
  if (DOWNLOAD.some((p) => p.test(line))) return 'download';
  return null;
}

/**
 * The cause of a failure from the lines the failing step printed, in order. A line that names
 * the machine or a download wins; otherwise the first error line that is not a wrapper, with
 * `fallback` as the category (`build` for the build step); otherwise the first wrapper line.
 */
export function failureCause(
  lines: readonly string[],
  fallback: FailureCategory,
): FailureCause | null {
  const candidates = lines.map((l) => l.trim()).filter((l) => l !== '' && ERRORISH.test(l));
  for (const line of candidates) {
    const category = categoryOf(line);
    if (category !== null && !WRAPPERS.some((w) => w.test(line))) return { category, cause: line };
  }
  const real = candidates.find((l) => !WRAPPERS.some((w) => w.test(l)));
  if (real !== undefined) return { category: categoryOf(real) ?? fallback, cause: real };
  const first = candidates[0];
  return first === undefined ? null : { category: categoryOf(first) ?? fallback, cause: first };
}

/** The category of a message the script itself printed when it stopped (its `[💥]` line). */
export function categoryOfMessage(message: string): FailureCategory {
  return categoryOf(message) ?? 'unknown';
}
