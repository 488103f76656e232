// `npm test` runs two projects: "sqlite", every test as it always ran, and "postgresql", the suites
// that hold on either engine (services, GraphQL over HTTP) once more with
// CASEBOOK_TEST_ENGINE=postgresql (test/support/engine.ts), plus PostgreSQL's own tests.
// SQLite only: test/db (SQLite's connections, WAL, migrator and Prisma's adapter; PostgreSQL's are
// in test/db/postgres), test/ops (the scripts and server processes, against SQLite files) and
// test/domain (no database). test/api, test/data-movement and test/cli hold on either engine. A test of PostgreSQL alone lives in a postgres/ folder or is named
// *-postgres.test.ts: it runs in the "postgresql" project, which starts the server.
import os from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

// One PostgreSQL server for the run (embedded, or the one TEST_POSTGRES_URL names); test files
// get databases on it from test/support/postgres.ts.
const POSTGRES_SERVER = "test/support/postgres-global-setup.ts";

/** What every run shares: this one and `npm run test:reliability` (vitest.reliability.config.ts). */
export const sharedConfig = defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds without an exports map. Node, and so
    // type-graphql and Apollo, load the CJS one; Vite would hand test code the ESM one, and
    // schema objects from one fail graphql's instanceof checks in the other.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    // Tests open real SQLite files and start real servers; separate processes keep them apart.
    pool: "forks",
    globalSetup: [POSTGRES_SERVER],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { APP_ENV: "test" },
  },
});

// Crash and load tests run with `npm run test:reliability` (vitest.reliability.config.ts).
const RELIABILITY = "test/reliability/**";
// The dashboard in Chromium: the "browser" project, which builds the dashboard first.
const BROWSER = "test/browser/**";
// PostgreSQL's own tests: the database layer, and the programs (Studio, seed) on a PostgreSQL URL.
const POSTGRESQL_ONLY = ["test/**/postgres/**/*.test.ts", "test/**/*-postgres.test.ts"];
// The suites that hold on either engine: services, GraphQL over HTTP, the in-process API, data
// movement, and the casebook command as real processes. Files among them that open no database
// (the schema file, codegen) run on SQLite only: a second run would prove nothing new.
const ENGINE_NEUTRAL = [
  "test/services/**/*.test.ts",
  "test/graphql/**/*.test.ts",
  "test/api/**/*.test.ts",
  "test/data-movement/**/*.test.ts",
  "test/cli/**/*.test.ts",
];
const NO_DATABASE = [
  "test/graphql/schema-file.test.ts",
  "test/graphql/codegen.test.ts",
  "test/services/fresh-read.test.ts",
];

// A global setup runs once per project that names it, and once more for the root config: only
// the project that needs a server starts one.
const { globalSetup: _, ...withoutServer } = sharedConfig.test ?? {};

export default defineConfig({
  ...sharedConfig,
  test: {
    ...withoutServer,
    // Test files mostly wait (on server processes, HTTP, PostgreSQL) rather than compute, so a
    // machine of two cores runs two at once, not the one vitest's default (cores - 1) allows.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, RELIABILITY, BROWSER, ...POSTGRESQL_ONLY],
          env: { CASEBOOK_TEST_ENGINE: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: [`${BROWSER}/*.test.ts`],
          globalSetup: ["test/browser/build-dashboard.ts"],
          // The pages read and change a SQLite file the test seeded; the engine is proven elsewhere.
          env: { CASEBOOK_TEST_ENGINE: "sqlite" },
          // A page updates after a request (or a live change) it makes itself: on a busy machine
          // that can take longer than expect.poll's default second. A limit, not a timing check.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: "postgresql",
          include: [...ENGINE_NEUTRAL, ...POSTGRESQL_ONLY],
          exclude: [...configDefaults.exclude, ...NO_DATABASE],
          globalSetup: [POSTGRES_SERVER],
          env: { CASEBOOK_TEST_ENGINE: "postgresql" },
        },
      },
    ],
  },
});
