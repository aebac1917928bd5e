/** Percentiles and a budget check for the benchmarks. */
export interface Measurement {
  name: string;
  unit: "ms" | "bytes" | "req/s";
  value: number;
  /** The value may not exceed this (or, for req/s, fall below it). */
  budget: number;
  detail?: string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function withinBudget(m: Measurement): boolean {
  return m.unit === "req/s" ? m.value >= m.budget : m.value <= m.budget;
}

export function printReport(measurements: Measurement[]): boolean {
  const rows = measurements.map((m) => [
    withinBudget(m) ? "ok  " : "OVER",
    m.name,
    `${m.unit === "bytes" ? m.value : m.value.toFixed(1)} ${m.unit}`,
    `${m.unit === "req/s" ? "≥" : "≤"} ${m.budget} ${m.unit}`,
    m.detail ?? "",
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}\n`);
  return measurements.every(withinBudget);
}
