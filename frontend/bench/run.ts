/**
 * The frontend's benchmarks: initial JavaScript size per chunk, and a proposal with 1,000
 * attestations rendered with every signature verified in headless Chromium.
 *
 *   npm run bench -w frontend [-- --json] [--size-only | --render-only] [--runs 5] [--attestations 1000] [--check] [--trace] [--profile]
 *     [--cores N]  (the page sees N cores, which sizes its verification pool)
 */
import { join } from 'node:path';

import { measureRender, printRenderReport, type RenderReport } from './render';
import { FRONTEND_ROOT, measureBundle, printSizeReport, type SizeReport } from './size';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

const report: { size?: SizeReport; render?: RenderReport } = {};
if (!flag('--render-only')) report.size = await measureBundle();
if (!flag('--size-only'))
  report.render = await measureRender({
    runs: value('--runs', 5),
    attestations: value('--attestations', 1000),
    ...(flag('--profile') ? { profileDir: join(FRONTEND_ROOT, '.bench', 'profiles') } : {}),
    ...(flag('--cores') ? { cores: value('--cores', 2) } : {}),
  });

if (flag('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  if (report.size) printSizeReport(report.size);
  if (report.render) printRenderReport(report.render, { trace: flag('--trace') });
}
// A benchmark reports; with --check it also fails when a budget is missed.
const ok = (report.size?.withinBudget ?? true) && (report.render?.withinBudget ?? true);
if (flag('--check') && !ok) process.exitCode = 1;
