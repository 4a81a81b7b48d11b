#!/usr/bin/env node
// The `repro` command: runs the esbuild bundle (fast startup). In a fresh checkout without
// dist/ it builds the bundle once first (about a second; `npm run build -w cli` does it ahead).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/repro.js', import.meta.url);
if (!existsSync(bundle)) {
  const { buildCli } = await import('../build.mjs');
  await buildCli({ quiet: true });
}
await import(bundle.href);
