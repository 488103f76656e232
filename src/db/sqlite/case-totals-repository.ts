// Sums and counts over the cases under missions or jobs on SQLite, one grouped statement for any
// number of parents. The (jobId, status, totalCostMicros) index answers both from the index
// alone: a job's cases are one range of it, a mission's are one range per job.
import type { EntityStatus } from "../../domain/lifecycle.js";
import { statusCountsByParent } from "../status-counts.js";
import type { CaseTotalsStore, StatusCounts } from "../store.js";
import { IN_LIST } from "./list-sql.js";
import type { SqlDatabase } from "./sql-database.js";

/** The cases under each parent, with the parent's id as "parentId". */
function casesUnder(parentType: "Mission" | "Job"): string {
  return parentType === "Job"
    ? `"Case" AS "c" WHERE "c"."jobId" ${IN_LIST}`
    : `"Job" AS "j" JOIN "Case" AS "c" ON "c"."jobId" = "j"."id" WHERE "j"."missionId" ${IN_LIST}`;
}

const parentIdOf = (parentType: "Mission" | "Job") => (parentType === "Job" ? `"c"."jobId"` : `"j"."missionId"`);

/** The statement summing the costs of the cases under each parent (its one parameter: their ids). */
export function caseCostSql(parentType: "Mission" | "Job"): string {
  const parent = parentIdOf(parentType);
  return `SELECT ${parent} AS "parentId", SUM("c"."totalCostMicros") AS "micros" FROM ${casesUnder(parentType)}
       GROUP BY ${parent}`;
}

/** The statement counting the cases under each parent by status (its one parameter: their ids). */
export function caseStatusCountsSql(parentType: "Mission" | "Job"): string {
  const parent = parentIdOf(parentType);
  return `SELECT ${parent} AS "parentId", "c"."status", COUNT(*) AS "n" FROM ${casesUnder(parentType)}
       GROUP BY ${parent}, "c"."status"`;
}

export class CaseTotalsRepository implements CaseTotalsStore {
  constructor(private readonly db: SqlDatabase) {}

  async costMicrosByParents(parentType: "Mission" | "Job", parentIds: readonly string[]): Promise<Map<string, number>> {
    const rows = this.db.all<{ parentId: string; micros: number }>(caseCostSql(parentType), [
      JSON.stringify(parentIds),
    ]);
    const sums = new Map(rows.map((r) => [r.parentId, Number(r.micros)]));
    return new Map(parentIds.map((id) => [id, sums.get(id) ?? 0]));
  }

  async caseStatusCountsByParents(
    parentType: "Mission" | "Job",
    parentIds: readonly string[],
  ): Promise<Map<string, StatusCounts>> {
    const rows = this.db.all<{ parentId: string; status: EntityStatus; n: number }>(caseStatusCountsSql(parentType), [
      JSON.stringify(parentIds),
    ]);
    return statusCountsByParent(parentIds, rows);
  }
}
