// Bulk seeding of a PostgreSQL benchmark database with the rows of seed-data.ts, the same data the
// SQLite seeder writes. The database is migrated by casebook's own migrator, its keys, indexes
// and foreign keys are set aside, the four tables are filled by COPY (one connection each, all at
// once), then keys, indexes and foreign keys are built from their own DDL, and the tables
// vacuumed and analysed, as a database that has lived a while would be.
//
// A seeded database is kept on the server, named after a key of the migrations, the seeder's
// version and the size: reruns find it. Its seed information is the database's comment, written
// last, so a seeding that did not finish is never taken for one that did. Scenarios run on
// copies (CREATE DATABASE … TEMPLATE), never on the seeded database itself.
import { createHash } from "node:crypto";
import pg from "pg";
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrations.js";
import { migratePostgres } from "../../src/db/postgres/migrator.js";
import { CopyIn } from "./pg-copy.js";
import { SEEDER_VERSION, type SeedIds, type SeedRows, type SeedSpec, seedRows } from "./seed-data.js";

export interface PgSeedInfo extends SeedIds {
  database: string;
  spec: SeedSpec;
  rows: SeedRows;
  seconds: number;
  /** Of which: COPY of the rows, and building keys, indexes and foreign keys, and VACUUM ANALYZE. */
  copySeconds: number;
  indexSeconds: number;
  rowsPerSecond: number;
  databaseMb: number;
  cached: boolean;
}

/** Changes to how this seeder writes (not what: that is SEEDER_VERSION) reseed too. */
const PG_SEEDER_VERSION = 1;

const TABLES = ["Mission", "Job", "Case", "Transition"] as const;
const SEARCHED_TABLES = ["Mission", "Job", "Case"] as const;

const KEY = /^[0-9a-f]{10}$/;

function cacheKey(spec: SeedSpec): string {
  const migrations = readMigrations(defaultMigrationsDir("postgresql")).map((m) => `${m.name}:${m.checksum}`);
  return createHash("sha256")
    .update(JSON.stringify({ SEEDER_VERSION, PG_SEEDER_VERSION, migrations, spec }))
    .digest("hex")
    .slice(0, 10);
}

/** The URL of `database` on the server of `serverUrl`. */
function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The seeded database for `spec` on the server, from an earlier run when it is there and current. */
export async function seededPgDatabase(
  serverUrl: string,
  name: string,
  spec: SeedSpec,
  log: (line: string) => void = () => {},
): Promise<PgSeedInfo> {
  const prefix = `bench_${name}_`;
  const database = `${prefix}${cacheKey(spec)}`;
  const existing = await withClient(serverUrl, async (client) => {
    const { rows: all } = await client.query<{ datname: string; comment: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database`,
    );
    // This name and a key, not a longer name that starts the same (nplus1_10 and nplus1_100).
    const rows = all.filter((row) => row.datname.startsWith(prefix) && KEY.test(row.datname.slice(prefix.length)));
    for (const row of rows) {
      // An older seed of the same name (other schema or seeder), or one that did not finish.
      if (row.datname !== database || row.comment === null)
        await client.query(`DROP DATABASE "${row.datname}" WITH (FORCE)`);
    }
    return rows.find((row) => row.datname === database && row.comment !== null)?.comment;
  });
  if (existing) return { ...(JSON.parse(existing) as PgSeedInfo), cached: true };

  log(
    `seeding PostgreSQL ${name}: ${spec.cases.toLocaleString("en")} cases, ${spec.jobs.toLocaleString("en")} jobs, ${spec.missions} missions`,
  );
  const info = await seed(serverUrl, database, spec);
  log(
    `seeded PostgreSQL ${name}: ${info.rows.total.toLocaleString("en")} rows in ${info.seconds.toFixed(1)} s ` +
      `(${Math.round(info.rowsPerSecond).toLocaleString("en")} rows/s; COPY ${info.copySeconds.toFixed(1)} s, ` +
      `keys and indexes ${info.indexSeconds.toFixed(1)} s), ${info.databaseMb.toFixed(0)} MB`,
  );
  return info;
}

/**
 * A fresh copy of a seeded database for a scenario that changes it; returns its URL. The copy is
 * made file by file (STRATEGY FILE_COPY), which for a large database is much faster than the
 * default of writing every page through the WAL.
 */
export async function pgWorkingCopy(serverUrl: string, source: string, name: string): Promise<string> {
  const database = `bench_work_${name}`;
  await withClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}" TEMPLATE "${source}" STRATEGY FILE_COPY`);
  });
  return databaseUrl(serverUrl, database);
}

/** Drops the working copies that pgWorkingCopy made. */
export async function dropPgWorkingCopies(serverUrl: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_work\\_%'`,
    );
    for (const row of rows) await client.query(`DROP DATABASE "${row.datname}" WITH (FORCE)`);
  });
}

interface SetAside {
  /** ALTER TABLE … ADD CONSTRAINT statements of foreign keys (built last). */
  foreignKeys: string[];
  /** Primary keys and indexes, in the order to build them. */
  keysAndIndexes: string[];
}

