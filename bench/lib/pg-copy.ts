// Rows into a PostgreSQL table with COPY FROM STDIN (text format), written as they are generated:
// the fastest way in, and one statement per table however many rows.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

type CopyValue = string | number | Date | null;

// COPY's text format: a tab between columns, \N for NULL, and backslash escapes for the
// characters that would otherwise end a field or a row.
const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function field(value: CopyValue): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return String(value);
  return value.replace(SPECIAL, (c) => ESCAPES[c]!);
}

/** One table's COPY on its own connection; rows are buffered until flush(). */
export class CopyIn {
  private buffered: string[] = [];
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly done: Promise<void>;

  constructor(client: pg.ClientBase, table: string, columns: readonly string[]) {
    this.stream = client.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`));
    this.done = new Promise((resolve, reject) => {
      this.stream.on("finish", resolve);
      this.stream.on("error", reject);
    });
    // Until end() is awaited, a failure is kept for it rather than thrown unhandled.
    this.done.catch(() => undefined);
  }

  row(values: readonly CopyValue[]): void {
    this.buffered.push(`${values.map(field).join("\t")}\n`);
  }

  /** Sends the buffered rows; resolves once the connection can take more. */
  async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const chunk = this.buffered.join("");
    this.buffered = [];
    if (!this.stream.write(chunk)) {
      await Promise.race([new Promise((resolve) => this.stream.once("drain", resolve)), this.done]);
    }
  }

  /** Sends the rest and waits for the server to have taken every row. */
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done;
  }
}
