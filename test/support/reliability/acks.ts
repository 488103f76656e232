// What the servers acknowledged, and the check that all of it is in the database afterwards,
// whatever happened to the processes (or the database server) in between.
import { codeOf, type GqlResult, gql } from "./client.js";
import type { DatabaseReader } from "./database-reader.js";
import type { Kind, Mutation } from "./lifecycle-stream.js";

export interface Ack {
  kind: Kind;
  id: string;
  version: number;
  status: string;
  /** A transition (as opposed to a create or an edit) is in the history at exactly this version. */
  transition: boolean;
  /** A delete: the entity and everything under it are gone for good. */
  deleted?: boolean;
}

/** The acknowledgement in a successful answer to `mutation`; undefined when it is not one. */
export function ackOf(mutation: Mutation, result: GqlResult): Ack | undefined {
  if (codeOf(result) !== undefined || !result.data) return undefined;
  const answer = Object.values(result.data)[0] as { id: string; version: number; status: string } | boolean | undefined;
  if (!answer) return undefined;
  if (answer === true) return deletion(mutation);
  return {
    kind: mutation.kind,
    id: answer.id,
    version: answer.version,
    status: answer.status,
    transition: mutation.transition,
  };
}

/** A delete known to have happened, though its answer was lost. */
export function deletion(mutation: Mutation): Ack {
  return {
    kind: mutation.kind,
    id: String(mutation.variables.id),
    version: -1,
    status: "",
    transition: false,
    deleted: true,
  };
}

/** A case belongs to the job of the same client and iteration ("r1-c2-k3" → "r1-c2-j3"). */
const jobOf = (ack: Ack) =>
  ack.kind === "Case" ? ack.id.replace(/-k(\d+)$/, "-j$1") : ack.kind === "Job" ? ack.id : undefined;

/** The latest acknowledgement of every entity still there (not under a deleted job). */
function survivors(acks: readonly Ack[]): Ack[] {
  const deletedJobs = new Set(acks.filter((a) => a.deleted).map((a) => a.id));
  const latest = new Map<string, Ack>();
  for (const ack of acks) {
    const job = jobOf(ack);
    if (job === undefined || !deletedJobs.has(job)) latest.set(`${ack.kind}:${ack.id}`, ack);
  }
  return [...latest.values()];
}

const HISTORY_COLUMN = { Mission: '"missionId"', Job: '"jobId"', Case: '"caseId"' } as const;

/**
 * Every acknowledged mutation is in the database, as the answer said or further along; every
 * acknowledged delete took the job's case, steps and history with it. One line per problem.
 */
export async function missingAcks(db: DatabaseReader, acks: readonly Ack[]): Promise<string[]> {
  const missing: string[] = [];
  const deletedJobs = new Set(acks.filter((a) => a.deleted).map((a) => a.id));
  for (const job of deletedJobs) {
    const kase = job.replace(/-j(\d+)$/, "-k$1");
    const left = await db.count(
      `SELECT (SELECT count(*) FROM "Job" WHERE id = ?) + (SELECT count(*) FROM "Case" WHERE id = ?)
         + (SELECT count(*) FROM "CaseUpdate" WHERE "caseId" = ?) + (SELECT count(*) FROM "Transition" WHERE "jobId" = ? OR "caseId" = ?) AS n`,
      job,
      kase,
      kase,
      job,
      kase,
    );
    if (left !== 0) missing.push(`job ${job} was deleted, but ${left} of its rows remain`);
  }
  for (const ack of acks) {
    const job = jobOf(ack);
    if (job !== undefined && deletedJobs.has(job)) continue;
    const row = await db.get<{ status: string; version: number }>(
      `SELECT status, version FROM "${ack.kind}" WHERE id = ?`,
      ack.id,
    );
    if (!row) {
      missing.push(`${ack.kind} ${ack.id} is gone`);
    } else if (row.version < ack.version) {
      missing.push(`${ack.kind} ${ack.id} is at version ${row.version}, ${ack.version} was acknowledged`);
    } else if (row.version === ack.version && row.status !== ack.status) {
      missing.push(`${ack.kind} ${ack.id} is ${row.status} at version ${ack.version}, ${ack.status} was acknowledged`);
    }
    if (ack.transition) {
      const step = await db.get<{ toStatus: string }>(
        `SELECT "toStatus" FROM "Transition" WHERE ${HISTORY_COLUMN[ack.kind]} = ? AND "version" = ?`,
        ack.id,
        ack.version,
      );
      if (step?.toStatus !== ack.status)
        missing.push(`${ack.kind} ${ack.id}: no transition to ${ack.status} at version ${ack.version}`);
    }
  }
  return missing;
}

/** Reads every surviving entity back through the service: each at its acknowledged version or later. */
export async function readBackProblems(
  url: string,
  acks: readonly Ack[],
): Promise<{ problems: string[]; read: number }> {
  const problems: string[] = [];
  const latest = survivors(acks);
  for (const ack of latest) {
    const field = ack.kind.toLowerCase();
    const result = await gql(url, `query($id: ID!) { ${field}(id: $id) { id status version } }`, { id: ack.id });
    const entity = result.data?.[field] as { version: number } | null | undefined;
    if (!entity || entity.version < ack.version)
      problems.push(
        `${ack.kind} ${ack.id} read back as ${JSON.stringify(result)}, version ${ack.version} was acknowledged`,
      );
  }
  return { problems, read: latest.length };
}
