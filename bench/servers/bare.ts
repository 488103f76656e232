// Baseline "bare": node:http and the raw driver (better-sqlite3 or node-postgres, by
// DATABASE_URL), no GraphQL. It takes the very request the GraphQL servers get (same bytes: a
// GraphQL POST whose operationName says what it is), reads the variables, does the same SQL work
// and answers the same JSON, without parsing the query.
import http from "node:http";
import { NESTED_READS } from "../lib/nested-reads.js";
import { openBaselineData, settle } from "./baseline-data.js";
import { EventError, type JobRow } from "./baseline-rules.js";
import { nestedJson } from "./nested-json.js";

const data = await openBaselineData();

/** The nested reads by operationName. */
const NESTED = new Map(NESTED_READS.map((read) => [read.operationName, read]));

interface GraphQLBody {
  operationName?: string;
  variables?: Record<string, unknown>;
}

const internalError = (error: unknown) => ({
  errors: [{ message: (error as Error).message, extensions: { code: "INTERNAL_SERVER_ERROR" } }],
});

function answer(body: GraphQLBody): unknown {
  const v = body.variables ?? {};
  switch (body.operationName) {
    case "JobCases": {
      const first = typeof v.first === "number" ? v.first : 10;
      return settle(
        () => data.job(String(v.id)),
        (job) => {
          if (!job) return { data: { job: null } };
          return settle(
            () => data.casesOfJob(job.id, first),
            (rows) => ({
              data: {
                job: {
                  status: job.status,
                  cases: { edges: rows.slice(0, first).map((r) => ({ node: { id: r.id, status: r.status } })) },
                },
              },
            }),
          );
        },
      );
    }
    case "JobEvent":
      return settle<JobRow, unknown>(
        () => data.jobEvent(String(v.id), String(v.event)),
        (job) => ({ data: { handleJobEvent: { id: job.id, status: job.status, version: job.version } } }),
        (error) => {
          if (error instanceof EventError)
            return { errors: [{ message: error.message, extensions: { code: error.code } }], data: null };
          throw error;
        },
      );
    default: {
      const nested = NESTED.get(String(body.operationName));
      if (nested) return nestedJson(data.nested, nested);
      return { errors: [{ message: `unknown operation ${String(body.operationName)}` }] };
    }
  }
}

function respond(res: http.ServerResponse, status: number, out: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify(out));
}

const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end('{"status":"ok"}');
    return;
  }
  // Statements of the nested reads run so far: the benchmark reads it before and after a request.
  if (req.url === "/statements") {
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(JSON.stringify({ statements: data.nested.statementsExecuted }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    settle(
      () => answer(JSON.parse(Buffer.concat(chunks).toString("utf8")) as GraphQLBody),
      (out) => respond(res, 200, out),
      (error) => respond(res, 500, internalError(error)),
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(data.close()).finally(() => process.exit(0));
});
