import fs from "node:fs";
import { finished } from "node:stream/promises";
import { exportDump } from "../../data-movement/ndjson-export.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withDatabase } from "../open-database.js";
import { stderrProgress } from "../stderr-progress.js";
import { rowSummary } from "./summaries.js";

export const exportCommand: Command = {
  name: "export",
  summary: "write every row of the database as NDJSON (to a file or stdout)",
  help: `Usage: casebook export [--output FILE]

Writes every mission, job, case, case step and transition (every row of every table) as
NDJSON, from one consistent snapshot, a page at a time: memory stays bounded and the service
can keep running. The first line names the schema version (the last migration) and the
columns; the last line counts the rows of each table. \`casebook import\` reads it back.

Options:
  -o, --output FILE   write to FILE instead of stdout
  -h, --help          show this help

Progress and the summary go to stderr.`,
  options: { output: { type: "string", short: "o" } },
  positionals: { min: 0, max: 0 },
  async run({ values }) {
    const file = values.output as string | undefined;
    const out = file ? fs.createWriteStream(file) : process.stdout;
    const started = Date.now();
    const counts = await withDatabase((db) => exportDump(db, out, stderrProgress()));
    if (file) {
      out.end();
      await finished(out);
    }
    process.stderr.write(`casebook export: ${rowSummary(counts, started)}${file ? ` to ${file}` : ""}\n`);
    return EXIT.ok;
  },
};
