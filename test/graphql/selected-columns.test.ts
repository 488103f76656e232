// Nested pages read only the columns their nodes' fields need (src/graphql/selected-columns.ts).
// Whatever a query selects, and however (fragments, directives, aliases), every field must come
// back as a read of the whole row gives it: each field of Job and Case is asked for on its own
// and compared with the same entity read by id.
import { type GraphQLObjectType, getNamedType, isLeafType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCasebookSchema } from "../../src/graphql/schema.js";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";

/** A selection of the field that returns something: leaves as they are, objects by a leaf. */
async function selectionsOf(typeName: "Job" | "Case"): Promise<string[]> {
  const type = (await buildCasebookSchema()).getType(typeName) as GraphQLObjectType;
  return Object.values(type.getFields()).map((field) => {
    const named = getNamedType(field.type);
    if (isLeafType(named)) return field.name;
    if (named.name.endsWith("Connection")) return `${field.name} { totalCount edges { node { __typename } } }`;
    return `${field.name} { __typename }`;
  });
}

describe("nested pages read the columns their fields need", () => {
  let server: TestServer;
  let missionId: string;
  let jobIds: string[];
  let caseIds: string[];

  const query = async (text: string, variables: Record<string, unknown> = {}) =>
    dataOf(await server.request(text, variables)) as Record<string, unknown>;

  beforeAll(async () => {
    server = await startTestServer();
    const { missions, jobs, cases } = server.app.services;
    const mission = await missions.create({ name: "mission", metadata: { team: "core" } });
    missionId = mission.id;
    jobIds = [];
    caseIds = [];
    for (let j = 0; j < 3; j++) {
      // Ids in creation order: rows created in the same millisecond are listed by id.
      const job = await jobs.create({
        id: `job-${j}`,
        name: `job ${j}`,
        agentName: `agent-${j}`,
        missionId,
        jobContext: { repo: "r" },
        payload: { n: j },
        agentParameters: { temperature: 0.2 },
        metadata: { j },
      });
      jobIds.push(job.id);
      if (j !== 1) await jobs.handleEvent(job.id, "START_WORK", { actor: "runner" });
      for (let c = 0; c < 2; c++) {
        const started = await cases.start({
          id: `case-${j}-${c}`,
          jobId: job.id,
          name: `case ${j}.${c}`,
          description: `d${c}`,
        });
        caseIds.push(started.id);
        await cases.addUpdate(started.id, { name: "step", cost: 1.25, payload: { c }, isFinal: c === 1 });
      }
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("every field of Job, asked for alone in a mission's jobs, is the field of the job read whole", async () => {
    for (const selection of await selectionsOf("Job")) {
      const nested = await query(
        `query($id: ID!) { mission(id: $id) { jobs(first: 10) { edges { node { ${selection} } } } } }`,
        { id: missionId },
      );
      const nodes = (nested.mission as { jobs: { edges: { node: unknown }[] } }).jobs.edges.map((e) => e.node);
      const whole = await Promise.all(
        jobIds.map(async (id) => (await query(`query($id: ID!) { job(id: $id) { ${selection} } }`, { id })).job),
      );
      expect(nodes, selection).toEqual(whole);
    }
  });

  it("every field of Case, asked for alone in a job's cases, is the field of the case read whole", async () => {
    for (const selection of await selectionsOf("Case")) {
      const nested = await query(
        // Pages no larger than the data: the cost limit counts Case.updates at 500 a case.
        `{ missions(first: 1) { edges { node { jobs(first: 5) { edges { node { cases(first: 5) { edges { node { ${selection} } } } } } } } } } }`,
      );
      type Page = { edges: { node: { cases: { edges: { node: unknown }[] } } }[] };
      const nodes = (nested.missions as { edges: { node: { jobs: Page } }[] }).edges.flatMap((m) =>
        m.node.jobs.edges.flatMap((j) => j.node.cases.edges.map((c) => c.node)),
      );
      const whole = await Promise.all(
        caseIds.map(async (id) => (await query(`query($id: ID!) { case(id: $id) { ${selection} } }`, { id })).case),
      );
      expect(nodes, selection).toEqual(whole);
    }
  });

  it("fields behind fragments and directives are read, whichever branch the variables take", async () => {
    const text = `query($mission: ID!, $deep: Boolean!) {
      mission(id: $mission) { jobs(first: 10) { edges { ...JobBits node { id ... on Job @include(if: $deep) { payload agentName } } } } }
    }
    fragment JobBits on JobEdge { node { ...Named } }
    fragment Named on WorkflowEntity { name isTerminal m: metadata }`;
    for (const deep of [false, true]) {
      const nested = await query(text, { mission: missionId, deep });
      const nodes = (nested.mission as { jobs: { edges: { node: Record<string, unknown> }[] } }).jobs.edges.map(
        (e) => e.node,
      );
      const whole = await Promise.all(
        jobIds.map(
          async (id) =>
            (
              await query(
                `query($id: ID!) { job(id: $id) { id name isTerminal m: metadata ${deep ? "payload agentName" : ""} } }`,
                { id },
              )
            ).job,
        ),
      );
      expect(nodes).toEqual(whole);
    }
  });

  it("one field node read alone in one place and merged with another in the next reads what each place selects", async () => {
    // A connection field's loader is kept per field node for the request (src/graphql/loaders.ts
    // forField): the fragment's `jobs` alone must not hand its columns to the merged field.
    const fragment = "fragment Jobs on Mission { jobs(first: 10) { edges { node { id } } } }";
    const merged = "jobs(first: 10) { edges { node { name payload } } }";
    const whole = await Promise.all(
      jobIds.map(async (id) => (await query(`query($id: ID!) { job(id: $id) { id name payload } }`, { id })).job),
    );
    for (const fields of [
      `alone: mission(id: $id) { ...Jobs } merged: mission(id: $id) { ...Jobs ${merged} }`,
      `merged: mission(id: $id) { ...Jobs ${merged} } alone: mission(id: $id) { ...Jobs }`,
    ]) {
      const data = await query(`query($id: ID!) { ${fields} } ${fragment}`, { id: missionId });
      const nodes = (key: string) =>
        (data[key] as { jobs: { edges: { node: unknown }[] } }).jobs.edges.map((e) => e.node);
      expect(nodes("merged")).toEqual(whole);
      expect(nodes("alone")).toEqual(jobIds.map((id) => ({ id })));
    }
  });

  it("one transitions field node under a mission and under its jobs reads each entity's own history", async () => {
    const history =
      "fragment History on WorkflowEntity { id transitions(first: 5) { edges { node { event toStatus } } } }";
    const data = await query(
      `query($id: ID!) { mission(id: $id) { ...History jobs(first: 10) { edges { node { ...History } } } } } ${history}`,
      { id: missionId },
    );
    const mission = data.mission as Record<string, unknown> & { jobs: { edges: { node: unknown }[] } };
    const alone = async (field: "mission" | "job", id: string) =>
      (await query(`query($id: ID!) { ${field}(id: $id) { ...History } } ${history}`, { id }))[field];
    expect({ id: mission.id, transitions: mission.transitions }).toEqual(await alone("mission", missionId));
    expect(mission.jobs.edges.map((e) => e.node)).toEqual(await Promise.all(jobIds.map((id) => alone("job", id))));
  });

  it("a page of a few columns does not stand in for the whole entity in a later lookup of the same request", async () => {
    const both = await query(
      `query($mission: ID!, $job: ID!) {
        mission(id: $mission) { jobs(first: 10) { edges { node { id } } } }
        job(id: $job) { id payload jobContext agentParameters metadata cases(first: 5) { edges { node { id job { payload name } } } } }
      }`,
      { mission: missionId, job: jobIds[2] },
    );
    const alone = await query(
      `query($job: ID!) { job(id: $job) { id payload jobContext agentParameters metadata cases(first: 5) { edges { node { id job { payload name } } } } } }`,
      { job: jobIds[2] },
    );
    expect(both.job).toEqual(alone.job);
    expect((both.job as { payload: unknown }).payload).toEqual({ n: 2 });
  });

  it("cursors are the same whether or not the page reads anything else, and page on", async () => {
    const pages = async (selection: string) =>
      (
        (await query(`query($id: ID!) { mission(id: $id) { jobs(first: 2) { ${selection} } } }`, { id: missionId }))
          .mission as { jobs: Record<string, unknown> }
      ).jobs;
    const whole = (await pages("edges { cursor node { id name createdAt } } pageInfo { endCursor hasNextPage }")) as {
      edges: { cursor: string }[];
      pageInfo: { endCursor: string };
    };
    const cursorsOnly = (await pages("edges { cursor }")) as { edges: { cursor: string }[] };
    const pageInfoOnly = (await pages("pageInfo { endCursor }")) as { pageInfo: { endCursor: string } };
    expect(cursorsOnly.edges.map((e) => e.cursor)).toEqual(whole.edges.map((e) => e.cursor));
    expect(pageInfoOnly.pageInfo.endCursor).toBe(whole.pageInfo.endCursor);
    const next = await query(
      `query($id: ID!, $after: String) { mission(id: $id) { jobs(first: 2, after: $after) { edges { node { id } } } } }`,
      { id: missionId, after: pageInfoOnly.pageInfo.endCursor },
    );
    expect((next.mission as { jobs: { edges: { node: { id: string } }[] } }).jobs.edges.map((e) => e.node.id)).toEqual([
      jobIds[2],
    ]);
  });
});
