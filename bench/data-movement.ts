// What moving data costs: `casebook export` and `casebook import` of a database of N cases
// (default 1,000,000, seeded by bench/lib/seed.ts), and `casebook import-tinydb` of a TinyDB file
// of M entities (default 100,000, scripts/lib/tinydb-sample.ts), each as a real process on
// SQLite, with wall time, rows or entities per second and peak resident memory (GNU time's %M).
//   npx tsx bench/data-movement.ts [CASES] [TINYDB_ENTITIES]
// With TEST_POSTGRES_URL set, the import and import-tinydb also run on a new PostgreSQL database.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { pythonJson } from "../scripts/lib/python-json.js";
import { tinyDbSample } from "../scripts/lib/tinydb-sample.js";
import { PACKAGE_ROOT } from "../src/package-root.js";
import { dataDir, seededDatabase } from "./lib/seed.js";
import { specForCases } from "./lib/seed-data.js";

const cases = Number(process.argv[2] ?? 1_000_000);
const entities = Number(process.argv[3] ?? 100_000);
const postgresServer = process.env.TEST_POSTGRES_URL;
const dir = path.join(dataDir(), "movement");
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

/** Runs the casebook command under GNU time and reads its peak resident set size. */
function casebook(args: string[], databaseUrl: string): Run {
  const timeFile = path.join(dir, "time.txt");
  const started = process.hrtime.bigint();
  const child = spawnSync(
    "/usr/bin/time",
    ["-f", "%M", "-o", timeFile, process.execPath, path.join(PACKAGE_ROOT, "bin/casebook.mjs"), ...args],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, SQLITE_SYNCHRONOUS: "NORMAL" },
      maxBuffer: 64 * 1024 * 1024,
      encoding: "utf8",
    },
  );
  const { stdout, stderr } = child;
  if (child.status !== 0) throw new Error(`casebook ${args.join(" ")} failed (${child.status}): ${stderr}${stdout}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMb = Number(fs.readFileSync(timeFile, "utf8").trim().split("\n").at(-1)) / 1024;
  return { seconds, peakRssMb, stdout, stderr };
}

function report(what: string, run: Run, count: number, unit: string): void {
  log(
    `${what}: ${count.toLocaleString("en")} ${unit} in ${run.seconds.toFixed(1)} s, ` +
      `${Math.round(count / run.seconds).toLocaleString("en")} ${unit}/s, peak RSS ${run.peakRssMb.toFixed(0)} MB`,
  );
}

async function newPostgresDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgresServer });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(postgresServer!);
  url.pathname = `/${name}`;
  return url.toString();
}

const seeded = seededDatabase("movement", specForCases(cases), log);
log(`source: ${seeded.file} (${seeded.rows.total.toLocaleString("en")} rows, ${seeded.fileMb.toFixed(0)} MB)`);
const dump = path.join(dir, "dump.ndjson");
const exported = casebook(["export", "--output", dump], seeded.file);
// The summary, the last line on stderr: "casebook export: 3,006,738 rows (…) in …".
const summary = exported.stderr.trimEnd().split("\n").at(-1) ?? "";
const rows = Number(/casebook export: ([\d,]+) rows \(/.exec(summary)?.[1]?.replaceAll(",", ""));
report("export (SQLite)", exported, rows, "rows");
log(`dump: ${(fs.statSync(dump).size / 1024 / 1024).toFixed(0)} MB`);
const imported = casebook(["import", dump], path.join(dir, "copy.db"));
report("import (SQLite)", imported, rows, "rows");
if (postgresServer) {
  const url = await newPostgresDatabase("casebook_movement");
  report("import (PostgreSQL)", casebook(["import", dump], url), rows, "rows");
  report("export (PostgreSQL)", casebook(["export", "--output", path.join(dir, "pg.ndjson")], url), rows, "rows");
}
fs.rmSync(path.join(dir, "copy.db"), { force: true });

const file = path.join(dir, "entities.json");
const jobs = Math.round(entities / 5.5);
fs.writeFileSync(file, pythonJson(tinyDbSample({ jobs, maxCasesPerJob: 9, flaws: false })));
const documents = execFileSync(process.execPath, [
  "-e",
  `const t=require(${JSON.stringify(file)});console.log(Object.values(t).reduce((n,d)=>n+Object.keys(d).length,0))`,
])
  .toString()
  .trim();
log(
  `TinyDB file: ${Number(documents).toLocaleString("en")} documents, ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`,
);
const tinydb = casebook(["import-tinydb", file], path.join(dir, "tinydb.db"));
report("import-tinydb (SQLite)", tinydb, Number(documents), "entities");
if (postgresServer) {
  const url = await newPostgresDatabase("casebook_movement_tinydb");
  report("import-tinydb (PostgreSQL)", casebook(["import-tinydb", file], url), Number(documents), "entities");
}
