// Building entities in a given lifecycle status through the services.

import type { Database } from "../../src/db/database.js";
import type { CaseRecord, EntityRecordByType } from "../../src/domain/entities.js";
import { type EntityEvent, type EntityStatus, pathTo } from "../../src/domain/lifecycle.js";
import type { EventOptions } from "../../src/services/event-options.js";
import type { Services } from "../../src/services/services.js";
import { countOf, queryRows } from "./rows.js";

/** A database with the services over it (test-database.ts, or SQLite's own database.ts). */
interface WithServices {
  database: Database;
  services: Services;
  /** The clock the services read, if not the real one. */
  clock?: () => Date;
}

export type Kind = "Mission" | "Job" | "Case";
export const KINDS: Kind[] = ["Mission", "Job", "Case"];

/** What every entity service offers, whatever its type. */
export interface AnyEntityService {
  get(id: string): Promise<EntityRecordByType[Kind] | null>;
  handleEvent(id: string, event: EntityEvent, options?: EventOptions | null): Promise<EntityRecordByType[Kind]>;
  transition(id: string, to: EntityStatus, options?: EventOptions | null): Promise<EntityRecordByType[Kind]>;
  update(
    id: string,
    input: { name?: string | null },
    expectedVersion?: number | null,
  ): Promise<EntityRecordByType[Kind]>;
  delete(id: string, force?: boolean | null): Promise<boolean>;
}

export function serviceFor(services: Services, kind: Kind): AnyEntityService {
  return { Mission: services.missions, Job: services.jobs, Case: services.cases }[kind];
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/**
 * A new entity of `kind`, STOPPED. The services only ever create a case already started, so a
 * stopped case is written through the repository, as another writer of the database could.
 */
async function createStopped(t: WithServices, kind: Kind, parentId?: string): Promise<string> {
  const { services } = t;
  if (kind === "Mission") return (await services.missions.create({ id: nextId("mission"), name: "a mission" })).id;
  if (kind === "Job")
    return (await services.jobs.create({ id: nextId("job"), name: "a job", agentName: "agent-1", missionId: parentId }))
      .id;
  const jobId = parentId ?? (await createStopped(t, "Job"));
  const now = t.clock?.() ?? new Date();
  const record: CaseRecord = {
    id: nextId("case"),
    jobId,
    name: "a stopped case",
    description: null,
    status: "STOPPED",
    version: 0,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    awaitingUntil: null,
    metadata: {},
    totalCostMicros: 0,
    finalDelivery: null,
    error: null,
  };
  await t.database.store.entities.Case.insert(record);
  return record.id;
}

/** A new entity of `kind` moved along the table to `status`. Cases are started with startCase. */
export async function createIn(t: WithServices, kind: Kind, status: EntityStatus, parentId?: string): Promise<string> {
  let id: string;
  let events = pathTo(status).map((t) => t.event);
  if (kind === "Case" && status !== "STOPPED") {
    const jobId = parentId ?? (await createStopped(t, "Job"));
    id = (await t.services.cases.start({ id: nextId("case"), jobId, name: "a case" })).id;
    events = events.slice(1);
  } else {
    id = await createStopped(t, kind, parentId);
  }
  const service = serviceFor(t.services, kind);
  for (const event of events) await service.handleEvent(id, event);
  return id;
}

export type TransitionRow = {
  id: number;
  entityType: string;
  event: string;
  fromStatus: string;
  toStatus: string;
  version: number;
  at: Date;
  actor: string | null;
  reason: string | null;
  idempotencyKey: string | null;
};

/** Every transition row of one entity, oldest first, straight from the table. */
export async function transitionRows(t: { database: Database }, kind: Kind, id: string): Promise<TransitionRow[]> {
  const column = { Mission: "missionId", Job: "jobId", Case: "caseId" }[kind];
  const rows = await queryRows<TransitionRow & { at: string | Date }>(
    t.database,
    `SELECT * FROM "Transition" WHERE "${column}" = ? ORDER BY "id"`,
    [id],
  );
  // SQLite keeps the time as text, PostgreSQL as a timestamp.
  return rows.map((row) => ({ ...row, at: new Date(row.at) }));
}

export function countRows(t: { database: Database }, table: string): Promise<number> {
  return countOf(t.database, `SELECT COUNT(*) AS n FROM "${table}"`);
}
