// Views (what GraphQL's loaders read) must hold exactly the record an ordinary read returns,
// for every table and every kind of column, whether a field is read once, twice or never.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { plainRecord } from "../../src/db/record-views.js";
import type { JobRecord } from "../../src/domain/entities.js";
import type { Services } from "../../src/services/services.js";
import { openTempDatabase, type TempDatabase } from "../support/database.js";

let t: TempDatabase;
let s: Services;
beforeEach(async () => {
  t = openTempDatabase();
  s = t.services;
  await s.missions.create({ id: "m1", name: "Mission", description: "d", metadata: { team: "a", tags: ["x", "y"] } });
  await s.jobs.create({
    id: "j1",
    name: "Job",
    agentName: "writer",
    missionId: "m1",
    jobContext: { repository: "r" },
    payload: [1, "two", { three: 3 }],
    agentParameters: { temperature: 0.2 },
  });
  await s.jobs.handleEvent("j1", "START_WORK");
  await s.cases.start({ id: "c1", jobId: "j1", name: "Case", description: "first" });
  await s.cases.addUpdate("c1", { name: "done", cost: 1.5, isFinal: true, payload: { answer: 42 } });
  await s.cases.handleEvent("c1", "SUCCESSFULLY_DONE");
});
afterEach(() => t.dispose());

describe("record views", () => {
  it("equal the records of ordinary reads, for missions, jobs and cases", async () => {
    for (const [service, id] of [
      [s.missions, "m1"],
      [s.jobs, "j1"],
      [s.cases, "c1"],
    ] as const) {
      const record = (await service.get(id))!;
      const view = (await service.getMany([id])).get(id)!;
      const fieldOf = (field: string) => (view as unknown as Record<string, unknown>)[field];
      expect(plainRecord(view)).toEqual(record);
      expect(JSON.parse(JSON.stringify(view))).toEqual(JSON.parse(JSON.stringify(record)));
      // Field by field, as GraphQL reads them: parsed columns too, and the same value again.
      for (const [field, value] of Object.entries(record)) {
        expect(fieldOf(field), field).toEqual(value);
        expect(fieldOf(field), field).toBe(fieldOf(field));
      }
    }
  });

  it("come from the children pages too, with dates as Dates and JSON parsed", async () => {
    const [job] = (await s.childrenPages("Job", ["m1"], {})).get("m1")!.items;
    const [kase] = (await s.childrenPages("Case", ["j1"], {})).get("j1")!.items;
    expect(job!.createdAt).toBeInstanceOf(Date);
    expect(job!.payload).toEqual([1, "two", { three: 3 }]);
    expect(kase!.finishedAt).toBeInstanceOf(Date);
    expect(kase!.finalDelivery).toEqual({ answer: 42 });
    expect(plainRecord(kase!)).toEqual(await s.cases.get("c1"));
  });

  it("are no records once spread, and the compiler knows it", async () => {
    const view = (await s.jobs.getMany(["j1"])).get("j1")!;
    // @ts-expect-error: a spread copies own properties only, and the parsed columns are getters.
    const spread: JobRecord = { ...view };
    expect(spread.payload).toBeUndefined();
    expect(spread.createdAt).toBeUndefined();
    // Read field by field, a view is every bit the record.
    const read: JobRecord = view;
    expect(read.payload).toEqual([1, "two", { three: 3 }]);
  });

  it("leave ordinary records as they are", async () => {
    const record = (await s.jobs.get("j1"))!;
    expect(plainRecord(record)).toBe(record);
  });
});
