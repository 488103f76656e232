import { importTinyDb, StrictImportError, type TinyDbImportReport } from "../../data-movement/tinydb/tinydb-import.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withDatabase } from "../open-database.js";
import { stderrProgress } from "../stderr-progress.js";

export const importTinyDbCommand: Command = {
  name: "import-tinydb",
  summary: "import the entities.json of supervaizer's TinyDB storage",
  help: `Usage: casebook import-tinydb FILE [--dry-run] [--strict] [--json]

Imports the missions, jobs and cases of a TinyDB file as supervaizer's StorageManager wrote it
(default ./data/entities.json). Each entity keeps its id, name, status and dates; fields
casebook has no column for go to metadata.tinydb (a case's account, which holds platform
credentials, is dropped). Cases get their steps (updates), jobs link to their mission when it
exists, and every entity imported in another status than STOPPED gets one IMPORTED transition
(actor "import"). Entities whose id casebook already has are left as they are, so running it
again changes nothing.

A case whose job is missing is skipped and reported; an id in a job's case_ids with no case is
reported. Neither stops the import, unless --strict.

Options:
  --dry-run    read and check everything, print what would be imported, write nothing
  --strict     import nothing when anything is skipped or a reference leads nowhere (exit 6)
  --json       print the report as JSON
  -h, --help   show this help

Progress goes to stderr, the report to stdout.`,
  options: { "dry-run": { type: "boolean" }, strict: { type: "boolean" }, json: { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }) {
    const file = positionals[0]!;
    const options = {
      dryRun: values["dry-run"] === true,
      strict: values.strict === true,
      onProgress: stderrProgress("entities"),
    };
    try {
      const report = await withDatabase((db) => importTinyDb(db, file, options));
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof StrictImportError)) throw error;
      process.stdout.write(values.json ? `${JSON.stringify(error.report, null, 2)}\n` : formatReport(error.report));
      throw error;
    }
  },
};

const SHOWN = 20;

function formatReport(report: TinyDbImportReport): string {
  const verb = report.dryRun ? "would import" : "imported";
  const lines: string[] = [];
  for (const type of ["Mission", "Job", "Case"] as const) {
    const counts = Object.entries(report.imported[type]);
    const total = counts.reduce((sum, [, n]) => sum + (n ?? 0), 0);
    const detail = counts.map(([status, n]) => `${status} ${n}`).join(", ");
    lines.push(
      `${type.toLowerCase()}s: ${verb} ${total}${detail ? ` (${detail})` : ""}, already present ${report.alreadyPresent[type]}`,
    );
  }
  lines.push(`steps: ${report.steps}, IMPORTED transitions: ${report.transitions}`);
  if (report.jobsWithoutMission > 0) {
    lines.push(
      `jobs without a mission in the file or the database: ${report.jobsWithoutMission} (job_context keeps its ids)`,
    );
  }
  for (const [table, n] of Object.entries(report.ignoredTables)) lines.push(`table ${table} ignored: ${n} documents`);
  lines.push(`problems: ${report.problems.length}`);
  for (const problem of report.problems.slice(0, SHOWN)) lines.push(`  ${problem}`);
  if (report.problems.length > SHOWN) lines.push(`  … ${report.problems.length - SHOWN} more (--json lists all)`);
  lines.push(`odd values read another way: ${report.oddities.length}`);
  for (const oddity of report.oddities.slice(0, SHOWN)) lines.push(`  ${oddity}`);
  if (report.oddities.length > SHOWN) lines.push(`  … ${report.oddities.length - SHOWN} more (--json lists all)`);
  return `${lines.join("\n")}\n`;
}
