// The cost and status counts of the cases under missions or jobs on SQLite, one grouped statement
// for any number of parents and for both aggregates. The (jobId, status, totalCostMicros) index
// answers it from the index alone: a job's cases are one range of it, a mission's are one range
// per job.
import type { EntityStatus } from "../../domain/lifecycle.js";
import { caseTotalsByParent } from "../status-counts.js";
import type { CaseTotals, CaseTotalsStore } from "../store.js";
import { IN_LIST } from "./list-sql.js";
import type { SqlDatabase } from "./sql-database.js";

/** The cases under each parent, with the parent's id as "parentId". */
function casesUnder(parentType: "Mission" | "Job"): string {
  return parentType === "Job"
    ? `"Case" AS "c" WHERE "c"."jobId" ${IN_LIST}`
    : `"Job" AS "j" JOIN "Case" AS "c" ON "c"."jobId" = "j"."id" WHERE "j"."missionId" ${IN_LIST}`;
}

const parentIdOf = (parentType: "Mission" | "Job") => (parentType === "Job" ? `"c"."jobId"` : `"j"."missionId"`);

/**
 * The statement counting the cases under each parent by status and summing their costs per
 * status (its one parameter: the parents' ids as a JSON array).
 */
export function caseTotalsSql(parentType: "Mission" | "Job"): string {
  const parent = parentIdOf(parentType);
  return `SELECT ${parent} AS "parentId", "c"."status", COUNT(*) AS "n", SUM("c"."totalCostMicros") AS "micros"
       FROM ${casesUnder(parentType)}
       GROUP BY ${parent}, "c"."status"`;
}

export class CaseTotalsRepository implements CaseTotalsStore {
  constructor(private readonly db: SqlDatabase) {}

  async totalsByParents(parentType: "Mission" | "Job", parentIds: readonly string[]): Promise<Map<string, CaseTotals>> {
    const rows = this.db.all<{ parentId: string; status: EntityStatus; n: number; micros: number }>(
      caseTotalsSql(parentType),
      [JSON.stringify(parentIds)],
    );
    return caseTotalsByParent(parentIds, rows);
  }
}
