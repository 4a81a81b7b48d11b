/** Formatting for people. Times are shown in UTC: voters and builders are in every time zone. */

export function shortHash(hash: string, length = 12): string {
  return hash.length <= length ? hash : `${hash.slice(0, length)}…`;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 9);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const GIB = 2 ** 30;

/** Decimal byte count → "15.6 GiB"; null → "unknown". */
export function formatBytes(bytes: string | null): string {
  if (bytes === null) return 'unknown';
  const n = Number(bytes);
  if (!Number.isFinite(n)) return `${bytes} B`;
  if (n === 0) return '0';
  if (n >= GIB) return `${trim(n / GIB)} GiB`;
  if (n >= 2 ** 20) return `${trim(n / 2 ** 20)} MiB`;
  return `${n} B`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, '');
}

function pad(n: number): string {
  return n.toString().padStart(2, '0');
}

/** Epoch ms → "2026-11-20 09:12 UTC"; "—" for no time (0 is governance's "unknown", not 1970). */
export function formatTime(ms: number | null): string {
  if (ms === null || !(ms > 0)) return '—';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** A span in ms → "2 d 3 h", "3 h 5 min", "4 min", "under a minute". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  if (mins > 0) return `${mins} min`;
  return 'under a minute';
}

/** "in 2 d 3 h" / "3 h ago" relative to `now`. */
export function formatRelative(ms: number, now: number): string {
  const delta = ms - now;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** Duration of a build from its RFC 3339 start and end. */
export function buildDuration(startedOn: string, finishedOn: string): string | null {
  const start = Date.parse(startedOn);
  const end = Date.parse(finishedOn);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return formatDuration(end - start);
}

const VIRTUALIZATION_LABELS: Record<string, string> = {
  bare_metal: 'bare metal',
  wsl2: 'WSL2',
  virtualbox: 'VirtualBox',
  kvm: 'KVM',
  vmware: 'VMware',
  hyper_v: 'Hyper-V',
  cloud_vm: 'cloud VM',
  container: 'container',
  unknown: 'unknown',
};

export function virtualizationLabel(value: string): string {
  return VIRTUALIZATION_LABELS[value] ?? value;
}

/** Only http(s) addresses become links; anything else is shown as text. */
export function safeHttpUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
