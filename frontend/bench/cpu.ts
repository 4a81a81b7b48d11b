/**
 * The CPU a page load costs the machine, read from Linux's /proc (proc(5)): every process of the
 * bench's Chromium (the page's renderer with its main thread, workers and WebCrypto threads; the
 * browser, GPU and network processes) and the bench's own process, which runs the local network's
 * replica and HTTP servers. On 2 cores a load that uses C CPU-ms cannot end before C / 2 ms,
 * however its work is ordered: this is that floor, measured.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** The fields of /proc/<pid>/stat used here: parent, and user + system time in clock ticks. */
export interface ProcessStat {
  pid: number;
  /** The command name (a thread's name, for /proc/<pid>/task/<tid>/stat). */
  name: string;
  ppid: number;
  ticks: number;
}

/**
 * One /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself hold
 * spaces and parentheses, so the fields after it are counted from the last ')'.
 */
export function parseStat(line: string): ProcessStat | null {
  const open = line.indexOf(' (');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(line.slice(0, open));
  // After ") ": field 3 (state), 4 (ppid), … 14 (utime), 15 (stime).
  const after = line.slice(close + 2).split(' ');
  const ppid = Number(after[1]);
  const ticks = Number(after[11]) + Number(after[12]);
  return Number.isInteger(pid) && Number.isInteger(ppid) && Number.isFinite(ticks)
    ? { pid, name: line.slice(open + 2, close), ppid, ticks }
    : null;
}

/**
 * Chromium's process kinds, from the `--type=` switch of its command line (none: the browser).
 * Processes forked from the zygote rewrite their title: /proc shows their switches joined by
 * spaces, not NULs (`argvOf`).
 */
export type ProcessKind = 'renderer' | 'gpu' | 'utility' | 'zygote' | 'browser' | 'other';

export function chromiumKind(argv: readonly string[]): ProcessKind {
  const type = argv.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  switch (type) {
    case undefined:
      return 'browser';
    case 'renderer':
    case 'utility':
    case 'zygote':
      return type;
    case 'gpu-process':
      return 'gpu';
    default:
      return 'other';
  }
}

/** /proc/<pid>/cmdline as words: NUL-separated, or space-separated once a process retitled itself. */
export const argvOf = (cmdline: string): string[] => cmdline.split(/[\0 ]/).filter((a) => a !== '');

/**
 * CPU ticks so far of `root` and every process below it, by pid; for renderers, also by thread
 * name (`threads`: several threads may share a name, e.g. workers, V8's helpers).
 */
export type CpuSnapshot = Map<
  number,
  { ticks: number; kind: ProcessKind | 'self'; threads?: Map<string, number> }
>;

/**
 * A process's threads' ticks by thread (`name#tid`; Linux keeps 15 characters of a name). The
 * process's first thread, whose name is the program's, is the renderer's main thread.
 */
function threadTicks(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return byName; // the process ended meanwhile
  }
  for (const tid of tids) {
    const line = readOr(`/proc/${pid}/task/${tid}/stat`);
    const stat = line === null ? null : parseStat(line);
    if (stat !== null)
      byName.set(`${stat.pid === pid ? 'main thread' : stat.name}#${tid}`, stat.ticks);
  }
  return byName;
}

function readOr(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended meanwhile
  }
}

/**
 * `kinds`: what earlier snapshots learnt of each process's kind (its command line is read once;
 * the sampler takes ten snapshots a second and should cost the machine little).
 */
export function snapshot(
  root: number = process.pid,
  kinds: Map<number, ProcessKind> = new Map(),
): CpuSnapshot {
  const stats: ProcessStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const line = readOr(`/proc/${entry}/stat`);
    const stat = line === null ? null : parseStat(line);
    if (stat !== null) stats.push(stat);
  }
  const children = new Map<number, ProcessStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: CpuSnapshot = new Map();
  const own = stats.find((s) => s.pid === root);
  if (own !== undefined) out.set(root, { ticks: own.ticks, kind: 'self' });
  const below = [...(children.get(root) ?? [])];
  for (let s = below.pop(); s !== undefined; s = below.pop()) {
    const kind = kinds.get(s.pid) ?? chromiumKind(argvOf(readOr(`/proc/${s.pid}/cmdline`) ?? ''));
    // A process just forked from the zygote shows the zygote's title until it retitles itself.
    if (kind !== 'zygote') kinds.set(s.pid, kind);
    out.set(s.pid, {
      ticks: s.ticks,
      kind,
      ...(kind === 'renderer' ? { threads: threadTicks(s.pid) } : {}),
    });
    below.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

let tickMs: number | undefined;
/** Milliseconds per clock tick (`getconf CLK_TCK`; 100 Hz when it cannot be read). */
function msPerTick(): number {
  if (tickMs === undefined) {
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
    tickMs = 1000 / (Number.isFinite(hz) && hz > 0 ? hz : 100);
  }
  return tickMs;
}

/** CPU used between two snapshots, in ms, by kind. A process that began meanwhile counts whole. */
export interface CpuUse {
  /** The page's renderer: its main thread, workers and WebCrypto's threads. */
  renderer: number;
  /** Chromium's other processes: browser, GPU, network. */
  chromium: number;
  /** The bench's own process: the local network's replica and HTTP servers, and the bench. */
  self: number;
  /** The renderers' share by thread name (main thread, workers, V8's and Chromium's helpers). */
  rendererThreads: Record<string, number>;
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, perTick = msPerTick()): CpuUse {
  const use: CpuUse = { renderer: 0, chromium: 0, self: 0, rendererThreads: {} };
  for (const [pid, now] of after) {
    const was = before.get(pid);
    const used = (now.ticks - (was?.ticks ?? 0)) * perTick;
    if (now.kind === 'self') use.self += used;
    else if (now.kind === 'renderer') use.renderer += used;
    else use.chromium += used;
    for (const [thread, ticks] of now.threads ?? []) {
      const name = thread.slice(0, thread.lastIndexOf('#'));
      const threadUsed = (ticks - (was?.threads?.get(thread) ?? 0)) * perTick;
      use.rendererThreads[name] = (use.rendererThreads[name] ?? 0) + threadUsed;
    }
  }
  return use;
}

/**
 * Snapshots taken every `intervalMs` while a load runs, so that the CPU used up to a moment the
 * page marks (known only afterwards) is read from the last snapshot taken before it.
 */
export class CpuSampler {
  private readonly samples: { atMs: number; snap: CpuSnapshot }[] = [];
  private readonly kinds = new Map<number, ProcessKind>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(intervalMs = 100) {
    const sample = () =>
      this.samples.push({ atMs: Date.now(), snap: snapshot(process.pid, this.kinds) });
    sample();
    this.timer = setInterval(sample, intervalMs);
    // A run that fails before `stop` must not keep the bench's process alive.
    this.timer.unref();
  }

  /** Stops sampling; the CPU used from the start to the last snapshot at or before `untilMs` (epoch ms). */
  stop(untilMs: number): CpuUse {
    clearInterval(this.timer);
    const first = this.samples[0];
    let last = first;
    for (const s of this.samples) if (s.atMs <= untilMs) last = s;
    return cpuBetween(first.snap, last.snap);
  }
}
