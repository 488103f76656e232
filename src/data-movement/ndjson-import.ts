// Reads a dump (dump-format.ts) into an empty database of either engine, in one transaction:
// every row as it was, or, when anything is wrong (another schema, a line that does not parse,
// a dump cut short), nothing at all. Rows are read line by line and written in batches, so
// memory stays bounded whatever the size of the dump.

import readline from "node:readline";
import type { Readable } from "node:stream";
import type { Database } from "../db/database.js";
import { type TableInfo, type TableRow, tableAccess } from "../db/tables/table-access.js";
import { parseHeader, parseLine } from "./dump-format.js";
import { InputError, RefusedError } from "./errors.js";
import type { ProgressListener } from "./progress.js";
import { checkDumpSchema } from "./schema-version.js";

const BATCH_ROWS = 2000;

export async function importDump(
  db: Database,
  input: Readable,
  onProgress: ProgressListener = () => {},
): Promise<Record<string, number>> {
  const reader = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    return await importLines(db, reader[Symbol.asyncIterator](), onProgress);
  } finally {
    // A refused or failed import stops reading: the rest of the input is not waited for.
    reader.close();
    input.destroy();
  }
}

async function importLines(
  db: Database,
  lines: AsyncIterator<string>,
  onProgress: ProgressListener,
): Promise<Record<string, number>> {
  const access = tableAccess(db);
  const tables = await access.describe();
  const byName = new Map(tables.map((t) => [t.name, t]));
  const first = await lines.next();
  const header = parseHeader(first.done ? undefined : first.value);
  checkDumpSchema(header, tables);

  return access.write(async (writer) => {
    const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t.name, 0]));
    for (const table of tables) {
      if ((await writer.count(table)) > 0) {
        throw new RefusedError(
          `the database already holds data (table ${table.name}); import into an empty database (casebook reset --yes empties this one)`,
        );
      }
    }
    let batch: TableRow[] = [];
    let batchTable: TableInfo | undefined;
    let done = 0;
    const flush = async () => {
      if (!batchTable || batch.length === 0) return;
      await writer.insert(batchTable, batch);
      counts[batchTable.name]! += batch.length;
      done += batch.length;
      onProgress({ phase: "import", subject: batchTable.name, done });
      batch = [];
    };
    let lineNumber = 1;
    let ended = false;
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      lineNumber++;
      if (next.value.length === 0) continue;
      if (ended) throw new InputError(`line ${lineNumber} comes after the end of the dump`);
      const line = parseLine(next.value, lineNumber);
      if ("end" in line) {
        await flush();
        for (const table of tables) {
          const expected = line.rows[table.name] ?? 0;
          if (counts[table.name] !== expected) {
            throw new InputError(
              `the dump says ${expected} rows of ${table.name} but holds ${counts[table.name]}: it is damaged`,
            );
          }
        }
        ended = true;
        continue;
      }
      const table = byName.get(line.table);
      if (!table)
        throw new InputError(`line ${lineNumber} is a row of ${line.table}, which this database has no table for`);
      if (table !== batchTable) {
        await flush();
        batchTable = table;
      }
      batch.push(line.row);
      if (batch.length >= BATCH_ROWS) await flush();
    }
    if (!ended) throw new InputError("the dump ends before its last line: it was cut short; nothing was imported");
    await writer.resumeGeneratedKeys(tables);
    return counts;
  });
}
