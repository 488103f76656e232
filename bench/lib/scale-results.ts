// The figures of one `inprocess.ts scale` run as scenarios of bench-results.json, the same on
// both engines (the PostgreSQL phase prefixes its names with "pg_").
import type { ScenarioFigures } from "./compare.js";
import type { DashboardLatency } from "./dashboard-scale.js";
import { round } from "./stats.js";

interface Latency {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  cpu_p50_ms: number;
  cpu_p99_ms: number;
  samples: number;
  deepestPage?: number;
}

export type ScaleRun = Record<"jobsInProgressPage" | "jobCasesDeepPage" | "caseById", Latency> & {
  rssMb: number;
  dashboard: Record<string, DashboardLatency>;
};

const UNIT = "ms p99, in-process GraphQL execution";

/** What every scale line records: its p99 as the figure, with p50, p99, max and the sample count. */
function latencyFigures(v: { p50_ms: number; p99_ms: number; max_ms: number; samples: number }): ScenarioFigures {
  return {
    casebook: round(v.p99_ms, 3),
    bare: null,
    apolloFloor: null,
    ratioToBare: null,
    ratioToFloor: null,
    unit: UNIT,
    p50_ms: round(v.p50_ms, 3),
    p99_ms: round(v.p99_ms, 3),
    max_ms: round(v.max_ms, 3),
    samples: v.samples,
  };
}

export function recordScaleRun(
  r: ScaleRun,
  prefix: string,
  label: string,
  scenarios: Record<string, ScenarioFigures>,
  log: (line: string) => void,
): void {
  const entry = (name: string, v: Latency) => {
    scenarios[`${prefix}${name}_${label}`] = {
      ...latencyFigures(v),
      cpu_p50_ms: round(v.cpu_p50_ms, 3),
      cpu_p99_ms: round(v.cpu_p99_ms, 3),
      ...(v.deepestPage ? { deepestPage: v.deepestPage } : {}),
    };
    log(
      `  ${prefix}${name}: p50 ${v.p50_ms.toFixed(2)} ms, p99 ${v.p99_ms.toFixed(2)} ms (CPU p50 ${v.cpu_p50_ms.toFixed(2)}, p99 ${v.cpu_p99_ms.toFixed(2)} ms)` +
        (v.deepestPage ? `, ${v.deepestPage} pages deep` : ""),
    );
  };
  entry("scale_jobs_in_progress_page", r.jobsInProgressPage);
  entry("scale_job_cases_deep_page", r.jobCasesDeepPage);
  entry("scale_case_by_id", r.caseById);
  // The dashboard's queries (README, "Queries for dashboards"); wall time only.
  for (const [name, v] of Object.entries(r.dashboard)) {
    scenarios[`${prefix}${name}_${label}`] = {
      ...latencyFigures(v),
      ...(v.statements === undefined ? {} : { statements: v.statements }),
      note: v.note,
    };
    log(
      `  ${prefix}${name}: p50 ${v.p50_ms.toFixed(2)} ms, p99 ${v.p99_ms.toFixed(2)} ms (${v.samples} samples` +
        `${v.statements === undefined ? "" : `, ${v.statements} statements`}; ${v.note})`,
    );
  }
}
