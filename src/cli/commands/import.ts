import fs from "node:fs";
import { InputError } from "../../data-movement/errors.js";
import { importDump } from "../../data-movement/ndjson-import.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withDatabase } from "../open-database.js";
import { stderrProgress } from "../stderr-progress.js";
import { rowSummary } from "./summaries.js";

export const importCommand: Command = {
  name: "import",
  summary: "read a dump written by `casebook export` into an empty database",
  help: `Usage: casebook import FILE

Reads a dump written by \`casebook export\` (FILE, or - for stdin) into the database, which must
be empty, in one transaction: every row exactly as it was exported, or nothing. A dump of
another schema version (another migration), one that was cut short, or a line that does not
parse is refused and nothing is written. Dumps move between engines: a SQLite dump imports
into PostgreSQL and back.

Options:
  -h, --help   show this help

Exit codes: 5 when the database is not empty, 6 when the dump cannot be imported.`,
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ positionals }) {
    const file = positionals[0]!;
    const input = file === "-" ? process.stdin : fs.createReadStream(file);
    const opened = new Promise<void>((resolve, reject) => {
      if (file === "-") return resolve();
      input.once("open", () => resolve());
      input.once("error", (error: NodeJS.ErrnoException) =>
        reject(new InputError(`cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`)),
      );
    });
    await opened;
    const started = Date.now();
    const counts = await withDatabase((db) => importDump(db, input, stderrProgress()));
    process.stdout.write(`imported ${rowSummary(counts, started)}\n`);
    return EXIT.ok;
  },
};
