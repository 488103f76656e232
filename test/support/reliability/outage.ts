// Watching a service through a database outage: /health sampled while it lasts, the moment each
// process answers again, and a judge of the requests made meanwhile.

import { healthReport } from "./client.js";
import type { Attempt } from "./delivery.js";
import type { ServerProcess } from "./server-process.js";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 50 ms until it holds or `ms` have passed; says whether it held. */
export async function eventually(condition: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export interface HealthSample {
  origin: string;
  startedAt: number;
  ms: number;
  status: number;
  body: unknown;
}

/** Asks every server's /health, all at once, every `everyMs`, for `forMs`. */
export async function sampleHealth(
  servers: readonly ServerProcess[],
  forMs: number,
  everyMs = 250,
): Promise<HealthSample[]> {
  const samples: HealthSample[] = [];
  const until = Date.now() + forMs;
  const ask = async (server: ServerProcess) => {
    const startedAt = Date.now();
    // No answer at all (the process is gone) is status 0, for the test to report.
    const report = await healthReport(server.origin).catch((error: Error) => ({ status: 0, body: error.message }));
    samples.push({ origin: server.origin, startedAt, ms: Date.now() - startedAt, ...report });
  };
  while (Date.now() < until) {
    await Promise.all(servers.map(ask));
    await sleep(everyMs);
  }
  return samples;
}

/** The first request to `server` that started at `since` or later and succeeded. */
export function firstSuccess(attempts: readonly Attempt[], server: ServerProcess, since: number): Attempt | undefined {
  return attempts.find((a) => a.url === server.url && a.startedAt >= since && a.outcome === "ok");
}

/** A repeat's refusal that says the lost copy was applied (delivery.ts). */
const REPEAT_REFUSALS = new Set(["ALREADY_EXISTS", "VERSION_CONFLICT", "NOT_FOUND"]);

/**
 * Requests answered otherwise than a database outage allows: success, a repeat's refusal, or
 * HTTP 503 SERVICE_UNAVAILABLE with Retry-After within `boundMs`. A dropped connection is wrong
 * too: the processes must stay up.
 */
export function outageViolations(attempts: readonly Attempt[], boundMs: number): Attempt[] {
  return attempts.filter((a) => {
    if (a.outcome === "ok" || REPEAT_REFUSALS.has(a.outcome)) return false;
    return !(a.outcome === "SERVICE_UNAVAILABLE" && a.status === 503 && a.retryAfter !== undefined && a.ms <= boundMs);
  });
}

/** The median and the slowest of some durations, for the summary. */
export function spread(durations: readonly number[]): string {
  if (durations.length === 0) return "none";
  const sorted = [...durations].sort((x, y) => x - y);
  return `median ${sorted[Math.floor(sorted.length / 2)]} ms, slowest ${sorted.at(-1)} ms`;
}
