// Writes a TinyDB entities.json as supervaizer's storage leaves it (scripts/lib/tinydb-sample.ts),
// to try `casebook import-tinydb` or measure it:
//   npx tsx scripts/tinydb-sample.ts FILE [JOBS] [MAX_CASES_PER_JOB] [--flaws]
// test/fixtures/tinydb/entities.json is `FILE 60 8 --flaws`.
import fs from "node:fs";
import { pythonJson } from "./lib/python-json.js";
import { tinyDbSample } from "./lib/tinydb-sample.js";

const [file, jobs = "60", maxCases = "8", ...flags] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: npx tsx scripts/tinydb-sample.ts FILE [JOBS] [MAX_CASES_PER_JOB] [--flaws]\n");
  process.exit(2);
}
const tables = tinyDbSample({ jobs: Number(jobs), maxCasesPerJob: Number(maxCases), flaws: flags.includes("--flaws") });
fs.writeFileSync(file, pythonJson(tables));
const counts = Object.entries(tables).map(([name, docs]) => `${name} ${Object.keys(docs).length}`);
process.stdout.write(`${file}: ${counts.join(", ")}\n`);
