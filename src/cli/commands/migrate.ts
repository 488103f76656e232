import { readMigrationStatus } from "../../db/migration-status.js";
import { startupFailure } from "../../server/startup-failure.js";
import { CliFailure, type Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { commandConfig, withDatabase } from "../open-database.js";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "apply pending migrations and exit (--status: only show them)",
  help: `Usage: casebook migrate [--status]

Applies the migrations the database lacks, as the server does at start-up (on PostgreSQL under
the migration lock, so it is safe next to running servers), then exits.

Options:
  --status     apply nothing: list applied and pending migrations; exit code 7 when some are pending
  -h, --help   show this help

Exit code 3 when the database has a migration this casebook does not know, or one that was
modified after it was applied.`,
  options: { status: { type: "boolean" } },
  positionals: { min: 0, max: 0 },
  async run({ values }) {
    if (values.status) {
      const config = commandConfig();
      const status = await readMigrationStatus(config.database).catch((error: unknown) => {
        const failure = startupFailure(error, config);
        if (failure) throw new CliFailure(`cannot read the database: ${failure.message}`, failure.exitCode);
        throw error;
      });
      const lines = [
        ...status.applied.map((name) => `applied   ${name}`),
        ...status.pending.map((name) => `pending   ${name}`),
        ...status.unknown.map((name) => `unknown   ${name} (applied by a newer casebook)`),
        ...status.unfinished.map((name) => `failed    ${name} (started, never finished)`),
        ...status.modified.map((name) => `modified  ${name} (changed after it was applied)`),
      ];
      const misfit = status.unknown.length + status.unfinished.length + status.modified.length > 0;
      const verdict = misfit
        ? "the database does not fit this casebook"
        : status.pending.length > 0
          ? `${status.pending.length} pending: run casebook migrate`
          : "up to date";
      process.stdout.write(`${[...lines, verdict].join("\n")}\n`);
      if (misfit) return EXIT.schema;
      return status.pending.length > 0 ? EXIT.pending : EXIT.ok;
    }
    const { applied, alreadyApplied } = await withDatabase(async (_db, migrations) => migrations);
    const lines = applied.map((name) => `applied   ${name}`);
    lines.push(`${applied.length} applied now, ${alreadyApplied.length} already applied: up to date`);
    process.stdout.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  },
};
