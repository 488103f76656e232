// Bulk seeding of a benchmark database: the file is first migrated by casebook's own migrator
// (so the schema is exactly what the service runs on), then filled with prepared statements in
// large transactions. Values use the encodings of src/db (dates through encodeDate, JSON as
// text), so the service reads these rows exactly as rows it wrote itself.
//
// Seeded files are cached under bench/.data, keyed by the migrations, this seeder's version and
// the size, so reruns reuse them.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { seededRandom } from "../../scripts/lib/seeded-random.js";
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrations.js";
import { openSqliteDatabase } from "../../src/db/open.js";
import { encodeDate } from "../../src/db/sqlite/codec.js";
import { ENTITY_STATUSES, type EntityStatus, isTerminal, pathTo } from "../../src/domain/lifecycle.js";

const SEEDER_VERSION = 3;

export interface SeedSpec {
  missions: number;
  jobs: number;
  cases: number;
  /** Jobs kept IN_PROGRESS for the lifecycle-event load (the first ids, in order). */
  poolJobs: number;
  /** Jobs with many cases, for deep cursor pages (right after the pool). */
  bigJobs: number;
  casesPerBigJob: number;
}

export interface SeedInfo {
  file: string;
  spec: SeedSpec;
  rows: { missions: number; jobs: number; cases: number; transitions: number; total: number };
  seconds: number;
  /** CPU time of the seeding process: on a shared machine, wall time alone says little. */
  cpuSeconds: number;
  rowsPerSecond: number;
  fileMb: number;
  poolJobIds: string[];
  bigJobIds: string[];
  /** A sample of ordinary job ids (each with cases) for reads. */
  sampleJobIds: string[];
  sampleCaseIds: string[];
  cached: boolean;
}

/** A database of `cases` cases, with jobs = cases / 10 and missions = cases / 1000 (at least 1). */
export function specForCases(cases: number, options: Partial<SeedSpec> = {}): SeedSpec {
  const jobs = Math.max(1, Math.round(cases / 10));
  return {
    missions: Math.max(1, Math.round(cases / 1000)),
    jobs,
    cases,
    poolJobs: Math.min(64, jobs),
    bigJobs: cases >= 100_000 ? 10 : 0,
    casesPerBigJob: Math.min(5000, Math.round(cases / 200)),
    ...options,
  };
}

const jobId = (i: number) => `job-${String(i).padStart(7, "0")}`;
const caseId = (i: number) => `case-${String(i).padStart(8, "0")}`;
const missionId = (i: number) => `mission-${String(i).padStart(5, "0")}`;

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

// The transitions that bring a new entity to each status, so version and history agree with it;
// looked up once per status, not once per row.
const PATHS = new Map(ENTITY_STATUSES.map((status) => [status, pathTo(status)]));

// A workload where most work is done and a fifth is running.
const STATUS_MIX: [EntityStatus, number][] = [
  ["COMPLETED", 0.55],
  ["IN_PROGRESS", 0.2],
  ["AWAITING", 0.08],
  ["FAILED", 0.07],
  ["STOPPED", 0.05],
  ["CANCELLED", 0.03],
  ["CANCELLING", 0.02],
];

function pickStatus(random: () => number): EntityStatus {
  let r = random();
  for (const [status, share] of STATUS_MIX) {
    if (r < share) return status;
    r -= share;
  }
  return "COMPLETED";
}

