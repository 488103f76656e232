// Writes every row of every table of casebook's database as NDJSON (dump-format.ts), from one
// snapshot, a page at a time: memory stays bounded whatever the size of the database, and the
// output stream's back-pressure is honoured.
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Database } from "../db/database.js";
import { tableAccess } from "../db/tables/table-access.js";
import { DUMP_FORMAT, DUMP_FORMAT_VERSION, type DumpEnd, type DumpHeader } from "./dump-format.js";
import type { ProgressListener } from "./progress.js";

const PAGE_ROWS = 2000;
/** Lines are handed to the stream in chunks of about this many characters. */
const CHUNK_CHARS = 256 * 1024;

export async function exportDump(
  db: Database,
  out: Writable,
  onProgress: ProgressListener = () => {},
): Promise<Record<string, number>> {
  const access = tableAccess(db);
  const tables = await access.describe();
  const header: DumpHeader = {
    format: DUMP_FORMAT,
    formatVersion: DUMP_FORMAT_VERSION,
    engine: db.engine,
    migration: (await access.schemaVersion()) ?? "",
    exportedAt: new Date().toISOString(),
    tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
  };
  const counts: Record<string, number> = {};
  let chunk = `${JSON.stringify(header)}\n`;
  const write = async (text: string) => {
    chunk += text;
    if (chunk.length < CHUNK_CHARS) return;
    const full = chunk;
    chunk = "";
    if (!out.write(full)) await once(out, "drain");
  };
  let done = 0;
  await access.snapshot(async (reader) => {
    for (const table of tables) {
      counts[table.name] = 0;
      const prefix = `{"table":${JSON.stringify(table.name)},"row":`;
      for await (const rows of reader.rows(table, PAGE_ROWS)) {
        let text = "";
        for (const row of rows) text += `${prefix}${JSON.stringify(row)}}\n`;
        await write(text);
        counts[table.name]! += rows.length;
        done += rows.length;
        onProgress({ phase: "export", subject: table.name, done });
      }
    }
  });
  const end: DumpEnd = { end: true, rows: counts };
  await write(`${JSON.stringify(end)}\n`);
  if (chunk.length > 0 && !out.write(chunk)) await once(out, "drain");
  return counts;
}
