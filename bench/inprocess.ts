// Measurements inside one casebook process, run as a child of bench/run.ts, on a SQLite file or
// a PostgreSQL URL:
//   nplus1 <db>              SQL statements the UI's nested query costs (app.db.statementsExecuted)
//   roundtrips <db> <seed>   statements (each a round trip on PostgreSQL) per lifecycle event and
//                            per read of the HTTP scenarios, sent one at a time over HTTP
//   scale <db> <seed>        latency of list pages, deep cursor pages and reads by id, without
//                            HTTP, on a big database
//   nested <db> <read>…      statements each nested read of the nested phase costs (over HTTP),
//                            and the objects it returns
// Prints one JSON line on stdout.
import fs from "node:fs";
import { type DocumentNode, execute, parse, validate } from "graphql";
import { createContext } from "../src/graphql/context.js";
import { buildCasebookSchema } from "../src/graphql/schema.js";
import { createApp } from "../src/server/app.js";
import { loadConfig } from "../src/server/config.js";
import { listLatencies } from "./lib/dashboard-lists.js";
import { dashboardLatencies } from "./lib/dashboard-scale.js";
import { countObjects, NESTED_READS } from "./lib/nested-reads.js";
import { EVENT_QUERY, READ_QUERY } from "./lib/queries.js";
import { caseCreateCost } from "./lib/search-write-cost.js";
import type { SeedIds } from "./lib/seed-data.js";
import { databaseUrlOf } from "./lib/servers.js";
import { percentile } from "./lib/stats.js";

const NESTED_QUERY = `query Board {
  missions(first: 20) { edges { node {
    jobs(first: 10) { totalCount edges { node {
      cases(first: 10) { edges { node { id status job { id } } } }
    } } }
  } } }
}`;

const [mode, database, seedFile, ...moreArgs] = process.argv.slice(2);
if (!database) throw new Error("usage: inprocess.ts nplus1|roundtrips|scale|nested <database> [seed.json | read…]");

const config = loadConfig({
  APP_ENV: "production",
  DATABASE_URL: databaseUrlOf(database),
  LOG_LEVEL: "silent",
  HOST: "127.0.0.1",
  PORT: "0",
  API_KEYS: "",
  // Statements are counted on the whole database: no deadline sweep may run while they are.
  DEADLINE_SWEEP_INTERVAL_MS: "3600000",
});
const app = await createApp(config);
try {
  const seed = () => JSON.parse(fs.readFileSync(seedFile!, "utf8")) as SeedIds;
  const result =
    mode === "nplus1"
      ? await nplus1()
      : mode === "roundtrips"
        ? await roundTrips(seed())
        : mode === "nested"
          ? await nested([seedFile!, ...moreArgs])
          : await scale(seed());
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await app.close();
}

async function nplus1() {
  const url = await app.listen();
  const ask = async () => {
    const before = app.db.statementsExecuted;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: NESTED_QUERY }),
    });
    const body = (await response.json()) as {
      data?: { missions: { edges: { node: { jobs: { edges: { node: { cases: { edges: unknown[] } } }[] } } }[] } };
      errors?: unknown[];
    };
    if (body.errors || !body.data) throw new Error(`nested query failed: ${JSON.stringify(body).slice(0, 500)}`);
    const missions = body.data.missions.edges;
    const jobs = missions.flatMap((m) => m.node.jobs.edges);
    const cases = jobs.flatMap((j) => j.node.cases.edges);
    return {
      statements: app.db.statementsExecuted - before,
      missions: missions.length,
      jobs: jobs.length,
      cases: cases.length,
    };
  };
  const first = await ask();
  const second = await ask();
  return { ...first, stable: first.statements === second.statements };
}

/**
 * Statements and objects of each nested read named, each sent alone three times; the third, as
 * every request under load, is answered compiled from a ready query, and counts.
 */
