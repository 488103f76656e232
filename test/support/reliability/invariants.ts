// What must hold in any casebook database, whatever happened to the processes that wrote it:
// the engine's own checks, and the lifecycle's bookkeeping (status = last transition's toStatus,
// an unbroken chain of transitions at rising versions, version = transitions + edits, finishedAt
// iff terminal). A transition row without its status change, or the reverse, breaks one of these.
import { type DatabaseReader, jsonValue } from "./database-reader.js";

export interface InvariantReport {
  problems: string[];
  entities: number;
  transitions: number;
}

/**
 * How many non-status edits an entity has had (each one bumps the version); the workload decides
 * how that is recorded.
 */
export type EditCounter = (type: string, row: Record<string, any>, reader: DatabaseReader) => Promise<number>;

/** The workloads' convention: jobs count their own edits in metadata.edits; a case's edits are its steps. */
const workloadEdits: EditCounter = async (type, row, reader) => {
  if (type === "Job") return Number((jsonValue(row.metadata) as { edits?: number }).edits ?? 0);
  if (type === "Case") return reader.count(`SELECT count(*) AS n FROM "CaseUpdate" WHERE "caseId" = ?`, row.id);
  return 0;
};

const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);
const TABLES = [
  { type: "Mission", table: '"Mission"', column: '"missionId"' },
  { type: "Job", table: '"Job"', column: '"jobId"' },
  { type: "Case", table: '"Case"', column: '"caseId"' },
] as const;

interface Step {
  entityId: string;
  fromStatus: string;
  toStatus: string;
  version: number;
}

export async function checkInvariants(
  reader: DatabaseReader,
  edits: EditCounter = workloadEdits,
): Promise<InvariantReport> {
  const problems = await reader.engineChecks();
  let entities = 0;
  for (const { type, table, column } of TABLES) {
    const history = new Map<string, Step[]>();
    const steps = await reader.all<Step>(
      `SELECT ${column} AS "entityId", "fromStatus", "toStatus", "version" FROM "Transition" WHERE ${column} IS NOT NULL ORDER BY "id"`,
    );
    for (const step of steps) {
      const list = history.get(step.entityId) ?? [];
      list.push(step);
      history.set(step.entityId, list);
    }
    for (const row of await reader.all(`SELECT * FROM ${table}`)) {
      entities++;
      const steps = history.get(row.id) ?? [];
      history.delete(row.id);
      const last = steps.at(-1);
      const expectedStatus = last?.toStatus ?? "STOPPED";
      if (row.status !== expectedStatus)
        problems.push(`${type} ${row.id}: status ${row.status}, last transition says ${expectedStatus}`);
      let previous = { toStatus: "STOPPED", version: 0 };
      for (const step of steps) {
        if (step.fromStatus !== previous.toStatus)
          problems.push(`${type} ${row.id}: transition from ${step.fromStatus} follows one to ${previous.toStatus}`);
        if (step.version <= previous.version)
          problems.push(`${type} ${row.id}: transition at version ${step.version} follows one at ${previous.version}`);
        previous = step;
      }
      if (last && last.version > row.version)
        problems.push(`${type} ${row.id}: transition at version ${last.version} beyond the entity's ${row.version}`);
      const edited = await edits(type, row, reader);
      if (row.version !== steps.length + edited) {
        problems.push(`${type} ${row.id}: version ${row.version}, but ${steps.length} transitions + ${edited} edits`);
      }
      if (TERMINAL.has(row.status) !== (row.finishedAt !== null))
        problems.push(`${type} ${row.id}: ${row.status} with finishedAt ${row.finishedAt}`);
    }
    for (const [id, orphans] of history)
      problems.push(`${type} ${id} is gone, but ${orphans.length} transitions of it remain`);
  }
  const transitions = await reader.count(`SELECT count(*) AS n FROM "Transition"`);
  return { problems, entities, transitions };
}
