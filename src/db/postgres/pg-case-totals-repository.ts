// The cost and status counts of the cases under missions or jobs on PostgreSQL, one grouped
// statement for any number of parents and for both aggregates. The (jobId, status,
// totalCostMicros) index answers it from the index alone: a job's cases are one range of it, a
// mission's are one range per job.
import type { EntityStatus } from "../../domain/lifecycle.js";
import { caseTotalsByParent } from "../status-counts.js";
import type { CaseTotals, CaseTotalsStore } from "../store.js";
import { pgKeys } from "./pg-codec.js";
import type { PgSession } from "./pg-session.js";

/** The cases under each parent ($1, an array of ids). */
function casesUnder(parentType: "Mission" | "Job"): string {
  return parentType === "Job"
    ? `"Case" AS "c" WHERE "c"."jobId" = ANY($1::text[])`
    : `"Job" AS "j" JOIN "Case" AS "c" ON "c"."jobId" = "j"."id" WHERE "j"."missionId" = ANY($1::text[])`;
}

const parentIdOf = (parentType: "Mission" | "Job") => (parentType === "Job" ? `"c"."jobId"` : `"j"."missionId"`);

/**
 * The statement counting the cases under each parent by status and summing their costs per
 * status (its one parameter: their ids). SUM of BIGINT is NUMERIC; every total stays below 2^53
 * micro-units (domain/cost.ts), and as text it is read back exactly.
 */
export function caseTotalsSql(parentType: "Mission" | "Job"): string {
  const parent = parentIdOf(parentType);
  return `SELECT ${parent} AS "parentId", "c"."status", COUNT(*)::int AS "n",
         SUM("c"."totalCostMicros")::text AS "micros"
       FROM ${casesUnder(parentType)}
       GROUP BY ${parent}, "c"."status"`;
}

export class PgCaseTotalsRepository implements CaseTotalsStore {
  constructor(private readonly session: PgSession) {}

  async totalsByParents(parentType: "Mission" | "Job", parentIds: readonly string[]): Promise<Map<string, CaseTotals>> {
    const { rows } = await this.session.query<{ parentId: string; status: EntityStatus; n: number; micros: string }>(
      caseTotalsSql(parentType),
      [pgKeys(parentIds)],
    );
    return caseTotalsByParent(parentIds, rows);
  }
}
