// The ordered steps of each case.
import type { CaseUpdateRecord, Page } from "../../domain/entities.js";
import { decodeStepCursor, STEP_LIST } from "../cursor.js";
import { pagesByParent } from "../pages-by-parent.js";
import type { CaseUpdateStore, PageRequest } from "../store.js";
import { decodeBoolean, decodeDate, decodeJson, encodeBoolean, encodeDate, encodeJson } from "./codec.js";
import type { SqlDatabase, SqlRow } from "./sql-database.js";

export class CaseUpdateRepository implements CaseUpdateStore {
  constructor(private readonly db: SqlDatabase) {}

  /** Appends a step at the next index of its case and returns it. */
  async append(update: Omit<CaseUpdateRecord, "index">): Promise<CaseUpdateRecord> {
    const next = this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "CaseUpdate" WHERE "caseId" = ?`, [
      update.caseId,
    ]);
    const record = { ...update, index: next?.n ?? 0 };
    this.db.run(
      `INSERT INTO "CaseUpdate" ("caseId", "index", "name", "costMicros", "payload", "isFinal", "error", "at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        record.caseId,
        record.index,
        record.name,
        record.costMicros,
        encodeJson(record.payload),
        encodeBoolean(record.isFinal),
        record.error,
        encodeDate(record.at),
      ],
    );
    return record;
  }

  /**
   * Each case's page in one statement: per case, a walk of the primary key (caseId, index) from
   * the cursor that stops after first + 1 rows, so a page of a case with 20,000 steps reads no more
   * than one of a case with ten.
   */
  async listByCases(caseIds: readonly string[], page: PageRequest): Promise<Map<string, Page<CaseUpdateRecord>>> {
    const after = page.after === undefined ? -1 : decodeStepCursor(page.after);
    const rows = this.db.all(
      `SELECT "step".* FROM (SELECT DISTINCT value AS "caseId" FROM json_each(?)) AS "c"
       JOIN "CaseUpdate" AS "step" ON "step".rowid IN (
         SELECT rowid FROM "CaseUpdate" WHERE "caseId" = "c"."caseId" AND "index" > ? ORDER BY "index" LIMIT ?
       )
       ORDER BY "step"."caseId", "step"."index"`,
      [JSON.stringify(caseIds), after, page.first + 1],
    );
    return pagesByParent(
      caseIds,
      rows.map(toRecord),
      (u) => u.caseId,
      { first: page.first, after: page.after },
      STEP_LIST,
      (u) => [u.index],
    );
  }

  async countByCases(caseIds: readonly string[]): Promise<Map<string, number>> {
    const rows = this.db.all<{ caseId: string; n: number }>(
      `SELECT "caseId", COUNT(*) AS n FROM "CaseUpdate" WHERE "caseId" IN (SELECT value FROM json_each(?)) GROUP BY "caseId"`,
      [JSON.stringify(caseIds)],
    );
    const counts = new Map(rows.map((r) => [r.caseId, r.n]));
    return new Map(caseIds.map((id) => [id, counts.get(id) ?? 0]));
  }
}

function toRecord(row: SqlRow): CaseUpdateRecord {
  return {
    caseId: row.caseId as string,
    index: Number(row.index),
    name: (row.name as string | null) ?? null,
    costMicros: row.costMicros === null ? null : Number(row.costMicros),
    payload: decodeJson(row.payload),
    isFinal: decodeBoolean(row.isFinal),
    error: (row.error as string | null) ?? null,
    at: decodeDate(row.at),
  };
}
