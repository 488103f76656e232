// What a UI sees: a mission with two jobs and three cases driven through the lifecycle over HTTP
// (runs, waits, cancels, failures), then read back in one nested query.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddCaseUpdateDocument,
  CreateJobDocument,
  CreateMissionDocument,
  type EntityEvent,
  type EntityStateFragment,
  type EntityStatus,
  HandleCaseEventDocument,
  HandleJobEventDocument,
  HandleMissionEventDocument,
  type HistoryFragment,
  LifecycleDocument,
  MissionTreeDocument,
  type MissionTreeQuery,
  StartCaseDocument,
  TransitionCaseDocument,
  TransitionJobDocument,
  TransitionMissionDocument,
} from "../generated/graphql.js";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";

// The contract's lifecycle table, written out independently of src/domain.
const TABLE: [EntityEvent, EntityStatus, EntityStatus][] = [
  ["START_WORK", "STOPPED", "IN_PROGRESS"],
  ["SUCCESSFULLY_DONE", "IN_PROGRESS", "COMPLETED"],
  ["AWAITING_ON_INPUT", "IN_PROGRESS", "AWAITING"],
  ["CANCEL_REQUESTED", "IN_PROGRESS", "CANCELLING"],
  ["ERROR_ENCOUNTERED", "IN_PROGRESS", "FAILED"],
  ["TIMEOUT_OR_ERROR", "AWAITING", "FAILED"],
  ["INPUT_RECEIVED", "AWAITING", "IN_PROGRESS"],
  ["CANCEL_WHILE_WAITING", "AWAITING", "CANCELLING"],
  ["CANCEL_CONFIRMED", "CANCELLING", "CANCELLED"],
];
const RUNNING: EntityStatus[] = ["IN_PROGRESS", "CANCELLING", "AWAITING"];
const TERMINAL: EntityStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];

type Kind = "Mission" | "Job" | "Case";
interface Step {
  event: EntityEvent;
  fromStatus: EntityStatus;
  toStatus: EntityStatus;
  actor: string | null;
  reason: string | null;
}

/** The status, flags and valid events an entity must show, derived from the table. */
function expectState(
  entity: Pick<EntityStateFragment, "status" | "isRunning" | "isTerminal" | "validEvents" | "finishedAt">,
  status: EntityStatus,
) {
  expect(entity.status).toBe(status);
  expect(entity.isRunning).toBe(RUNNING.includes(status));
  expect(entity.isTerminal).toBe(TERMINAL.includes(status));
  expect(entity.validEvents).toEqual(TABLE.filter(([, from]) => from === status).map(([event]) => event));
  if (TERMINAL.includes(status)) expect(entity.finishedAt).not.toBeNull();
  else expect(entity.finishedAt).toBeNull();
}

function historyOf(entity: HistoryFragment): Step[] {
  return entity.transitions.edges.map(({ node }) => ({
    event: node.event,
    fromStatus: node.fromStatus,
    toStatus: node.toStatus,
    actor: node.actor,
    reason: node.reason,
  }));
}

