// PostGraphile as a peer in the nested phase: an installed PostGraphile folder (--postgraphile=
// or BENCH_POSTGRAPHILE_DIR; a server.mjs serving DATABASE_URL at PORT's /graphql, and a
// node20-shim.mjs, as `npm start` there runs them) started on casebook's own PostgreSQL
// database, in production mode. Its pool is node-postgres's default of 10 connections (the
// folder's makePgService sets none), the size the bench gives the other servers by default.
// Nothing of it is a dependency of casebook: without the option the phase leaves it out.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { freeLoopbackPort } from "../../src/server/network.js";
import { type RunningServer, runningServer, waitForReady } from "./servers.js";

/** The peer's folder from the option or the environment, checked to be installed. */
export function postgraphileDir(option: string | undefined): string | undefined {
  const dir = option ?? process.env.BENCH_POSTGRAPHILE_DIR;
  if (!dir) return undefined;
  const absolute = path.resolve(dir);
  for (const file of ["server.mjs", "node_modules/postgraphile/package.json"])
    if (!fs.existsSync(path.join(absolute, file)))
      throw new Error(`${absolute} has no ${file}: install the PostGraphile folder first (npm ci there)`);
  return absolute;
}

/** PostGraphile's server, and where its statement count is read (count-pg-statements.mjs). */
export async function startPostGraphile(
  dir: string,
  databaseUrl: string,
): Promise<{ server: RunningServer; statementsUrl: string }> {
  const port = await freeLoopbackPort();
  const statementsPort = await freeLoopbackPort();
  const counter = path.join(PACKAGE_ROOT, "bench/servers/count-pg-statements.mjs");
  const started = process.hrtime.bigint();
  const shim = path.join(dir, "node20-shim.mjs");
  const child = spawn(
    process.execPath,
    [...(fs.existsSync(shim) ? ["--import", shim] : []), "--import", counter, path.join(dir, "server.mjs")],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        GRAPHILE_ENV: "production",
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        STATEMENTS_PORT: String(statementsPort),
      },
      stdio: "ignore",
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitForReady(child, "postgraphile", () =>
    fetch(`${origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    }),
  );
  return {
    server: runningServer("postgraphile", child, origin, started),
    statementsUrl: `http://127.0.0.1:${statementsPort}/`,
  };
}
