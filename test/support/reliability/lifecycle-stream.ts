// The mutation stream of one client in the crash and outage tests: its own mission, then job
// after job, each with a case driven through the lifecycle, edits and steps along the way, and
// every fourth job deleted again. Every mutation may be sent again after an answer that was lost
// (a killed server, an outage) without breaking the bookkeeping: events carry an idempotencyKey,
// job edits an expectedVersion, creates and deletes say ALREADY_EXISTS and NOT_FOUND the second
// time, and a repeated case step is one more step, counted like any other.
import { MUTATIONS } from "./client.js";

export type Kind = "Mission" | "Job" | "Case";

export interface Mutation {
  kind: Kind;
  query: string;
  variables: Record<string, unknown>;
  /** A transition (as opposed to a create, an edit or a delete): in the history at the version answered. */
  transition: boolean;
  /** deleteJob: answered `true`, and takes the job's case, steps and history with it. */
  deletes?: boolean;
  /**
   * The refusal a second copy gets when the first one was applied: ALREADY_EXISTS for a create,
   * VERSION_CONFLICT (one version on) for an edit, NOT_FOUND for a delete. Events have none: the
   * copy gets the first one's answer.
   */
  repeatRefusal?: "ALREADY_EXISTS" | "VERSION_CONFLICT" | "NOT_FOUND";
}

/**
 * Sends each mutation of client `prefix`'s stream in turn through `send`, until `send` says
 * false (the client is done: its server is gone, or it has had its share).
 */
export async function runStream(prefix: string, send: (mutation: Mutation) => Promise<boolean>): Promise<void> {
  const mission = `${prefix}-m`;
  for (const mutation of missionMutations(mission)) if (!(await send(mutation))) return;
  for (let i = 0; ; i++) {
    for (const mutation of jobMutations(prefix, mission, i)) if (!(await send(mutation))) return;
  }
}

function missionMutations(mission: string): Mutation[] {
  return [
    {
      kind: "Mission",
      query: MUTATIONS.createMission,
      variables: { input: { id: mission, name: mission } },
      transition: false,
    },
    event("Mission", MUTATIONS.missionEvent, mission, "START_WORK"),
  ];
}

function jobMutations(prefix: string, mission: string, i: number): Mutation[] {
  const job = `${prefix}-j${i}`;
  const kase = `${prefix}-k${i}`;
  const mutations: Mutation[] = [
    {
      kind: "Job",
      query: MUTATIONS.createJob,
      variables: { input: { id: job, name: `job ${i}`, agentName: "reliability", missionId: mission } },
      transition: false,
      repeatRefusal: "ALREADY_EXISTS",
    },
    {
      kind: "Case",
      query: MUTATIONS.startCase,
      variables: { input: { jobId: job, id: kase, name: `case ${i}` } },
      transition: true,
      repeatRefusal: "ALREADY_EXISTS",
    },
    event("Job", MUTATIONS.jobEvent, job, "START_WORK"),
    edit(job, 1, { metadata: { edits: 1 }, payload: { step: i } }),
    {
      kind: "Case",
      query: MUTATIONS.addCaseUpdate,
      variables: { id: kase, update: { name: "step", cost: 1.5, payload: { i } } },
      transition: false,
    },
    event("Case", MUTATIONS.caseEvent, kase, "AWAITING_ON_INPUT"),
    event("Case", MUTATIONS.caseEvent, kase, "INPUT_RECEIVED"),
    edit(job, 2, { metadata: { edits: 2 }, result: { ok: true } }),
    event("Case", MUTATIONS.caseEvent, kase, i % 3 === 0 ? "ERROR_ENCOUNTERED" : "SUCCESSFULLY_DONE"),
    event("Job", MUTATIONS.jobEvent, job, "SUCCESSFULLY_DONE"),
  ];
  // Every fourth job is deleted again: its case, steps and history go with it in one transaction.
  if (i % 4 === 3) {
    mutations.push({
      kind: "Job",
      query: `mutation($id: ID!) { deleteJob(id: $id) }`,
      variables: { id: job },
      transition: false,
      deletes: true,
      repeatRefusal: "NOT_FOUND",
    });
  }
  return mutations;
}

function event(kind: Kind, query: string, id: string, e: string): Mutation {
  // Each event happens once per entity in the stream, so the event names it.
  return { kind, query, variables: { id, e, o: { idempotencyKey: `${id}:${e}` } }, transition: true };
}

function edit(job: string, expectedVersion: number, input: Record<string, unknown>): Mutation {
  return {
    kind: "Job",
    query: MUTATIONS.updateJob,
    variables: { id: job, input, v: expectedVersion },
    transition: false,
    repeatRefusal: "VERSION_CONFLICT",
  };
}
