// @vitest-environment node
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import {
  argvOf,
  chromiumKind,
  cpuBetween,
  parseStat,
  snapshot,
  type CpuSnapshot,
  type ProcessKind,
} from './cpu';

describe('parseStat', () => {
  it("reads this process's own /proc line", () => {
    const stat = parseStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(stat?.pid).toBe(process.pid);
    expect(stat?.ppid).toBe(process.ppid);
    expect(stat?.ticks).toBeGreaterThanOrEqual(0);
  });

  it('counts the fields after the last parenthesis: a command name may hold spaces and ")"', () => {
    // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
    // cmajflt utime stime …
    const line = '4242 (Web Content) x) S 17 4242 4242 0 -1 4194560 900 0 3 0 123 45 0 0 20 0 9 0';
    expect(parseStat(line)).toEqual({ pid: 4242, name: 'Web Content) x', ppid: 17, ticks: 168 });
    expect(parseStat('garbage')).toBeNull();
  });
});

describe("Chromium's process kinds", () => {
  it('come from --type=, whether /proc separates the switches by NULs or by spaces', () => {
    expect(chromiumKind(argvOf('/usr/lib/chromium/chromium\0--headless\0--no-sandbox\0'))).toBe(
      'browser',
    );
    // A process forked from the zygote retitles itself: one string, spaces between switches.
    expect(chromiumKind(argvOf('/usr/lib/chromium/chromium --type=renderer --lang=en-US'))).toBe(
      'renderer',
    );
    expect(chromiumKind(argvOf('/usr/lib/chromium/chromium --type=gpu-process'))).toBe('gpu');
    expect(chromiumKind(argvOf('chromium --type=utility --utility-sub-type=network'))).toBe(
      'utility',
    );
    expect(chromiumKind(argvOf('chromium --type=something-new'))).toBe('other');
  });
});

describe('cpuBetween', () => {
  it('sums ticks by kind, a process begun meanwhile counting whole, and threads by name', () => {
    const before: CpuSnapshot = new Map([
      [1, { ticks: 100, kind: 'self' as const }],
      [2, { ticks: 50, kind: 'browser' as const }],
      [3, { ticks: 10, kind: 'renderer' as const, threads: new Map([['main thread#3', 10]]) }],
    ]);
    const after: CpuSnapshot = new Map([
      [1, { ticks: 130, kind: 'self' as const }],
      [2, { ticks: 55, kind: 'browser' as const }],
      [
        3,
        {
          ticks: 60,
          kind: 'renderer' as const,
          threads: new Map([
            ['main thread#3', 30],
            ['DedicatedWorker#8', 20],
            ['DedicatedWorker#9', 10],
          ]),
        },
      ],
      [4, { ticks: 7, kind: 'gpu' as const }],
    ]);
    expect(cpuBetween(before, after, 10)).toEqual({
      self: 300,
      chromium: 120,
      renderer: 500,
      rendererThreads: { 'main thread': 200, DedicatedWorker: 300 },
    });
  });

  it("finds the processes below this one, each one's kind read once", async () => {
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const pid = child.pid ?? -1;
      const kinds = new Map<number, ProcessKind>();
      // No --type= switch: Chromium's browser process is the one without it.
      expect(snapshot(process.pid, kinds).get(pid)?.kind).toBe('browser');
      expect(kinds.get(pid)).toBe('browser');
      // What an earlier snapshot learnt is not read again.
      kinds.set(pid, 'gpu');
      expect(snapshot(process.pid, kinds).get(pid)?.kind).toBe('gpu');
    } finally {
      child.kill();
    }
  });

  it('sees the CPU this process spends', () => {
    const start = snapshot();
    const until = Date.now() + 150;
    let spin = 0;
    while (Date.now() < until) spin++;
    const used = cpuBetween(start, snapshot());
    expect(spin).toBeGreaterThan(0);
    // 150 ms of spinning, read in clock ticks (10 ms each at 100 Hz).
    expect(used.self).toBeGreaterThanOrEqual(100);
    expect(used.renderer).toBe(0);
  });
});
