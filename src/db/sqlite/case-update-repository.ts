// The ordered steps of each case.
import type { CaseUpdateRecord } from "../../domain/entities.js";
import { groupBy } from "../group-by.js";
import type { CaseUpdateStore } from "../store.js";
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

  async listByCases(caseIds: readonly string[]): Promise<Map<string, CaseUpdateRecord[]>> {
    const rows = this.db.all(
      `SELECT * FROM "CaseUpdate" WHERE "caseId" IN (SELECT value FROM json_each(?)) ORDER BY "caseId", "index"`,
      [JSON.stringify(caseIds)],
    );
    const byCase = groupBy(rows.map(toRecord), (u) => u.caseId);
    return new Map(caseIds.map((id) => [id, byCase.get(id) ?? []]));
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
