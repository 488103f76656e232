// Markdown tables of the bench's figures, shared by every phase's report.
import type { ScenarioFigures } from "./compare.js";
import { LAYER_VARIANTS } from "./layers-run.js";
import type { ServerKind } from "./servers.js";

/** A number with `digits` decimals and thousands separators; "–" for a missing value. */
export function fmt(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined || Number.isNaN(v)
    ? "–"
    : v.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A Markdown table: the first column left-aligned, the others (figures) right-aligned. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `|---|${head
      .slice(1)
      .map(() => "---:")
      .join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

type Scenarios = Record<string, ScenarioFigures>;

/**
 * The req/s scenarios against the baselines; with `databaseColumn`, also the database server's
 * CPU per request (PostgreSQL).
 */
export function scenarioTable(
  title: string,
  cpuColumn: string,
  scenarios: Scenarios,
  databaseColumn?: string,
): string[] {
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(scenarios)) {
    if (s.unit !== "req/s") continue;
    const cpu = s.cpu_us_per_request as Record<ServerKind, number>;
    const db = s.db_cpu_us_per_request as Record<ServerKind, number> | undefined;
    rows.push([
      name,
      fmt(s.casebook),
      fmt(s.bare),
      fmt(s.apolloFloor),
      fmt(s.ratioToBare, 2),
      fmt(s.ratioToFloor, 2),
      fmt(s.p50_ms, 1),
      fmt(s.p99_ms, 1),
      `${fmt(cpu.casebook)} / ${fmt(cpu.bare)} / ${fmt(cpu.apolloFloor)}`,
      ...(databaseColumn === undefined
        ? []
        : [db ? `${fmt(db.casebook)} / ${fmt(db.bare)} / ${fmt(db.apolloFloor)}` : "–"]),
    ]);
  }
  return markdownTable(
    [
      title,
      "casebook",
      "bare",
      "apollo floor",
      "×bare",
      "×floor",
      "p50 ms",
      "p99 ms",
      cpuColumn,
      ...(databaseColumn === undefined ? [] : [databaseColumn]),
    ],
    rows,
  );
}

/** The in-process latencies of the scale scenarios. */
export function scaleTable(title: string, scenarios: Scenarios): string[] {
  const rows: string[][] = [];
  for (const [name, s] of Object.entries(scenarios)) {
    if (!s.unit.startsWith("ms p99")) continue;
    rows.push([
      name,
      fmt(s.p50_ms, 2),
      fmt(s.p99_ms, 2),
      fmt(s.max_ms as number, 2),
      fmt(s.cpu_p50_ms as number, 2),
      fmt(s.cpu_p99_ms as number, 2),
      String(s.samples),
      fmt(s.statements as number | undefined),
      (s.note as string | undefined) ?? "",
    ]);
  }
  return markdownTable(
    [title, "p50 ms", "p99 ms", "max ms", "CPU p50 ms", "CPU p99 ms", "samples", "statements", "note"],
    rows,
  );
}

/** CPU µs per operation by layer variant (layers-run.ts), after a blank line; nothing without figures. */
export function layersTable(title: string, layers: Record<string, Record<string, number>>): string[] {
  if (Object.keys(layers).length === 0) return [];
  return [
    "",
    ...markdownTable(
      [title, ...LAYER_VARIANTS],
      Object.entries(layers).map(([op, byVariant]) => [op, ...LAYER_VARIANTS.map((v) => fmt(byVariant[v]))]),
    ),
  ];
}
