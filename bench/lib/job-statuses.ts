// Where each job of the event pool is now, read from the database the servers share, so that a
// load run starts every job with an event that is valid from its status.
import Database from "better-sqlite3";
import pg from "pg";

export type JobStatuses = (jobIds: readonly string[]) => Promise<{ id: string; status: string }[]>;

/** JobStatuses of a SQLite file or of a PostgreSQL URL. */
export function jobStatuses(database: string): JobStatuses {
  return /^postgres(ql)?:\/\//i.test(database) ? pgJobStatuses(database) : sqliteJobStatuses(database);
}

function sqliteJobStatuses(databaseFile: string): JobStatuses {
  return async (jobIds) => {
    const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare(`SELECT "id", "status" FROM "Job" WHERE "id" IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(jobIds)) as { id: string; status: string }[];
    } finally {
      db.close();
    }
  };
}

function pgJobStatuses(url: string): JobStatuses {
  return async (jobIds) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; status: string }>(
        `SELECT "id", "status"::text FROM "Job" WHERE "id" = ANY($1::text[])`,
        [jobIds],
      );
      return rows;
    } finally {
      await client.end();
    }
  };
}
