/** Percentiles and a budget check for the benchmarks. */
export interface Measurement {
  name: string;
  unit: "ms" | "bytes" | "KiB" | "MB" | "req/s" | "calls" | "×" | "%";
  value: number;
  /** The value may not exceed this (or, with `atLeast`, fall below it). */
  budget: number;
  atLeast?: boolean;
  detail?: string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function withinBudget(m: Measurement): boolean {
  return m.atLeast ? m.value >= m.budget : m.value <= m.budget;
}

const format = (value: number, unit: Measurement["unit"]) => `${unit === "bytes" ? value : value.toFixed(unit === "×" ? 2 : 1)} ${unit}`;

/** Prints one row per measurement; true when every one is within its budget. */
export function printReport(measurements: Measurement[]): boolean {
  printTable(
    ["", "measurement", "value", "budget", ""],
    measurements.map((m) => [
      withinBudget(m) ? "ok" : "OVER",
      m.name,
      format(m.value, m.unit),
      `${m.atLeast ? "≥" : "≤"} ${format(m.budget, m.unit)}`,
      m.detail ?? "",
    ]),
  );
  return measurements.every(withinBudget);
}

export function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  for (const row of all)
    process.stdout.write(
      `${row
        .map((cell, i) => (cell ?? "").padEnd(widths[i]!))
        .join("  ")
        .trimEnd()}\n`,
    );
}
