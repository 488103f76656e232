// The nested phase's figures as a Markdown table: one row per engine, read and server.
import type { NestedResults, ServerFigures } from "./nested-phase.js";
import type { MeasuredKind } from "./servers.js";
import { fmt, markdownTable } from "./table.js";

const NAMES: Record<MeasuredKind, string> = {
  casebook: "casebook",
  apolloFloor: "Apollo floor",
  bare: "bare",
  postgraphile: "PostGraphile",
};

export function printNestedTable(results: NestedResults): string {
  const rows: string[][] = [];
  for (const figures of Object.values(results.reads)) {
    for (const [kind, s] of Object.entries(figures.servers) as [MeasuredKind, ServerFigures][]) {
      const ratio = kind === "casebook" ? undefined : figures.casebookRatio[kind as Exclude<MeasuredKind, "casebook">];
      rows.push([
        `${figures.engine} ${figures.read} (${fmt(figures.objects)} objects)`,
        NAMES[kind],
        fmt(s.rps),
        fmt(s.p50_ms, 1),
        fmt(s.p99_ms, 1),
        fmt(s.cpu_us_per_request),
        fmt(s.cpu_us_per_object, 2),
        fmt(s.db_cpu_us_per_request),
        s.statements === null ? "–" : String(s.statements),
        kind === "casebook" ? "1" : fmt(ratio, 2),
      ]);
    }
  }
  const lines = markdownTable(
    [
      "nested read",
      "server",
      "req/s",
      "p50 ms",
      "p99 ms",
      "server CPU µs/req",
      "server CPU µs/object",
      "database CPU µs/req",
      "statements/req",
      "casebook ÷ server (req/s)",
    ],
    rows,
  );
  lines.push(
    "",
    "statements: on PostgreSQL each is a round trip; casebook's from app.db.statementsExecuted, the baselines' from their counters",
  );
  for (const note of results.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