const AGENTS = ["planner", "researcher", "coder", "reviewer", "tester", "writer", "summariser", "router"];

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
    `INSERT INTO "Case" ("id", "name", "description", "status", "version", "metadata", "createdAt", "updatedAt", "finishedAt", "jobId", "totalCost", "finalDelivery")
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

  const random = seededRandom(spec.cases * 7919 + spec.jobs);
  const base = Date.UTC(2026, 0, 1);
  let clock = 0;
  // Every row gets its own createdAt, increasing in insertion order (= id order).
  const tick = () => new Date(base + clock++ * 5);
  let transitions = 0;

  // Returns version and finishedAt, and writes the history that leads to `status`.
  const history = (type: "MISSION" | "JOB" | "CASE", id: string, status: EntityStatus, createdAt: Date) => {
    const steps = PATHS.get(status)!;
    steps.forEach(({ event, from, to }, i) => {
      insertTransition[type].run(type, id, event, from, to, i + 1, encodeDate(new Date(createdAt.getTime() + i + 1)));
    });
    transitions += steps.length;
    const last = new Date(createdAt.getTime() + steps.length);
    return {
      version: steps.length,
      updatedAt: encodeDate(last),
      finishedAt: isTerminal(status) ? encodeDate(last) : null,
    };
  };

  // Cases per job: big jobs get casesPerBigJob, the rest share what is left evenly.
  const bigCases = spec.bigJobs * spec.casesPerBigJob;
  const ordinaryJobs = spec.jobs - spec.bigJobs;
  const ordinaryCases = spec.cases - bigCases;
  const casesOfJob = (j: number): number => {
    if (j >= spec.poolJobs && j < spec.poolJobs + spec.bigJobs) return spec.casesPerBigJob;
    const k = j < spec.poolJobs ? j : j - spec.bigJobs;
    return Math.floor(((k + 1) * ordinaryCases) / ordinaryJobs) - Math.floor((k * ordinaryCases) / ordinaryJobs);
  };
  const missionOf = (j: number) => missionId(Math.floor((j * spec.missions) / spec.jobs));

  const poolJobIds: string[] = [];
  const bigJobIds: string[] = [];
  const sampleJobIds: string[] = [];
  const sampleCaseIds: string[] = [];
  const sampleEveryJob = Math.max(1, Math.floor(ordinaryJobs / 2000));
  const sampleEveryCase = Math.max(1, Math.floor(spec.cases / 5000));

  db.transaction(() => {
    for (let m = 0; m < spec.missions; m++) {
      const id = missionId(m);
      const createdAt = tick();
      const status: EntityStatus = random() < 0.7 ? "IN_PROGRESS" : "COMPLETED";
      const h = history("MISSION", id, status, createdAt);
      insertMission.run(
        id,
        `Mission ${m}`,
        `Goal number ${m}`,
        status,
        h.version,
        "{}",
        encodeDate(createdAt),
        h.updatedAt,
        h.finishedAt,
      );
    }
  })();

  let c = 0;
  const BATCH_JOBS = 2000;
  const batch = db.transaction((from: number, to: number) => {
    for (let j = from; j < to; j++) {
      const id = jobId(j);
      const isPool = j < spec.poolJobs;
      const isBig = !isPool && j < spec.poolJobs + spec.bigJobs;
      const status: EntityStatus = isPool || isBig ? "IN_PROGRESS" : pickStatus(random);
      const createdAt = tick();
      const h = history("JOB", id, status, createdAt);
      const agent = AGENTS[j % AGENTS.length]!;
      insertJob.run(
        id,
        `Job ${j}`,
        status,
        h.version,
        JSON.stringify({ priority: j % 3, team: `team-${j % 17}` }),
        encodeDate(createdAt),
        h.updatedAt,
        h.finishedAt,
        agent,
        missionOf(j),
        JSON.stringify({ repository: `repo-${j % 101}`, branch: "main" }),
        JSON.stringify({ prompt: `Work item ${j}`, files: [`src/file-${j % 53}.ts`] }),
        status === "COMPLETED" ? JSON.stringify({ ok: true, summary: `done ${j}` }) : null,
        status === "FAILED" ? "tool call failed" : null,
        JSON.stringify({ temperature: 0.2, maxTokens: 4096 }),
      );
      if (isPool) poolJobIds.push(id);
      else if (isBig) bigJobIds.push(id);
      else if (j % sampleEveryJob === 0 && sampleJobIds.length < 2000) sampleJobIds.push(id);

      const n = casesOfJob(j);
      for (let k = 0; k < n; k++, c++) {
        const cid = caseId(c);
        const cCreatedAt = tick();
        const cStatus = pickStatus(random);
        const ch = history("CASE", cid, cStatus, cCreatedAt);
        insertCase.run(
          cid,
          `Case ${c}`,
          `Step ${k} of job ${j}`,
          cStatus,
          ch.version,
          "{}",
          encodeDate(cCreatedAt),
          ch.updatedAt,
          ch.finishedAt,
          id,
          Math.round(random() * 1000) / 100,
          cStatus === "COMPLETED" ? JSON.stringify({ answer: `result ${c}` }) : null,
        );
        if (c % sampleEveryCase === 0 && sampleCaseIds.length < 5000) sampleCaseIds.push(cid);
      }
    }
  });
  for (let from = 0; from < spec.jobs; from += BATCH_JOBS) batch(from, Math.min(spec.jobs, from + BATCH_JOBS));
  if (c !== spec.cases) throw new Error(`seeded ${c} cases, expected ${spec.cases}`);
  for (const index of indexes) db.exec(index.sql);

  db.pragma("journal_mode = WAL");
  db.close();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const total = spec.missions + spec.jobs + spec.cases + transitions;
  return {
    file,
    spec,
    rows: { missions: spec.missions, jobs: spec.jobs, cases: spec.cases, transitions, total },
    seconds,
    cpuSeconds,
    rowsPerSecond: total / seconds,
    fileMb: fs.statSync(file).size / 1048576,
    poolJobIds,
    bigJobIds,
    sampleJobIds,
    sampleCaseIds,
    cached: false,
  };
}
