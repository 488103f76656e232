// Bulk seeding of a SQLite benchmark database: the file is first migrated by casebook's own
// migrator (so the schema is exactly what the service runs on), then filled with the rows of
// seed-data.ts by prepared statements in large transactions. Values use the encodings of src/db
// (dates through encodeDate, JSON as text), so the service reads these rows exactly as rows it
// wrote itself.
//
// Seeded files are cached under bench/.data, keyed by the migrations, the seeder's version and
// the size, so reruns reuse them.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrations.js";
import { openSqliteDatabase } from "../../src/db/open.js";
import { encodeDate } from "../../src/db/sqlite/codec.js";
import { SEEDER_VERSION, type SeedIds, type SeedRows, type SeedSpec, seedRows } from "./seed-data.js";

export interface SeedInfo extends SeedIds {
  file: string;
  spec: SeedSpec;
  rows: SeedRows;
  seconds: number;
  /** CPU time of the seeding process: on a shared machine, wall time alone says little. */
  cpuSeconds: number;
  rowsPerSecond: number;
  fileMb: number;
  cached: boolean;
}

const DATA_DIR = path.resolve(import.meta.dirname, "../.data");

export function dataDir(): string {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  return DATA_DIR;
}

function cacheKey(spec: SeedSpec): string {
  const migrations = readMigrations(defaultMigrationsDir("sqlite")).map((m) => `${m.name}:${m.checksum}`);
  return createHash("sha256").update(JSON.stringify({ SEEDER_VERSION, migrations, spec })).digest("hex").slice(0, 10);
}

/** The seeded file for `spec`, from the cache when it is there and current. */
export function seededDatabase(name: string, spec: SeedSpec, log: (line: string) => void = () => {}): SeedInfo {
  const dir = dataDir();
  const key = cacheKey(spec);
  const file = path.join(dir, `${name}-${key}.db`);
  const infoFile = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(infoFile)) {
    const info = JSON.parse(fs.readFileSync(infoFile, "utf8")) as SeedInfo;
    return { ...info, file, cached: true };
  }
  // An older seed of the same name (other schema or seeder): remove it, files can be large.
  for (const old of fs.readdirSync(dir)) {
    if (old.startsWith(`${name}-`) && !old.startsWith(`${name}-${key}`))
      fs.rmSync(path.join(dir, old), { force: true });
  }
  log(
    `seeding ${name}: ${spec.cases.toLocaleString("en")} cases, ${spec.jobs.toLocaleString("en")} jobs, ${spec.missions} missions`,
  );
  const info = seed(file, spec);
  fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
  log(
    `seeded ${name}: ${info.rows.total.toLocaleString("en")} rows in ${info.seconds.toFixed(1)} s (${Math.round(info.rowsPerSecond).toLocaleString("en")} rows/s), ${info.fileMb.toFixed(0)} MB`,
  );
  return info;
}

/** Copies a seeded file to a working file the load may change (the cached file stays as seeded). */
export function workingCopy(source: string, name: string): string {
  const dir = path.join(dataDir(), "work");
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${name}.db`);
  removeDatabase(target);
  // Seeding leaves no WAL; should anything have opened the cached file since, fold its WAL back
  // in first, so the copy of the main file alone is complete.
  if (fs.existsSync(`${source}-wal`)) {
    const db = new Database(source);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
  }
  fs.copyFileSync(source, target);
  return target;
}

function removeDatabase(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
}

function seed(file: string, spec: SeedSpec): SeedInfo {
  removeDatabase(file);
  // The schema comes from casebook's own migrations.
  openSqliteDatabase({ databasePath: file }).db.close();

  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const db = new Database(file);
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  db.pragma("foreign_keys = OFF");
  db.pragma("temp_store = MEMORY");
  // Secondary indexes are dropped and rebuilt from their own DDL afterwards: one sort per index
  // instead of a random B-tree insert per row.
  const indexes = db
    .prepare(
      `SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'index' AND "sql" IS NOT NULL AND "tbl_name" IN ('Mission', 'Job', 'Case', 'Transition')`,
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);

  const insertMission = db.prepare(
    `INSERT INTO "Mission" ("id", "name", "description", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertJob = db.prepare(
    `INSERT INTO "Job" ("id", "name", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt", "agentName", "missionId", "jobContext", "payload", "result", "error", "agentParameters")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCase = db.prepare(
    `INSERT INTO "Case" ("id", "name", "description", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt", "jobId", "totalCostMicros", "finalDelivery")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const transitionSql = (column: string) =>
    db.prepare(
      `INSERT INTO "Transition" ("entityType", "${column}", "event", "fromStatus", "toStatus", "version", "at", "actor", "reason", "idempotencyKey")
       VALUES (?, ?, ?, ?, ?, ?, ?, 'seed', NULL, NULL)`,
    );
  const insertTransition = {
    MISSION: transitionSql("missionId"),
    JOB: transitionSql("jobId"),
    CASE: transitionSql("caseId"),
  };

  const date = (value: Date | null) => (value === null ? null : encodeDate(value));
  const rows = seedRows(spec, {
    transition: (t) =>
      insertTransition[t.entityType].run(
        t.entityType,
        t.entityId,
        t.event,
        t.fromStatus,
        t.toStatus,
        t.version,
        encodeDate(t.at),
      ),
    mission: (m) =>
      insertMission.run(
        m.id,
        m.name,
        m.description,
        m.status,
        m.version,
        m.metadata,
        encodeDate(m.createdAt),
        encodeDate(m.updatedAt),
        date(m.finishedAt),
      ),
    job: (j) =>
      insertJob.run(
        j.id,
        j.name,
        j.status,
        j.version,
        j.metadata,
        encodeDate(j.createdAt),
        encodeDate(j.updatedAt),
        date(j.finishedAt),
        j.agentName,
        j.missionId,
        j.jobContext,
        j.payload,
        j.result,
        j.error,
        j.agentParameters,
      ),
    case: (c) =>
      insertCase.run(
        c.id,
        c.name,
        c.description,
        c.status,
        c.version,
        c.metadata,
        encodeDate(c.createdAt),
        encodeDate(c.updatedAt),
        date(c.finishedAt),
        c.jobId,
        c.totalCostMicros,
        c.finalDelivery,
      ),
  });
  // One transaction per pause of the generator: the missions, then each batch of jobs.
  const nextBatch = db.transaction(() => rows.next());
  let step = nextBatch();
  while (!step.done) step = nextBatch();
  const { rows: counts, ids } = step.value;
  for (const index of indexes) db.exec(index.sql);

  db.pragma("journal_mode = WAL");
  db.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    file,
    spec,
    rows: counts,
    seconds,
    cpuSeconds,
    rowsPerSecond: counts.total / seconds,
    fileMb: fs.statSync(file).size / 1048576,
    ...ids,
    cached: false,
  };
}
