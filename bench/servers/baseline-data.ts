// The data both baselines serve, on the engine DATABASE_URL names, as casebook picks it: a
// PostgreSQL URL runs the statements of postgres.ts on a pool, anything else those of sqlite.ts
// on a file. SQLite answers synchronously and PostgreSQL with promises; the baselines take either
// (settle), so neither engine pays for the other's way.
import type { CaseRow, JobRow } from "./baseline-rules.js";
import type { NestedData } from "./nested-data.js";

export type MaybePromise<T> = T | Promise<T>;

export interface BaselineData {
  job(id: string): MaybePromise<JobRow | undefined>;
  /** One page of a job's cases, plus one row to tell whether there is a next page. */
  casesOfJob(jobId: string, first: number): MaybePromise<CaseRow[]>;
  /** Read, check the rule, conditional update and audit row; throws EventError when refused. */
  jobEvent(id: string, event: string): MaybePromise<JobRow>;
  /** The statements of the nested reads. */
  nested: NestedData;
  close(): MaybePromise<void>;
}

export async function openBaselineData(): Promise<BaselineData> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required");
  if (/^postgres(ql)?:\/\//i.test(url)) return (await import("./postgres.js")).openPostgresBaseline(url);
  return (await import("./sqlite.js")).openSqliteBaseline(url.replace(/^file:/, ""));
}

const rethrow = (error: unknown): never => {
  throw error;
};

/**
 * `onValue` of what `work` gives, or `onError` of what it throws (by default: throw it on),
 * synchronously when `work` is.
 */
export function settle<T, R>(
  work: () => MaybePromise<T>,
  onValue: (value: T) => R,
  onError: (error: unknown) => R = rethrow,
): MaybePromise<R> {
  let value: MaybePromise<T>;
  try {
    value = work();
  } catch (error) {
    return onError(error);
  }
  return value instanceof Promise ? value.then(onValue, onError) : onValue(value);
}
