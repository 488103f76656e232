// One-line summaries the commands print.

/** "1,234 rows (Mission 7, Job 43, …) in 1.2 s, 1,028 rows/s" */
export function rowSummary(counts: Record<string, number>, startedAt: number): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const seconds = (Date.now() - startedAt) / 1000;
  const tables = Object.entries(counts)
    .map(([table, n]) => `${table} ${n.toLocaleString("en")}`)
    .join(", ");
  const rate = Math.round(total / Math.max(seconds, 0.001)).toLocaleString("en");
  return `${total.toLocaleString("en")} rows (${tables}) in ${seconds.toFixed(1)} s, ${rate} rows/s`;
}
