import { databaseStatus, type StatusReport } from "../../data-movement/status.js";
import { ENTITY_STATUSES } from "../../domain/lifecycle.js";
import { CliFailure, type Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withDatabase } from "../open-database.js";

export const statusCommand: Command = {
  name: "status",
  summary: "count entities by type and status, and list the running ones",
  help: `Usage: casebook status [--json] [--limit N]

Prints the database (engine, where, schema version), a count of missions, jobs and cases in
each status, and the running ones (IN_PROGRESS, CANCELLING, AWAITING), oldest first.

Options:
  --json        print the same as one JSON object
  --limit N     list at most N running entities (default 100)
  -h, --help    show this help`,
  options: { json: { type: "boolean" }, limit: { type: "string" } },
  positionals: { min: 0, max: 0 },
  async run({ values }) {
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 0) {
      throw new CliFailure(`--limit must be a whole number, got "${String(values.limit)}"`, EXIT.usage);
    }
    const report = await withDatabase((db) => databaseStatus(db, { limit }));
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
    return EXIT.ok;
  },
};

function formatStatus(report: StatusReport): string {
  const lines = [`database: ${report.location} (${report.engine}, schema ${report.migration ?? "none"})`, ""];
  const width = Math.max(...ENTITY_STATUSES.map((s) => s.length));
  lines.push(`${"".padEnd(width)}  ${["missions", "jobs", "cases"].map((h) => h.padStart(9)).join("")}`);
  for (const status of ENTITY_STATUSES) {
    const cells = (["Mission", "Job", "Case"] as const).map((t) => String(report.counts[t][status]).padStart(9));
    lines.push(`${status.padEnd(width)}  ${cells.join("")}`);
  }
  lines.push("", `running: ${report.runningTotal}`);
  for (const e of report.running) lines.push(`  ${e.type.padEnd(7)} ${e.status.padEnd(11)} ${e.id}  ${e.name}`);
  if (report.running.length < report.runningTotal)
    lines.push(`  … and ${report.runningTotal - report.running.length} more (--limit)`);
  return `${lines.join("\n")}\n`;
}