/** Drops the keys, indexes and foreign keys of the seeded tables and returns the DDL that rebuilds them. */
async function setAsideIndexes(client: pg.Client): Promise<SetAside> {
  const tables = TABLES.map((t) => `"${t}"`);
  // Foreign keys on, or pointing at, the seeded tables (CaseUpdate's points at Case's key).
  const { rows: constraints } = await client.query<{ table: string; name: string; type: string; definition: string }>(
    `SELECT conrelid::regclass::text AS "table", conname AS name, contype AS type, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint
     WHERE contype IN ('f', 'p') AND (conrelid = ANY($1::regclass[]) OR confrelid = ANY($1::regclass[]))`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
     FROM pg_index
     WHERE indrelid = ANY($1::regclass[]) AND NOT indisprimary`,
    [tables],
  );
  const add = (c: { table: string; name: string; definition: string }) =>
    `ALTER TABLE ${c.table} ADD CONSTRAINT "${c.name}" ${c.definition}`;
  const foreignKeys = constraints.filter((c) => c.type === "f");
  const primaryKeys = constraints.filter((c) => c.type === "p" && tables.includes(c.table));
  for (const c of foreignKeys) await client.query(`ALTER TABLE ${c.table} DROP CONSTRAINT "${c.name}"`);
  for (const i of indexes) await client.query(`DROP INDEX ${i.name}`);
  for (const c of primaryKeys) await client.query(`ALTER TABLE ${c.table} DROP CONSTRAINT "${c.name}"`);
  return {
    foreignKeys: foreignKeys.map(add),
    keysAndIndexes: [...primaryKeys.map(add), ...indexes.map((i) => i.definition)],
  };
}

const COLUMNS = {
  Mission: ["id", "name", "description", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt"],
  Job: [
    "id",
    "name",
    "status",
    "version",
    "metadata",
    "createdAt",
    "updatedAt",
    "finishedAt",
    "agentName",
    "missionId",
    "jobContext",
    "payload",
    "result",
    "error",
    "agentParameters",
  ],
  Case: [
    "id",
    "name",
    "description",
    "status",
    "version",
    "metadata",
    "createdAt",
    "updatedAt",
    "finishedAt",
    "jobId",
    "totalCostMicros",
    "finalDelivery",
  ],
  Transition: [
    "entityType",
    "missionId",
    "jobId",
    "caseId",
    "event",
    "fromStatus",
    "toStatus",
    "version",
    "at",
    "actor",
  ],
} as const;

async function seed(serverUrl: string, database: string, spec: SeedSpec): Promise<PgSeedInfo> {
  const started = process.hrtime.bigint();
  await withClient(serverUrl, (client) =>
    // Byte-order collation, as SQLite compares text (and as casebook's tests run PostgreSQL).
    client.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`),
  );
  const url = databaseUrl(serverUrl, database);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const writers = TABLES.map(() => new pg.Client({ connectionString: url }));
  try {
    await migratePostgres(admin);
    const setAside = await setAsideIndexes(admin);

    // Losing the seed in a crash costs a reseed, nothing more: its commits need not wait for the
    // disk. The benchmark's own connections keep the server's setting.
    await Promise.all(writers.map((w) => w.connect().then(() => w.query("SET synchronous_commit = off"))));
    const copies = {
      Mission: new CopyIn(writers[0]!, `"Mission"`, COLUMNS.Mission),
      Job: new CopyIn(writers[1]!, `"Job"`, COLUMNS.Job),
      Case: new CopyIn(writers[2]!, `"Case"`, COLUMNS.Case),
      Transition: new CopyIn(writers[3]!, `"Transition"`, COLUMNS.Transition),
    };
    const rows = seedRows(spec, {
      transition: (t) =>
        copies.Transition.row([
          t.entityType,
          t.entityType === "MISSION" ? t.entityId : null,
          t.entityType === "JOB" ? t.entityId : null,
          t.entityType === "CASE" ? t.entityId : null,
          t.event,
          t.fromStatus,
          t.toStatus,
          t.version,
          t.at,
          "seed",
        ]),
      mission: (m) => copies.Mission.row(COLUMNS.Mission.map((c) => m[c])),
      job: (j) => copies.Job.row(COLUMNS.Job.map((c) => j[c])),
      case: (c) => copies.Case.row(COLUMNS.Case.map((column) => c[column])),
    });
    let step = rows.next();
    while (!step.done) {
      await Promise.all(Object.values(copies).map((copy) => copy.flush()));
      step = rows.next();
    }
    await Promise.all(Object.values(copies).map((copy) => copy.end()));
    const copied = process.hrtime.bigint();

    await admin.query(`SET maintenance_work_mem = '512MB'`);
    for (const ddl of setAside.keysAndIndexes) await admin.query(ddl);
    for (const ddl of setAside.foreignKeys) await admin.query(ddl);
    // The short-text indexes of search were filled by their triggers as the rows came in.
    const analysed = [...TABLES, ...SEARCHED_TABLES.map((t) => `${t}_short_search`)];
    await admin.query(`VACUUM (FREEZE, ANALYZE) ${analysed.map((t) => `"${t}"`).join(", ")}`);
    const finished = process.hrtime.bigint();

    const { rows: size } = await admin.query<{ bytes: string }>("SELECT pg_database_size(current_database()) AS bytes");
    const seconds = Number(finished - started) / 1e9;
    const { rows: counts, ids } = step.value;
    const info: PgSeedInfo = {
      database,
      spec,
      rows: counts,
      seconds,
      copySeconds: Number(copied - started) / 1e9,
      indexSeconds: Number(finished - copied) / 1e9,
      rowsPerSecond: counts.total / seconds,
      databaseMb: Number(size[0]!.bytes) / 1048576,
      ...ids,
      cached: false,
    };
    // Last: the comment marks the seeding as complete.
    await admin.query(`COMMENT ON DATABASE "${database}" IS ${admin.escapeLiteral(JSON.stringify(info))}`);
    return info;
  } finally {
    await Promise.all(writers.map((w) => w.end().catch(() => undefined)));
    await admin.end();
  }
}
