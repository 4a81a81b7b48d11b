/**
 * One table (or JSON document) for the registry's benchmarks: each row a measure, its value and
 * unit, and the budget it is held to (instructions; `ok` says whether it is within).
 */
export interface Row {
  measure: string;
  value: number;
  unit: string;
  budget?: number;
}

/** The rows of a benchmark, with `add` logging each as it is measured (stderr, not in --json). */
export function benchRows(log: (text: string) => void): {
  rows: Row[];
  add: (measure: string, value: number, unit: string, budget?: number) => void;
} {
  const rows: Row[] = [];
  const add = (measure: string, value: number, unit: string, budget?: number) => {
    rows.push(budget === undefined ? { measure, value, unit } : { measure, value, unit, budget });
    log(
      `  ${measure}: ${value.toFixed(unit === 'M instr' ? 1 : 0)} ${unit}${budget ? ` (budget ${budget / 1e6} M)` : ''}`,
    );
  };
  return { rows, add };
}

export function printRows(args: {
  benchmark: string;
  title: string;
  rows: readonly Row[];
  json: boolean;
}): void {
  const { rows } = args;
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ benchmark: args.benchmark, unit: 'instructions (M) unless stated', rows }, null, 2)}\n`,
    );
    return;
  }
  const width = Math.max(...rows.map((r) => r.measure.length));
  console.log(`\n${args.title}\n${'measure'.padEnd(width)}  value        budget   ok`);
  for (const r of rows) {
    const ok =
      r.budget === undefined
        ? ''
        : r.value * (r.unit === 'M instr' ? 1e6 : 1) <= r.budget
          ? 'yes'
          : 'NO';
    console.log(
      `${r.measure.padEnd(width)}  ${r.value.toFixed(1).padStart(8)} ${r.unit.padEnd(8)} ${r.budget ? `${r.budget / 1e6} M`.padStart(6) : ''.padStart(6)}  ${ok}`,
    );
  }
}
