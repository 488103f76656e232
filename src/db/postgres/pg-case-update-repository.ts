// The ordered steps of each case, on PostgreSQL.
import type { CaseUpdateRecord, Page } from "../../domain/entities.js";
import { decodeStepCursor, STEP_LIST } from "../cursor.js";
import { pagesByParent } from "../pages-by-parent.js";
import type { CaseUpdateStore, PageRequest } from "../store.js";
import { pgDate, pgJson, pgKeys } from "./pg-codec.js";
import type { PgSession } from "./pg-session.js";

export class PgCaseUpdateRepository implements CaseUpdateStore {
  constructor(private readonly session: PgSession) {}

  /**
   * Appends a step at the next index of its case, in one statement. Two appends to one case at
   * once would pick the same index: the caller holds the case's row lock (addUpdate does).
   */
  async append(update: Omit<CaseUpdateRecord, "index">): Promise<CaseUpdateRecord> {
    const { rows } = await this.session.query<{ index: number }>(
      `INSERT INTO "CaseUpdate" ("caseId", "index", "name", "costMicros", "payload", "isFinal", "error", "at")
       SELECT $1, COALESCE(MAX("index") + 1, 0), $2, $3, $4, $5, $6, $7 FROM "CaseUpdate" WHERE "caseId" = $1
       RETURNING "index"`,
      [
        update.caseId,
        update.name,
        update.costMicros,
        pgJson(update.payload),
        update.isFinal,
        update.error,
        pgDate(update.at),
      ],
    );
    return { ...update, index: rows[0]!.index };
  }

  /**
   * Each case's page in one statement: a LATERAL walk of the primary key (caseId, index) per case
   * from the cursor, stopping after first + 1 rows.
   */
  async listByCases(caseIds: readonly string[], page: PageRequest): Promise<Map<string, Page<CaseUpdateRecord>>> {
    const after = page.after === undefined ? -1 : decodeStepCursor(page.after);
    const { rows } = await this.session.query(
      `SELECT "step".* FROM (SELECT DISTINCT unnest($1::text[]) AS "caseId") AS "c"
       CROSS JOIN LATERAL (
         SELECT * FROM "CaseUpdate" WHERE "caseId" = "c"."caseId" AND "index" > $2::bigint ORDER BY "index" LIMIT $3
       ) AS "step"
       ORDER BY "step"."caseId", "step"."index"`,
      [pgKeys(caseIds), after, page.first + 1],
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
    const { rows } = await this.session.query<{ caseId: string; n: number }>(
      `SELECT "caseId", COUNT(*)::int AS n FROM "CaseUpdate" WHERE "caseId" = ANY($1::text[]) GROUP BY "caseId"`,
      [pgKeys(caseIds)],
    );
    const counts = new Map(rows.map((r) => [r.caseId, r.n]));
    return new Map(caseIds.map((id) => [id, counts.get(id) ?? 0]));
  }
}

function toRecord(row: Record<string, unknown>): CaseUpdateRecord {
  return {
    caseId: row.caseId as string,
    index: row.index as number,
    name: (row.name as string | null) ?? null,
    costMicros: row.costMicros === null ? null : Number(row.costMicros),
    payload: (row.payload as CaseUpdateRecord["payload"]) ?? null,
    isFinal: row.isFinal as boolean,
    error: (row.error as string | null) ?? null,
    at: row.at as Date,
  };
}
