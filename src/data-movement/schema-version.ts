// Which schema a dump's rows fit. A dump names the last migration of the database it came from;
// this casebook imports only dumps taken at the schema it migrates databases to (the last
// migration of that engine's folder), and checks the tables and columns too, so rows are never
// written into columns that mean something else.
import { defaultMigrationsDir, type MigrationsEngine, readMigrations } from "../db/migrations.js";
import type { TableInfo } from "../db/tables/table-access.js";
import type { DumpHeader } from "./dump-format.js";
import { InputError } from "./errors.js";

/** The migration a database of `engine` is at once this casebook has migrated it. */
function currentMigration(engine: MigrationsEngine): string {
  const migrations = readMigrations(defaultMigrationsDir(engine));
  return migrations[migrations.length - 1]?.name ?? "";
}

export function checkDumpSchema(header: DumpHeader, target: readonly TableInfo[]): void {
  const expected = currentMigration(header.engine);
  if (header.migration !== expected) {
    throw new InputError(
      `the dump is at schema version ${header.migration} (${header.engine}), this casebook at ${expected}: ` +
        `import it with the casebook version that exported it, migrate that database and export it again`,
    );
  }
  const differences: string[] = [];
  const targetByName = new Map(target.map((t) => [t.name, t]));
  for (const table of header.tables) {
    const here = targetByName.get(table.name);
    if (!here) {
      differences.push(`table ${table.name} does not exist here`);
      continue;
    }
    const columnsHere = new Map(here.columns.map((c) => [c.name, c.kind]));
    for (const column of table.columns) {
      const kind = columnsHere.get(column.name);
      if (kind === undefined) differences.push(`${table.name}.${column.name} does not exist here`);
      else if (kind !== column.kind)
        differences.push(`${table.name}.${column.name} is ${kind} here, ${column.kind} in the dump`);
      columnsHere.delete(column.name);
    }
    for (const name of columnsHere.keys()) differences.push(`${table.name}.${name} is missing from the dump`);
    targetByName.delete(table.name);
  }
  for (const name of targetByName.keys()) differences.push(`table ${name} is missing from the dump`);
  if (differences.length > 0) {
    throw new InputError(`the dump does not fit this database's schema: ${differences.join("; ")}`);
  }
}