async function nested(names: string[]) {
  const url = await app.listen();
  const out: Record<string, { statements: number; objects: number }> = {};
  for (const name of names) {
    const read = NESTED_READS.find((r) => r.name === name);
    if (!read) throw new Error(`no nested read ${name}`);
    let measured = { statements: 0, objects: 0 };
    for (let i = 0; i < 3; i++) {
      const before = app.db.statementsExecuted;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ operationName: read.operationName, query: read.query }),
      });
      const text = await response.text();
      if (response.status !== 200 || text.includes('"errors"'))
        throw new Error(`${name} failed: ${text.slice(0, 500)}`);
      measured = { statements: app.db.statementsExecuted - before, objects: countObjects(text) };
    }
    out[name] = measured;
  }
  return out;
}

/** Statements per operation, each operation alone (nothing else runs in the process meanwhile). */
async function roundTrips(seed: SeedIds) {
  const url = await app.listen();
  const post = async (query: string, variables: Record<string, unknown>) => {
    const before = app.db.statementsExecuted;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, { status: string } | null>; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`request failed: ${JSON.stringify(body).slice(0, 500)}`);
    return { statements: app.db.statementsExecuted - before, data: body.data };
  };
  const samples = 200;
  const events: number[] = [];
  const reads: number[] = [];
  const status = new Map<string, string>();
  for (const id of seed.poolJobIds) {
    status.set(id, (await post(`query($id: ID!) { job(id: $id) { status } }`, { id })).data.job!.status);
  }
  for (let i = 0; i < samples; i++) {
    const id = seed.poolJobIds[i % seed.poolJobIds.length]!;
    const event = status.get(id) === "IN_PROGRESS" ? "AWAITING_ON_INPUT" : "INPUT_RECEIVED";
    const { statements, data } = await post(EVENT_QUERY, { id, event });
    status.set(id, data.handleJobEvent!.status);
    events.push(statements);
  }
  for (let i = 0; i < samples; i++) {
    reads.push((await post(READ_QUERY, { id: seed.sampleJobIds[i % seed.sampleJobIds.length]! })).statements);
  }
  const summary = (counts: number[]) => ({
    samples: counts.length,
    mean: counts.reduce((a, b) => a + b, 0) / counts.length,
    min: Math.min(...counts),
    max: Math.max(...counts),
  });
  return { event: summary(events), read: summary(reads) };
}

