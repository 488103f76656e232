// Where a request's CPU time goes, layer by layer, in one process and without HTTP: the same
// operation through
//   floor-execute      graphql execute on the Apollo floor's schema (raw SQL resolvers)
//   casebook-execute   graphql execute on casebook's schema (resolvers → loaders → services → db)
//   floor-apollo       Apollo Server 5 with its defaults, floor schema
//   casebook-apollo    Apollo Server 5 with its defaults, casebook schema and context
//   casebook-server    the Apollo server src/server/app.ts runs (src/server/apollo-server.ts:
//                      request log at info to /dev/null, query limits, trimmed plugins)
// Run by bench/run.ts as `layers.ts <variant> <read|event> <database> <seed.json>`, the database a
// SQLite file or a PostgreSQL URL; answers over IPC.
import fs from "node:fs";
import { ApolloServer, type BaseContext, HeaderMap } from "@apollo/server";
import { execute, type GraphQLSchema, parse } from "graphql";
import { jobStatuses } from "./lib/job-statuses.js";
import type { SeedIds } from "./lib/seed-data.js";
import { databaseUrlOf } from "./lib/servers.js";

const [variant, op, database, seedFile] = process.argv.slice(2) as [string, "read" | "event", string, string];
process.env.DATABASE_URL = databaseUrlOf(database);
const seed = JSON.parse(fs.readFileSync(seedFile, "utf8")) as SeedIds;

const READ = "query JobCases($id: ID!) { job(id: $id) { status cases(first: 10) { edges { node { id status } } } } }";
const EVENT =
  "mutation JobEvent($id: ID!, $event: EntityEvent!) { handleJobEvent(id: $id, event: $event) { id status version } }";

let schema: GraphQLSchema;
let context: () => BaseContext;
/** Set for casebook-server: the server app.ts runs. The other Apollo variants use the defaults. */
let server: ApolloServer<BaseContext> | undefined;

if (variant.startsWith("floor")) {
  const { buildFloorSchema } = await import("./servers/floor-schema.js");
  const { floorNestedResolvers } = await import("./servers/floor-nested.js");
  const { openBaselineData } = await import("./servers/baseline-data.js");
  const data = await openBaselineData();
  schema = await buildFloorSchema(data, floorNestedResolvers(data.nested));
  context = () => ({});
} else {
  const { createApp } = await import("../src/server/app.js");
  const { loadConfig } = await import("../src/server/config.js");
  const { createContext } = await import("../src/graphql/context.js");
  const { buildCasebookSchema } = await import("../src/graphql/schema.js");
  const config = loadConfig({
    APP_ENV: "production",
    DATABASE_URL: databaseUrlOf(database),
    LOG_LEVEL: "info",
    API_KEYS: "",
    SQLITE_SYNCHRONOUS: process.env.SQLITE_SYNCHRONOUS ?? "FULL",
  });
  const app = await createApp({ ...config, logLevel: "silent" });
  schema = await buildCasebookSchema();
  context = () => createContext(app.services, "request-id");
  if (variant === "casebook-server") {
    const { createApolloServer } = await import("../src/server/apollo-server.js");
    const { createLogger } = await import("../src/server/logger.js");
    server = (await createApolloServer(config, createLogger(config))) as unknown as ApolloServer<BaseContext>;
  }
}

// The operation i: reads cycle through jobs; events bounce pool jobs (each call owns its job).
const status = new Map((await jobStatuses(database)(seed.poolJobIds)).map((row) => [row.id, row.status]));
const variablesOf = (i: number): Record<string, unknown> => {
  if (op === "read") return { id: seed.sampleJobIds[i % seed.sampleJobIds.length]! };
  const id = seed.poolJobIds[i % seed.poolJobIds.length]!;
  return { id, event: status.get(id) === "IN_PROGRESS" ? "AWAITING_ON_INPUT" : "INPUT_RECEIVED" };
};
const settled = (variables: Record<string, unknown>, data: unknown) => {
  if (op !== "event") return;
  const job = (data as { handleJobEvent?: { status: string } } | null)?.handleJobEvent;
  if (!job) throw new Error(`event failed on ${String(variables.id)}`);
  status.set(variables.id as string, job.status);
};

let run: (i: number) => Promise<void>;
const query = op === "read" ? READ : EVENT;
if (variant.endsWith("execute")) {
  const document = parse(query);
  run = async (i) => {
    const variableValues = variablesOf(i);
    const result = await execute({ schema, document, variableValues, contextValue: context() });
    if (result.errors) throw result.errors[0];
    settled(variableValues, result.data);
  };
} else {
  const apollo = server ?? new ApolloServer<BaseContext>({ schema });
  if (!server) await apollo.start();
  const headers = new HeaderMap([["content-type", "application/json"]]);
  run = async (i) => {
    const variables = variablesOf(i);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers, search: "", body: { query, variables } },
      context: async () => context(),
    });
    if (response.body.kind !== "complete") throw new Error("unexpected streamed response");
    const body = JSON.parse(response.body.string) as { data?: unknown; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors[0]));
    settled(variables, body.data);
  };
}

const operations = Number(process.env.BENCH_LAYER_OPS ?? 2000);
for (let i = 0; i < operations; i++) await run(i);
const cpuStarted = process.cpuUsage();
for (let i = 0; i < operations; i++) await run(i);
const cpu = process.cpuUsage(cpuStarted);
process.send!({ variant, op, cpuUsPerOp: (cpu.user + cpu.system) / operations });
process.exit(0);
