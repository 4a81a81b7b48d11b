/**
 * Initial JavaScript of the production build: the entry chunk and every chunk it imports
 * statically (what the browser must load before the page can draw), raw and gzipped. Chunks
 * loaded later (the verification worker) are listed apart.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const FRONTEND_ROOT = join(import.meta.dirname, '..');
export const INITIAL_JS_BUDGET_GZIP = 150 * 1024;

export interface ChunkSize {
  file: string;
  initial: boolean;
  bytes: number;
  gzipBytes: number;
}

export interface SizeReport {
  chunks: ChunkSize[];
  initialGzipBytes: number;
  initialBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
}

interface ManifestEntry {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export async function measureBundle(): Promise<SizeReport> {
  const outDir = await mkdtemp(join(tmpdir(), 'repro-frontend-size-'));
  try {
    const r = spawnSync(
      'npx',
      ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--manifest', '--logLevel', 'warn'],
      {
        cwd: FRONTEND_ROOT,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error('vite build failed');
    const manifest = JSON.parse(
      await readFile(join(outDir, '.vite', 'manifest.json'), 'utf8'),
    ) as Record<string, ManifestEntry>;
    const initial = new Set<string>();
    const visit = (key: string) => {
      const entry = manifest[key];
      if (entry === undefined || initial.has(entry.file)) return;
      initial.add(entry.file);
      for (const i of entry.imports ?? []) visit(i);
    };
    for (const [key, entry] of Object.entries(manifest)) if (entry.isEntry === true) visit(key);
    const files = new Set<string>();
    for (const entry of Object.values(manifest))
      if (entry.file.endsWith('.js')) files.add(entry.file);
    // Worker bundles are emitted as assets, not manifest chunks: find them on disk.
    const { readdirSync } = await import('node:fs');
    for (const f of readdirSync(join(outDir, 'assets')))
      if (f.endsWith('.js')) files.add(`assets/${f}`);
    const chunks: ChunkSize[] = [];
    for (const file of [...files].sort()) {
      const bytes = await readFile(join(outDir, file));
      chunks.push({
        file,
        initial: initial.has(file),
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
      });
    }
    const init = chunks.filter((c) => c.initial);
    const initialGzipBytes = init.reduce((n, c) => n + c.gzipBytes, 0);
    return {
      chunks,
      initialGzipBytes,
      initialBytes: init.reduce((n, c) => n + c.bytes, 0),
      budgetGzipBytes: INITIAL_JS_BUDGET_GZIP,
      withinBudget: initialGzipBytes <= INITIAL_JS_BUDGET_GZIP,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function printSizeReport(report: SizeReport): void {
  console.log('\nJavaScript per chunk (production build)');
  console.log('| chunk | loaded | raw | gzip |');
  console.log('|---|---|---:|---:|');
  for (const c of report.chunks)
    console.log(
      `| ${c.file} | ${c.initial ? 'initially' : 'later'} | ${kb(c.bytes)} | ${kb(c.gzipBytes)} |`,
    );
  console.log(
    `\nInitial JavaScript: ${kb(report.initialGzipBytes)} gzipped (${kb(report.initialBytes)} raw); budget ${kb(report.budgetGzipBytes)}: ${report.withinBudget ? 'within' : 'OVER'}`,
  );
}
