// Sums and counts over the cases under missions or jobs on PostgreSQL, one grouped statement for
// any number of parents. The (jobId, status, totalCostMicros) index answers both from the index
// alone: a job's cases are one range of it, a mission's are one range per job.
import type { EntityStatus } from "../../domain/lifecycle.js";
import { statusCountsByParent } from "../status-counts.js";
import type { CaseTotalsStore, StatusCounts } from "../store.js";
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
 * The statement summing the costs of the cases under each parent (its one parameter: their ids).
 * SUM of BIGINT is NUMERIC; every total stays below 2^53 micro-units (domain/cost.ts), and as
 * text it is read back exactly.
 */
export function caseCostSql(parentType: "Mission" | "Job"): string {
  const parent = parentIdOf(parentType);
  return `SELECT ${parent} AS "parentId", SUM("c"."totalCostMicros")::text AS "micros" FROM ${casesUnder(parentType)}
       GROUP BY ${parent}`;
}

/** The statement counting the cases under each parent by status (its one parameter: their ids). */
export function caseStatusCountsSql(parentType: "Mission" | "Job"): string {
  const parent = parentIdOf(parentType);
  return `SELECT ${parent} AS "parentId", "c"."status", COUNT(*)::int AS "n" FROM ${casesUnder(parentType)}
       GROUP BY ${parent}, "c"."status"`;
}

export class PgCaseTotalsRepository implements CaseTotalsStore {
  constructor(private readonly session: PgSession) {}

  async costMicrosByParents(parentType: "Mission" | "Job", parentIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.session.query<{ parentId: string; micros: string }>(caseCostSql(parentType), [
      pgKeys(parentIds),
    ]);
    const sums = new Map(rows.map((r) => [r.parentId, Number(r.micros)]));
    return new Map(parentIds.map((id) => [id, sums.get(id) ?? 0]));
  }

  async caseStatusCountsByParents(
    parentType: "Mission" | "Job",
    parentIds: readonly string[],
  ): Promise<Map<string, StatusCounts>> {
    const { rows } = await this.session.query<{ parentId: string; status: EntityStatus; n: number }>(
      caseStatusCountsSql(parentType),
      [pgKeys(parentIds)],
    );
    return statusCountsByParent(parentIds, rows);
  }
}
