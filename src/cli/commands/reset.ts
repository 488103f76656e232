import { resetDatabase } from "../../data-movement/reset.js";
import { CliFailure, type Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { withDatabase } from "../open-database.js";

export const resetCommand: Command = {
  name: "reset",
  summary: "delete every mission, job, case, step and transition (keeps the schema)",
  help: `Usage: casebook reset --yes [--force]

Deletes every row of every table in one transaction; the schema and its migrations stay.
Export first (\`casebook export -o backup.ndjson\`) if the data may be wanted again.

Options:
  --yes        required: confirms that everything is to be deleted
  --force      reset even while missions, jobs or cases are running
  -h, --help   show this help

Exit code 5 (nothing deleted) without --yes, or with running entities and no --force.`,
  options: { yes: { type: "boolean" }, force: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run({ values }) {
    if (!values.yes) {
      throw new CliFailure("reset deletes every row of the database; run it again with --yes to confirm", EXIT.refused);
    }
    const deleted = await withDatabase((db) => resetDatabase(db, { force: values.force === true }));
    const total = Object.values(deleted).reduce((a, b) => a + b, 0);
    const tables = Object.entries(deleted)
      .map(([table, n]) => `${table} ${n}`)
      .join(", ");
    process.stdout.write(`deleted ${total} rows (${tables})\n`);
    return EXIT.ok;
  },
};
