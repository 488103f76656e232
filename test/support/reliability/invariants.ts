// What must hold in any casebook database, whatever happened to the process that wrote it:
// SQLite's own checks, and the lifecycle's bookkeeping (status = last transition's toStatus,
// an unbroken chain of transitions, version = transitions + edits, finishedAt iff terminal).
import Database from "better-sqlite3";

export interface InvariantReport {
  problems: string[];
  entities: number;
  transitions: number;
}

const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
const TABLES = [
  { type: "Mission", table: '"Mission"', column: '"missionId"' },
  { type: "Job", table: '"Job"', column: '"jobId"' },
  { type: "Case", table: '"Case"', column: '"caseId"' },
] as const;

/**
 * `edits(type, row)` says how many non-status edits an entity has had (each one bumps the
 * version); the workload decides how that is recorded.
 */
export function checkInvariants(
  file: string,
  edits: (type: string, row: Record<string, any>, db: Database.Database) => number,
): InvariantReport {
  // Opening read-write lets SQLite recover the WAL left by a killed writer, as the server would.
  const db = new Database(file, { timeout: 10_000 });
  const problems: string[] = [];
  let entities = 0;
  try {
    const integrity = db.pragma("integrity_check") as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== "ok")
      problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    const fk = db.pragma("foreign_key_check") as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);

    for (const { type, table, column } of TABLES) {
      const history = new Map<string, { fromStatus: string; toStatus: string; version: number }[]>();
      for (const t of db
        .prepare(
          `SELECT ${column} AS entityId, "fromStatus", "toStatus", "version" FROM "Transition" WHERE ${column} IS NOT NULL ORDER BY "id"`,
        )
        .all() as { entityId: string; fromStatus: string; toStatus: string; version: number }[]) {
        const list = history.get(t.entityId) ?? [];
        list.push(t);
        history.set(t.entityId, list);
      }
      for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, any>[]) {
        entities++;
        const steps = history.get(row.id) ?? [];
        const last = steps.at(-1);
        const expectedStatus = last?.toStatus ?? "STOPPED";
        if (row.status !== expectedStatus)
          problems.push(`${type} ${row.id}: status ${row.status}, last transition says ${expectedStatus}`);
        let previous = "STOPPED";
        for (const step of steps) {
          if (step.fromStatus !== previous)
            problems.push(`${type} ${row.id}: transition from ${step.fromStatus} follows one to ${previous}`);
          previous = step.toStatus;
        }
        if (last && last.version > row.version)
          problems.push(`${type} ${row.id}: transition at version ${last.version} beyond the entity's ${row.version}`);
        const expectedVersion = steps.length + edits(type, row, db);
        if (row.version !== expectedVersion) {
          problems.push(
            `${type} ${row.id}: version ${row.version}, but ${steps.length} transitions + ${expectedVersion - steps.length} edits`,
          );
        }
        if (TERMINAL.has(row.status) !== (row.finishedAt !== null))
          problems.push(`${type} ${row.id}: ${row.status} with finishedAt ${row.finishedAt}`);
      }
    }
    const transitions = (db.prepare(`SELECT count(*) AS n FROM "Transition"`).get() as { n: number }).n;
    return { problems, entities, transitions };
  } finally {
    db.close();
  }
}
