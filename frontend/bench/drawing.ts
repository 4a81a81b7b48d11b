/**
 * What drawing costs the main thread during a load, from a run's CPU profile (scripting inside
 * Svelte's flushes) and its DevTools timeline trace (style, layout and paint; layouts forced from
 * script). The page's other main-thread work (decoding replies, checking certificates) waits
 * behind every millisecond of it.
 */

/** Chrome DevTools' CPU profile (`Profiler.stop`). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** A Chrome trace event (`Tracing.dataCollected`). */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; beginData?: { stackTrace?: unknown; url?: string } };
}

export interface DrawingCost {
  /** Samples in JavaScript (not idle, not the browser's own work). */
  scriptMs: number;
  /** Of those, inside Svelte's flushes: components and the values they derive. */
  svelteMs: number;
  /** Style recalculation on the page's main thread. */
  styleMs: number;
  layoutMs: number;
  /** Of the layouts, those forced by script reading a size while drawing. */
  forcedLayoutMs: number;
  /** Paint, pre-paint and layerization. */
  paintMs: number;
}

/** Svelte 5's flush of its effect queue (`Batch#process`): everything a state change redraws. */
const SVELTE_FLUSH = new Set(['#process', 'flushSync']);
const NOT_SCRIPT = new Set(['(idle)', '(program)', '(root)']);

export function scriptingCost(profile: CpuProfile): { scriptMs: number; svelteMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inFlush = new Map<number, boolean>();
  const flushing = (id: number): boolean => {
    const known = inFlush.get(id);
    if (known !== undefined) return known;
    const up = parent.get(id);
    const result =
      SVELTE_FLUSH.has(byId.get(id)?.callFrame.functionName ?? '') ||
      (up !== undefined && flushing(up));
    inFlush.set(id, result);
    return result;
  };
  let scriptMs = 0;
  let svelteMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (NOT_SCRIPT.has(byId.get(id)?.callFrame.functionName ?? '(idle)')) return;
    scriptMs += ms;
    if (flushing(id)) svelteMs += ms;
  });
  return { scriptMs, svelteMs };
}

/** Rendering work on the page's main thread (the renderer's `CrRendererMain`). */
export function renderingCost(
  events: TraceEvent[],
  /** The page's address: only the renderer that parsed it counts (not Chromium's own pages). */
  pageUrl: string,
): Pick<DrawingCost, 'styleMs' | 'layoutMs' | 'forcedLayoutMs' | 'paintMs'> {
  const main = new Set(
    events
      .filter((e) => e.name === 'ParseHTML' && (e.args?.beginData?.url ?? '').startsWith(pageUrl))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const cost = { styleMs: 0, layoutMs: 0, forcedLayoutMs: 0, paintMs: 0 };
  const add = (e: TraceEvent, ms: number) => {
    if (e.name === 'UpdateLayoutTree') cost.styleMs += ms;
    else if (e.name === 'Layout') {
      cost.layoutMs += ms;
      // DevTools calls a layout with a JavaScript stack a forced reflow.
      if (e.args?.beginData?.stackTrace !== undefined) cost.forcedLayoutMs += ms;
    } else if (e.name === 'Paint' || e.name === 'PrePaint' || e.name === 'Layerize')
      cost.paintMs += ms;
  };
  // Complete events carry their duration; others come as begin/end pairs per thread.
  const open = new Map<string, TraceEvent[]>();
  for (const e of [...events].sort((x, y) => x.ts - y.ts)) {
    const thread = `${e.pid}:${e.tid}`;
    if (!main.has(thread)) continue;
    if (e.ph === 'X') add(e, (e.dur ?? 0) / 1000);
    else if (e.ph === 'B') open.set(thread, [...(open.get(thread) ?? []), e]);
    else if (e.ph === 'E') {
      const begun = open.get(thread) ?? [];
      const begin = begun.pop();
      if (begin !== undefined) add(begin, (e.ts - begin.ts) / 1000);
    }
  }
  return cost;
}