describe("a UI's scenario over HTTP", () => {
  let server: TestServer;
  const expected = new Map<string, Step[]>();
  const status = new Map<string, EntityStatus>();
  const version = new Map<string, number>();

  /** Fires one event (by name or by target status) and checks what the mutation returns. */
  async function fire(
    kind: Kind,
    id: string,
    how: { event: EntityEvent } | { to: EntityStatus },
    actor: string | null,
    reason: string | null,
  ) {
    const from = status.get(id)!;
    const row = TABLE.find(([event, f, to]) => f === from && ("event" in how ? event === how.event : to === how.to));
    expect(row, `${kind} ${id}: ${JSON.stringify(how)} from ${from} is in the table`).toBeDefined();
    const [event, , to] = row!;
    const options = { actor, reason };
    let entity: EntityStateFragment;
    if ("event" in how) {
      const vars = { id, event: how.event, options };
      entity =
        kind === "Mission"
          ? dataOf(await server.request(HandleMissionEventDocument, vars)).handleMissionEvent
          : kind === "Job"
            ? dataOf(await server.request(HandleJobEventDocument, vars)).handleJobEvent
            : dataOf(await server.request(HandleCaseEventDocument, vars)).handleCaseEvent;
    } else {
      const vars = { id, to: how.to, options };
      entity =
        kind === "Mission"
          ? dataOf(await server.request(TransitionMissionDocument, vars)).transitionMission
          : kind === "Job"
            ? dataOf(await server.request(TransitionJobDocument, vars)).transitionJob
            : dataOf(await server.request(TransitionCaseDocument, vars)).transitionCase;
    }
    expectState(entity, to);
    expect(entity.version).toBe(version.get(id)! + 1);
    record(id, { event, fromStatus: from, toStatus: to, actor, reason }, entity.version);
  }

  function record(id: string, step: Step, newVersion: number) {
    expected.get(id)!.push(step);
    status.set(id, step.toStatus);
    version.set(id, newVersion);
  }

  function created(id: string, entity: EntityStateFragment) {
    expected.set(id, []);
    status.set(id, entity.status);
    version.set(id, entity.version);
  }

  let tree: NonNullable<MissionTreeQuery["mission"]>;

  beforeAll(async () => {
    server = await startTestServer();

    const mission = dataOf(
      await server.request(CreateMissionDocument, {
        input: { id: "ui-mission", name: "Ship the report", description: "quarterly", metadata: { team: "research" } },
      }),
    ).createMission;
    expect(mission).toMatchObject({
      id: "ui-mission",
      version: 0,
      metadata: { team: "research" },
      description: "quarterly",
    });
    expectState(mission, "STOPPED");
    created(mission.id, mission);

    for (const [id, agentName] of [
      ["ui-job-a", "writer"],
      ["ui-job-b", "reviewer"],
    ] as const) {
      const job = dataOf(
        await server.request(CreateJobDocument, {
          input: { id, name: `job ${id}`, agentName, missionId: "ui-mission" },
        }),
      ).createJob;
      expect(job).toMatchObject({ id, agentName, missionId: "ui-mission", version: 0, metadata: {} });
      expectState(job, "STOPPED");
      created(id, job);
    }

    await fire("Mission", "ui-mission", { event: "START_WORK" }, "ui", "kick-off");
    await fire("Job", "ui-job-a", { to: "IN_PROGRESS" }, "scheduler", "picked up");

    for (const n of [1, 2, 3]) {
      const started = dataOf(
        await server.request(StartCaseDocument, {
          input: {
            jobId: "ui-job-a",
            id: `ui-case-${n}`,
            name: `case ${n}`,
            description: `step ${n}`,
            actor: "writer",
            reason: `plan step ${n}`,
          },
        }),
      ).startCase;
      expect(started).toMatchObject({ id: `ui-case-${n}`, jobId: "ui-job-a", version: 1, totalCost: 0 });
      expectState(started, "IN_PROGRESS");
      expected.set(started.id, [
        {
          event: "START_WORK",
          fromStatus: "STOPPED",
          toStatus: "IN_PROGRESS",
          actor: "writer",
          reason: `plan step ${n}`,
        },
      ]);
      status.set(started.id, "IN_PROGRESS");
      version.set(started.id, started.version);
    }

    // Case 1: waits for input, gets it, reports two steps and completes.
    await fire("Case", "ui-case-1", { event: "AWAITING_ON_INPUT" }, "writer", "needs a source");
    await fire("Case", "ui-case-1", { event: "INPUT_RECEIVED" }, "human", "source attached");
    for (const update of [
      { name: "draft", cost: 1.25, payload: { words: 800 } },
      { name: "final", cost: 0.75, payload: { answer: 42 }, isFinal: true },
    ]) {
      const step = dataOf(await server.request(AddCaseUpdateDocument, { caseId: "ui-case-1", update })).addCaseUpdate;
      expectState(step, "IN_PROGRESS");
      version.set("ui-case-1", step.version);
    }
    await fire("Case", "ui-case-1", { to: "COMPLETED" }, "writer", "done");

    // Case 2: waits, then is cancelled while waiting and the cancel is confirmed.
    await fire("Case", "ui-case-2", { to: "AWAITING" }, "writer", "needs approval");
    await fire("Case", "ui-case-2", { event: "CANCEL_WHILE_WAITING" }, "human", "not needed");
    await fire("Case", "ui-case-2", { to: "CANCELLED" }, "writer", "stopped");

    // Case 3: a step reports an error, which fails the case.
    const failed = dataOf(
      await server.request(AddCaseUpdateDocument, {
        caseId: "ui-case-3",
        update: { name: "fetch", cost: 0.1, error: "tool crashed", actor: "runner" },
      }),
    ).addCaseUpdate;
    expectState(failed, "FAILED");
    record(
      "ui-case-3",
      {
        event: "ERROR_ENCOUNTERED",
        fromStatus: "IN_PROGRESS",
        toStatus: "FAILED",
        actor: "runner",
        reason: "tool crashed",
      },
      failed.version,
    );

    // Job A is cancelled and confirms it; job B waits and times out; the mission waits and resumes.
    await fire("Job", "ui-job-a", { event: "CANCEL_REQUESTED" }, "ui", "budget cut");
    await fire("Job", "ui-job-a", { to: "CANCELLED" }, "scheduler", "all stopped");
    await fire("Job", "ui-job-b", { event: "START_WORK" }, "scheduler", null);
    await fire("Job", "ui-job-b", { event: "AWAITING_ON_INPUT" }, null, "waiting for review");
    await fire("Job", "ui-job-b", { to: "FAILED" }, "watchdog", "no answer in 24h");
    await fire("Mission", "ui-mission", { to: "AWAITING" }, "ui", "waiting on jobs");
    await fire("Mission", "ui-mission", { event: "INPUT_RECEIVED" }, "ui", null);

    const read = dataOf(await server.request(MissionTreeDocument, { id: "ui-mission" })).mission;
    expect(read).not.toBeNull();
    tree = read!;
  });

  afterAll(async () => {
    await server?.stop();
  });

  const jobOf = (id: string) => tree.jobs.edges.map((e) => e.node).find((j) => j.id === id)!;
  const casesOf = (jobId: string) => jobOf(jobId).cases.edges.map((e) => e.node);

  it("reads the mission back with its state and full history", () => {
    expect(tree).toMatchObject({
      id: "ui-mission",
      name: "Ship the report",
      description: "quarterly",
      metadata: { team: "research" },
    });
    expectState(tree, "IN_PROGRESS");
    expect(tree.version).toBe(3);
    expect(tree.transitions.totalCount).toBe(3);
    expect(historyOf(tree)).toEqual(expected.get("ui-mission"));
  });

  it("lists both jobs in creation order, each with its state and full history", () => {
    expect(tree.jobs.totalCount).toBe(2);
    expect(tree.jobs.edges.map((e) => e.node.id)).toEqual(["ui-job-a", "ui-job-b"]);
    for (const [id, final] of [
      ["ui-job-a", "CANCELLED"],
      ["ui-job-b", "FAILED"],
    ] as const) {
      const job = jobOf(id);
      expectState(job, final);
      expect(job.mission).toEqual({ id: "ui-mission" });
      expect(job.missionId).toBe("ui-mission");
      expect(job.version).toBe(version.get(id));
      expect(historyOf(job)).toEqual(expected.get(id));
      expect(job.transitions.totalCount).toBe(expected.get(id)!.length);
    }
    expect(jobOf("ui-job-a").caseIds).toEqual(["ui-case-1", "ui-case-2", "ui-case-3"]);
    expect(jobOf("ui-job-b").caseIds).toEqual([]);
    expect(jobOf("ui-job-b").cases).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("lists the three cases under their job with state, steps and full history", () => {
    const cases = casesOf("ui-job-a");
    expect(jobOf("ui-job-a").cases.totalCount).toBe(3);
    expect(cases.map((c) => [c.id, c.status])).toEqual([
      ["ui-case-1", "COMPLETED"],
      ["ui-case-2", "CANCELLED"],
      ["ui-case-3", "FAILED"],
    ]);
    for (const c of cases) {
      expectState(c, c.status);
      expect(c.job).toEqual({ id: "ui-job-a" });
      expect(c.jobId).toBe("ui-job-a");
      expect(c.version).toBe(version.get(c.id));
      expect(historyOf(c)).toEqual(expected.get(c.id));
    }
    const [one, two, three] = cases as [(typeof cases)[0], (typeof cases)[0], (typeof cases)[0]];
    expect(one.totalCost).toBeCloseTo(2);
    expect(one.finalDelivery).toEqual({ answer: 42 });
    const steps = (c: (typeof cases)[0]) => c.steps.edges.map((e) => e.node);
    expect(one.steps.totalCount).toBe(2);
    expect(steps(one).map((u) => [u.index, u.name, u.cost, u.payload, u.isFinal, u.error])).toEqual([
      [0, "draft", 1.25, { words: 800 }, false, null],
      [1, "final", 0.75, { answer: 42 }, true, null],
    ]);
    expect(two.steps).toEqual({ totalCount: 0, edges: [] });
    expect(two.totalCost).toBe(0);
    expect(three.totalCost).toBeCloseTo(0.1);
    expect(steps(three).map((u) => [u.index, u.name, u.error])).toEqual([[0, "fetch", "tool crashed"]]);
  });

  it("stamps finishedAt with the moment of the terminal transition", () => {
    const finished = [jobOf("ui-job-a"), jobOf("ui-job-b"), ...casesOf("ui-job-a")];
    for (const entity of finished) {
      const last = entity.transitions.edges.at(-1)!.node;
      expect(entity.finishedAt, entity.id).toBe(last.at);
      expect(Date.parse(entity.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(entity.createdAt));
    }
  });

  it("serves the lifecycle table, status groups and a mermaid diagram", async () => {
    const { lifecycle } = dataOf(await server.request(LifecycleDocument));
    expect(lifecycle.transitions.map((t) => [t.event, t.from, t.to])).toEqual(TABLE);
    expect(lifecycle.runningStatuses).toEqual(RUNNING);
    expect(lifecycle.terminalStatuses).toEqual(TERMINAL);
    expect(lifecycle.anomalyStatuses).toEqual(["CANCELLING", "CANCELLED", "FAILED"]);
    expect(lifecycle.mermaid.split("\n")[0]).toBe("stateDiagram-v2");
    for (const [event, from, to] of TABLE) expect(lifecycle.mermaid).toContain(`${from} --> ${to}: ${event}`);
  });
});
