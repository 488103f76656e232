// Baseline "bare": node:http and raw better-sqlite3, no GraphQL. It takes the very request the
// GraphQL servers get (same bytes: a GraphQL POST whose operationName says what it is), reads
// the variables, does the same SQL work and answers the same JSON, without parsing the query.
import http from "node:http";
import { baselineStatements, EventError, openBaselineDatabase } from "./sqlite.js";

const db = openBaselineDatabase();
const sql = baselineStatements(db);

interface GraphQLBody {
  operationName?: string;
  variables?: Record<string, unknown>;
}

function answer(body: GraphQLBody): unknown {
  const v = body.variables ?? {};
  switch (body.operationName) {
    case "JobCases": {
      const job = sql.job(String(v.id));
      if (!job) return { data: { job: null } };
      const first = typeof v.first === "number" ? v.first : 10;
      const rows = sql.casesOfJob(job.id, first).slice(0, first);
      return {
        data: {
          job: { status: job.status, cases: { edges: rows.map((r) => ({ node: { id: r.id, status: r.status } })) } },
        },
      };
    }
    case "JobEvent": {
      try {
        const job = sql.jobEvent(String(v.id), String(v.event));
        return { data: { handleJobEvent: { id: job.id, status: job.status, version: job.version } } };
      } catch (error) {
        if (error instanceof EventError)
          return { errors: [{ message: error.message, extensions: { code: error.code } }], data: null };
        throw error;
      }
    }
    default:
      return { errors: [{ message: `unknown operation ${String(body.operationName)}` }] };
  }
}

const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end('{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let status = 200;
    let out: unknown;
    try {
      out = answer(JSON.parse(Buffer.concat(chunks).toString("utf8")) as GraphQLBody);
    } catch (error) {
      status = 500;
      out = { errors: [{ message: (error as Error).message, extensions: { code: "INTERNAL_SERVER_ERROR" } }] };
    }
    res.statusCode = status;
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(JSON.stringify(out));
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
});
