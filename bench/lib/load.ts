// HTTP load with autocannon: N connections, one request in flight on each, fixed duration.
// Every server gets byte-for-byte the same requests (GraphQL POSTs; the bare baseline reads the
// variables and operationName only), and every answer is checked: a GraphQL error counts as a
// failure, not as throughput.
import autocannon from "autocannon";
import type { JobStatuses } from "./job-statuses.js";
import { EVENT_QUERY, READ_QUERY } from "./queries.js";

export interface LoadResult {
  /** Successful responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
  firstFailure?: string;
}

export interface LoadOptions {
  origin: string;
  connections: number;
  durationS: number;
}

interface Tally {
  ok: number;
  failed: number;
  firstFailure?: string;
}

function tallyResponse(tally: Tally, status: number, body: string): Record<string, unknown> | undefined {
  if (status === 200 && !body.includes('"errors"')) {
    tally.ok++;
    return (JSON.parse(body) as { data: Record<string, unknown> }).data;
  }
  tally.failed++;
  tally.firstFailure ??= `${status} ${body.slice(0, 300)}`;
  return undefined;
}

async function cannon(options: LoadOptions, request: autocannon.Request, tally: Tally): Promise<LoadResult> {
  const result = await autocannon({
    url: options.origin,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationS,
    requests: [request],
  });
  return {
    rps: tally.ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: tally.ok,
    failed: tally.failed + result.errors + result.timeouts,
    firstFailure: tally.firstFailure ?? (result.errors > 0 ? `${result.errors} connection errors` : undefined),
  };
}

/** A pause for requests still in flight when the previous run stopped. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

const jsonPost = { method: "POST" as const, path: "/graphql", headers: { "content-type": "application/json" } };

/** Reads a job and its first 10 cases, cycling through `jobIds`. */
export function readLoad(options: LoadOptions, jobIds: readonly string[]): Promise<LoadResult> {
  const bodies = jobIds.map((id) =>
    JSON.stringify({ operationName: "JobCases", query: READ_QUERY, variables: { id } }),
  );
  let next = 0;
  const tally: Tally = { ok: 0, failed: 0 };
  return cannon(
    options,
    {
      ...jsonPost,
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      onResponse: (status, body) => void tallyResponse(tally, status, body),
    },
    tally,
  );
}

/**
 * Bounces jobs between IN_PROGRESS and AWAITING (AWAITING_ON_INPUT / INPUT_RECEIVED). A job is
 * leased to one request at a time, so concurrent requests never race on the same job and every
 * request is a valid transition; the pool is several times the number of connections.
 */
export async function eventLoad(
  options: LoadOptions,
  jobStatuses: JobStatuses,
  poolJobIds: readonly string[],
): Promise<LoadResult> {
  // Where each job is now. The caller lets requests still in flight from a previous run finish
  // first (settle).
  const rows = await jobStatuses(poolJobIds);
  const status = new Map(rows.map((r) => [r.id, r.status]));
  const free = rows.filter((r) => r.status === "IN_PROGRESS" || r.status === "AWAITING").map((r) => r.id);
  if (free.length < options.connections * 2)
    throw new Error(`only ${free.length} pool jobs can bounce; need ${options.connections * 2}`);

  const tally: Tally = { ok: 0, failed: 0 };
  return cannon(
    options,
    {
      ...jsonPost,
      setupRequest: (req, context) => {
        const id = free.shift()!;
        (context as { id?: string }).id = id;
        const event = status.get(id) === "IN_PROGRESS" ? "AWAITING_ON_INPUT" : "INPUT_RECEIVED";
        return {
          ...req,
          body: JSON.stringify({ operationName: "JobEvent", query: EVENT_QUERY, variables: { id, event } }),
        };
      },
      onResponse: (code, body, context) => {
        const id = (context as { id: string }).id;
        const data = tallyResponse(tally, code, body) as { handleJobEvent?: { status: string } } | undefined;
        if (data?.handleJobEvent) status.set(id, data.handleJobEvent.status);
        free.push(id);
      },
    },
    tally,
  );
}

/**
 * Sends the same nested read over and over. Each answer counts only if it is a 200 without
 * errors holding `objects` objects (`countObjects` of nested-reads.ts, a scan of the text: the
 * load generator shares the machine with the server).
 */
export function nestedLoad(
  options: LoadOptions,
  body: string,
  objects: number,
  count: (body: string) => number,
): Promise<LoadResult> {
  const tally: Tally = { ok: 0, failed: 0 };
  return cannon(
    options,
    {
      ...jsonPost,
      body,
      onResponse: (status, text) => {
        const n = status === 200 && !text.includes('"errors"') ? count(text) : -1;
        if (n === objects) tally.ok++;
        else {
          tally.failed++;
          tally.firstFailure ??= `${status}, ${n} objects of ${objects}: ${text.slice(0, 300)}`;
        }
      },
    },
    tally,
  );
}
