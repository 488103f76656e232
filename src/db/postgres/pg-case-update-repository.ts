// The ordered steps of each case, on PostgreSQL.
import type { CaseUpdateRecord } from "../../domain/entities.js";
import { groupBy } from "../group-by.js";
import type { CaseUpdateStore } from "../store.js";
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

  async listByCases(caseIds: readonly string[]): Promise<Map<string, CaseUpdateRecord[]>> {
    const { rows } = await this.session.query(
      `SELECT * FROM "CaseUpdate" WHERE "caseId" = ANY($1::text[]) ORDER BY "caseId", "index"`,
      [pgKeys(caseIds)],
    );
    const byCase = groupBy(rows.map(toRecord), (u) => u.caseId);
    return new Map(caseIds.map((id) => [id, byCase.get(id) ?? []]));
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
