// What the engines' workflow statements (sqlite/workflow-repository.ts,
// postgres/pg-workflow-repository.ts) share: the statuses they test, written as SQL lists, the
// levels under a parent, and the chain of parents a row reads as.
import type { Ancestor } from "../domain/finished-rules.js";
import { RUNNING_STATUSES, TERMINAL_STATUSES } from "../domain/lifecycle.js";

function sqlList(values: readonly string[]): string {
  return `(${values.map((v) => `'${v}'`).join(", ")})`;
}

/** Parents that take no new or starting children (finished-rules.ts: isClosedParent). */
export const CLOSED_PARENT_SQL = sqlList(["CANCELLING", ...TERMINAL_STATUSES]);
export const RUNNING_SQL = sqlList(RUNNING_STATUSES);
/** What a cancel moves: CANCELLING is already on its way. */
export const CANCELLABLE_SQL = sqlList(["IN_PROGRESS", "AWAITING"]);

/** The tables under a parent, nearest first: a mission's jobs and cases, a job's cases. */
export function levelsUnder(parentType: "Mission" | "Job"): ("Job" | "Case")[] {
  return parentType === "Mission" ? ["Job", "Case"] : ["Case"];
}

/** A job and its mission (if it has one) as ancestors, nearest first. */
export function jobAncestors(
  jobId: string,
  jobStatus: Ancestor["status"],
  mission: { id: string | null; status: Ancestor["status"] | null },
): Ancestor[] {
  const chain: Ancestor[] = [{ entityType: "Job", id: jobId, status: jobStatus }];
  if (mission.id !== null && mission.status !== null) {
    chain.push({ entityType: "Mission", id: mission.id, status: mission.status });
  }
  return chain;
}
