// `casebook`: the command line. Moves data in and out (import-tinydb, export, import, reset),
// shows what the database holds (status) and migrates it (migrate). Each command is in
// commands/; exit codes are in exit-codes.ts.
import "dotenv/config";
import { parseArgs } from "node:util";
import { InputError, RefusedError } from "../data-movement/errors.js";
import { CliFailure, type Command } from "./command.js";
import { exportCommand } from "./commands/export.js";
import { importCommand } from "./commands/import.js";
import { importTinyDbCommand } from "./commands/import-tinydb.js";
import { migrateCommand } from "./commands/migrate.js";
import { resetCommand } from "./commands/reset.js";
import { statusCommand } from "./commands/status.js";
import { EXIT } from "./exit-codes.js";

const COMMANDS: readonly Command[] = [
  importTinyDbCommand,
  exportCommand,
  importCommand,
  resetCommand,
  statusCommand,
  migrateCommand,
];

const USAGE = `Usage: casebook <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(15)}${c.summary}`).join("\n")}

\`casebook <command> --help\` says more about each. The database is the one the server uses:
DATABASE_URL (a SQLite file or a postgresql:// URL) and the other settings from the
environment or a .env file.

Exit codes: 0 done, 1 unexpected failure, 2 bad usage or configuration, 3 the database's
schema does not fit this casebook, 4 PostgreSQL unreachable, 5 refused to protect data
(--yes/--force missing, database not empty), 6 unusable input, 7 migrations pending
(migrate --status).
`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliFailure(`unknown command "${name}"; \`casebook --help\` lists them`, EXIT.usage);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliFailure(`${(error as Error).message}; \`casebook ${name} --help\` shows the options`, EXIT.usage);
  }
  if (parsed.values.help) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new CliFailure(
      `${name} takes ${expected} argument${max === 1 ? "" : "s"}, got ${parsed.positionals.length}; \`casebook ${name} --help\``,
      EXIT.usage,
    );
  }
  return command.run({
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals,
  });
}

function exitCodeOf(error: unknown): number | undefined {
  if (error instanceof CliFailure) return error.exitCode;
  if (error instanceof RefusedError) return EXIT.refused;
  if (error instanceof InputError) return EXIT.badInput;
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = exitCodeOf(error);
    const message = code === undefined ? ((error as Error).stack ?? String(error)) : (error as Error).message;
    process.stderr.write(`casebook: ${message}\n`);
    process.exitCode = code ?? EXIT.failure;
  },
);