async function scale(seed: SeedIds) {
  const schema = await buildCasebookSchema();
  const prepared = (source: string): DocumentNode => {
    const document = parse(source);
    const errors = validate(schema, document);
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
    return document;
  };
  // Apollo parses and validates a repeated document once (its document cache); execution is
  // what every request pays, and what is timed here.
  // Wall time is the figure; CPU time of the process over the same span is kept next to it, as
  // on a shared machine a wall-time p99 also measures how often the process was not scheduled.
  const cpuMs: number[] = [];
  const run = async (document: DocumentNode, variableValues: Record<string, unknown>) => {
    const cpuStarted = process.cpuUsage();
    const statementsBefore = app.db.statementsExecuted;
    const started = process.hrtime.bigint();
    const result = await execute({ schema, document, variableValues, contextValue: createContext(app.services) });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuStarted);
    cpuMs.push((cpu.user + cpu.system) / 1000);
    if (result.errors) throw new Error(result.errors.map((e) => e.message).join("; "));
    return {
      ms,
      data: result.data as Record<string, unknown>,
      statements: app.db.statementsExecuted - statementsBefore,
    };
  };

  const samples = Number(process.env.BENCH_SCALE_SAMPLES ?? 2000);
  const jobsPage = prepared(`query RunningJobs($after: String) {
    jobs(status: [IN_PROGRESS], first: 50, after: $after) {
      edges { cursor node { id name status agentName updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }`);
  const casesPage = prepared(`query JobCasesPage($id: ID!, $after: String) {
    job(id: $id) { id cases(first: 50, after: $after) {
      edges { cursor node { id name status totalCost } }
      pageInfo { hasNextPage endCursor }
    } }
  }`);
  const caseById = prepared(`query CaseById($id: ID!) {
    case(id: $id) { id name status version description totalCost updatedAt jobId }
  }`);

  type Connection = { pageInfo: { hasNextPage: boolean; endCursor: string | null } };

  // Walks jobs(status: IN_PROGRESS) page after page from the top, down to `maxPages` deep.
  const maxPages = Number(process.env.BENCH_SCALE_MAX_PAGES ?? 400);
  async function walkJobs(into: number[] | undefined, budget: number) {
    let after: string | null = null;
    let deepest = 0;
    for (let page = 0; page < maxPages && budget > 0; page++, budget--) {
      const { ms, data } = await run(jobsPage, { after });
      into?.push(ms);
      deepest = page + 1;
      const jobs = data.jobs as Connection;
      if (!jobs.pageInfo.hasNextPage) break;
      after = jobs.pageInfo.endCursor;
    }
    return deepest;
  }

  // Walks every page of the cases of the jobs that have thousands.
  async function walkCases(into: number[] | undefined, budget: number) {
    let deepest = 0;
    for (const id of seed.bigJobIds) {
      let after: string | null = null;
      for (let page = 0; budget > 0; page++, budget--) {
        const { ms, data } = await run(casesPage, { id, after });
        into?.push(ms);
        deepest = Math.max(deepest, page + 1);
        const cases = (data.job as { cases: Connection }).cases;
        if (!cases.pageInfo.hasNextPage) break;
        after = cases.pageInfo.endCursor;
      }
      if (budget <= 0) break;
    }
    return deepest;
  }

  async function byIds(into: number[] | undefined, count: number) {
    for (let i = 0; i < count; i++) {
      const id = seed.sampleCaseIds[(i * 7919) % seed.sampleCaseIds.length]!;
      const { ms, data } = await run(caseById, { id });
      if (!data.case) throw new Error(`case ${id} not found`);
      into?.push(ms);
    }
  }

  // Warm-up: JIT, statement cache, SQLite page cache for the paths walked.
  await walkJobs(undefined, 200);
  await walkCases(undefined, 200);
  await byIds(undefined, 500);

  const jobs: number[] = [];
  const cases: number[] = [];
  const reads: number[] = [];
  let jobsDepth = 0;
  let casesDepth = 0;
  cpuMs.length = 0;
  while (jobs.length < samples) jobsDepth = Math.max(jobsDepth, await walkJobs(jobs, samples - jobs.length));
  const jobsCpu = cpuMs.splice(0);
  while (cases.length < samples) casesDepth = Math.max(casesDepth, await walkCases(cases, samples - cases.length));
  const casesCpu = cpuMs.splice(0);
  await byIds(reads, samples);
  const readsCpu = cpuMs.splice(0);

  const summary = (values: number[], cpu: number[]) => ({
    samples: values.length,
    p50_ms: percentile(values, 50),
    p99_ms: percentile(values, 99),
    max_ms: Math.max(...values),
    cpu_p50_ms: percentile(cpu, 50),
    cpu_p99_ms: percentile(cpu, 99),
  });
  const dashboard = await dashboardLatencies(
    run,
    prepared,
    seed,
    Number(process.env.BENCH_DASHBOARD_SAMPLES ?? Math.min(samples, 300)),
  );
  const lists = await listLatencies(
    run,
    prepared,
    seed,
    Number(process.env.BENCH_LIST_SAMPLES ?? Math.min(samples, 200)),
    Number(process.env.BENCH_LIST_DEPTH ?? 200),
  );
  const writes = await caseCreateCost(run, prepared, app.db, 250);
  return {
    jobsInProgressPage: { ...summary(jobs, jobsCpu), deepestPage: jobsDepth },
    jobCasesDeepPage: { ...summary(cases, casesCpu), deepestPage: casesDepth },
    caseById: summary(reads, readsCpu),
    dashboard: { ...dashboard, ...lists, ...writes },
    rssMb: process.memoryUsage().rss / 1048576,
  };
}
