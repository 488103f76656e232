// How a document of the TinyDB store becomes a casebook entity: pure, no I/O. The old layer
// wrote Pydantic models as dicts (snake_case fields, lowercase statuses such as "in_progress",
// naive ISO datetimes, jobs listing their `case_ids`, cases naming their `job_id`). Every field
// casebook has a column for goes there; the rest is kept in `metadata.tinydb`, except a case's
// `account`, which holds the credentials of the old platform connection and is dropped.

import { costToMicros, MAX_COST, MAX_COST_MICROS } from "../../domain/cost.js";
import type {
  CaseRecord,
  EntityRecord,
  JobRecord,
  JsonObject,
  JsonValue,
  MissionRecord,
} from "../../domain/entities.js";
import { DomainError } from "../../domain/errors.js";
import { type EntityStatus, isEntityStatus, isTerminal } from "../../domain/lifecycle.js";
import { entityId, optionalJson, optionalJsonObject, optionalText, requiredText } from "../../services/validation.js";

export const TINYDB_TABLES = { Mission: "Mission", Job: "Job", Case: "Case" } as const;
export type TinyDbTable = keyof typeof TINYDB_TABLES;

/** One step of a case, as the store appends it. */
interface PlannedStep {
  name: string | null;
  /** In micro-units (domain/cost.ts). */
  costMicros: number | null;
  payload: JsonValue | null;
  isFinal: boolean;
  error: string | null;
}

interface PlannedBase<R extends EntityRecord> {
  /** The record as it is inserted: STOPPED at version 0; the import then moves it to `status`. */
  record: R;
  status: EntityStatus;
  /** Values that were not as casebook expects and were read another way. */
  oddities: string[];
}

export type PlannedEntity =
  | ({ type: "Mission" } & PlannedBase<MissionRecord>)
  | ({ type: "Job"; caseIds: string[]; missionRef: string | null } & PlannedBase<JobRecord>)
  | ({ type: "Case"; steps: PlannedStep[] } & PlannedBase<CaseRecord>);

export type MappingResult = { ok: true; entity: PlannedEntity } | { ok: false; problem: string };

/** Mission lists fields of the model casebook has a column for; the rest goes to metadata. */
const KNOWN: Record<TinyDbTable, readonly string[]> = {
  Mission: ["id", "name", "description", "status", "created_at", "finished_at", "metadata"],
  Job: [
    "id",
    "name",
    "agent_name",
    "status",
    "job_context",
    "payload",
    "result",
    "error",
    "finished_at",
    "created_at",
    "agent_parameters",
    "case_ids",
    "metadata",
    "mission_id",
  ],
  Case: [
    "id",
    "job_id",
    "name",
    "account",
    "description",
    "status",
    "updates",
    "total_cost",
    "final_delivery",
    "finished_at",
    "created_at",
    "metadata",
  ],
};

/** Maps one document; `now` stands in for instants the document does not have. */
export function mapTinyDbDocument(table: TinyDbTable, docId: string, doc: unknown, now: Date): MappingResult {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return { ok: false, problem: `${table} document ${docId} is not an object` };
  }
  const fields = doc as Record<string, unknown>;
  const rawId = typeof fields.id === "number" ? String(fields.id) : fields.id;
  const label = `${table} ${typeof rawId === "string" ? `"${rawId}"` : `document ${docId}`}`;
  if (typeof rawId !== "string" || rawId.length === 0) return { ok: false, problem: `${label} has no id` };
  try {
    const oddities: string[] = [];
    const status = statusOf(fields.status);
    if (!status) return { ok: false, problem: `${label} has an unknown status ${JSON.stringify(fields.status)}` };
    const base = baseRecord(fields, rawId, docId, status, table, now, oddities);
    if (table === "Mission") {
      const record: MissionRecord = { ...base, description: textOrNull(fields.description, "description") };
      return { ok: true, entity: { type: "Mission", record, status, oddities } };
    }
    if (table === "Job") return { ok: true, entity: mapJob(fields, base, status, oddities) };
    return { ok: true, entity: mapCase(fields, base, status, oddities) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, problem: `${label}: ${error.message}` };
    throw error;
  }
}

function mapJob(
  fields: Record<string, unknown>,
  base: EntityRecord,
  status: EntityStatus,
  oddities: string[],
): PlannedEntity {
  const context = fields.job_context;
  const jobContext = isObject(context) ? (optionalJsonObject(context, "job_context") ?? null) : null;
  if (context !== undefined && context !== null && !jobContext)
    oddities.push("job_context is not an object (kept in metadata)");
  const agentName = typeof fields.agent_name === "string" && fields.agent_name.trim() ? fields.agent_name : undefined;
  if (!agentName) oddities.push('no agent_name (imported as "unknown")');
  const caseIds = Array.isArray(fields.case_ids)
    ? fields.case_ids.filter((id): id is string => typeof id === "string")
    : [];
  const missionRef =
    stringOrNull(fields.mission_id) ?? (jobContext ? stringOrNull(jobContext.mission_id as unknown) : null);
  const record: JobRecord = {
    ...base,
    name: base.name,
    agentName: requiredText(agentName ?? "unknown", "agent_name", 200),
    missionId: null,
    jobContext,
    payload: optionalJson(fields.payload, "payload") ?? null,
    result: optionalJson(fields.result, "result") ?? null,
    error:
      fields.error === undefined || fields.error === null || fields.error === ""
        ? null
        : (optionalText(typeof fields.error === "string" ? fields.error : JSON.stringify(fields.error), "error") ??
          null),
    agentParameters: optionalJson(fields.agent_parameters, "agent_parameters") ?? null,
  };
  if (!jobContext && context !== undefined && context !== null) addExtra(record, "job_context", context);
  return { type: "Job", record, status, oddities, caseIds, missionRef };
}

function mapCase(
  fields: Record<string, unknown>,
  base: EntityRecord,
  status: EntityStatus,
  oddities: string[],
): PlannedEntity {
  const updates = Array.isArray(fields.updates) ? fields.updates : [];
  if (fields.updates !== undefined && fields.updates !== null && !Array.isArray(fields.updates)) {
    oddities.push("updates is not a list (kept in metadata)");
  }
  const steps: PlannedStep[] = [];
  const stepExtras: JsonObject[] = [];
  updates.forEach((update, position) => {
    const step: Record<string, unknown> = isObject(update) ? update : { payload: update as unknown };
    const given = numberOrNull(step.cost);
    // A cost casebook refuses (not a number, negative, past the maximum) is left out, and said.
    const costMicros = given === null ? null : (costToMicros(given) ?? null);
    if (step.cost !== undefined && step.cost !== null && costMicros === null) {
      oddities.push(`step ${position} has cost ${JSON.stringify(step.cost)} (imported without a cost)`);
    }
    steps.push({
      name: typeof step.name === "string" ? (optionalText(step.name, "updates.name", 1000) ?? null) : null,
      costMicros,
      payload: optionalJson(step.payload, "updates.payload") ?? null,
      isFinal: step.is_final === true,
      error:
        typeof step.error === "string" && step.error.length > 0
          ? (optionalText(step.error, "updates.error") ?? null)
          : null,
    });
    const extras = Object.fromEntries(
      Object.entries(step).filter(
        ([k, v]) =>
          !["name", "cost", "payload", "is_final", "error", "index"].includes(k) && v !== null && v !== undefined,
      ),
    );
    if (Object.keys(extras).length > 0)
      stepExtras.push({ step: position, ...(optionalJson(extras, "updates") as JsonObject) });
  });
  const stepCosts = steps.reduce((sum, s) => sum + (s.costMicros ?? 0), 0);
  const givenTotal = numberOrNull(fields.total_cost);
  let totalCostMicros = givenTotal === null ? undefined : costToMicros(givenTotal);
  if (totalCostMicros === undefined) {
    if (fields.total_cost !== undefined && fields.total_cost !== null) {
      oddities.push(`total_cost ${JSON.stringify(fields.total_cost)} (imported as the sum of its steps)`);
    }
    if (stepCosts > MAX_COST_MICROS)
      oddities.push(`the steps' costs add up past ${MAX_COST} (imported as ${MAX_COST})`);
    totalCostMicros = Math.min(stepCosts, MAX_COST_MICROS);
  }
  const record: CaseRecord = {
    ...base,
    jobId: typeof fields.job_id === "string" ? fields.job_id : String(fields.job_id ?? ""),
    description: textOrNull(fields.description, "description"),
    totalCostMicros,
    finalDelivery: optionalJson(fields.final_delivery, "final_delivery") ?? null,
    error: null,
  };
  if (stepExtras.length > 0) addExtra(record, "update_fields", stepExtras);
  return { type: "Case", record, status, oddities, steps };
}

/** The fields every entity has, STOPPED at version 0, with what casebook has no column for in metadata.tinydb. */
function baseRecord(
  fields: Record<string, unknown>,
  id: string,
  docId: string,
  status: EntityStatus,
  table: TinyDbTable,
  now: Date,
  oddities: string[],
): EntityRecord {
  const createdAt = instant(fields.created_at, "created_at", oddities);
  const finished = instant(fields.finished_at, "finished_at", oddities);
  const metadata = isObject(fields.metadata) ? (optionalJsonObject(fields.metadata, "metadata") ?? {}) : {};
  const extra: JsonObject = { doc_id: docId };
  if (fields.metadata !== undefined && fields.metadata !== null && !isObject(fields.metadata)) {
    extra.metadata = optionalJson(fields.metadata, "metadata") ?? null;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (KNOWN[table].includes(key) || value === undefined) continue;
    extra[key] = optionalJson(value, key) ?? null;
  }
  if (finished && !isTerminal(status)) extra.finished_at = finished.toISOString();
  let finishedAt: Date | null = null;
  if (isTerminal(status)) {
    finishedAt = finished ?? now;
    if (!finished) oddities.push(`${status.toLowerCase()} without finished_at (finishedAt is the time of the import)`);
  }
  const name = typeof fields.name === "string" && fields.name.trim() ? fields.name : fallbackName(fields, table, id);
  if (name !== fields.name) oddities.push(`no name (named "${name}")`);
  return {
    id: entityId(id, table.toLowerCase()),
    name: requiredText(name, "name"),
    status: "STOPPED",
    version: 0,
    createdAt: createdAt ?? finished ?? now,
    updatedAt: now,
    finishedAt,
    awaitingUntil: null,
    metadata: { ...metadata, tinydb: extra },
  };
}

function fallbackName(fields: Record<string, unknown>, table: TinyDbTable, id: string): string {
  const context = fields.job_context;
  if (table === "Job" && isObject(context) && typeof context.mission_name === "string" && context.mission_name.trim()) {
    return context.mission_name;
  }
  return `${table} ${id}`;
}

function addExtra(record: EntityRecord, key: string, value: unknown): void {
  (record.metadata.tinydb as JsonObject)[key] = optionalJson(value, key) ?? null;
}

/** "in_progress" → IN_PROGRESS; the old layer's statuses are casebook's, in lowercase. */
function statusOf(value: unknown): EntityStatus | undefined {
  if (typeof value !== "string") return undefined;
  const status = value.trim().toUpperCase();
  return isEntityStatus(status) ? status : undefined;
}

/** Python's isoformat(); a datetime without an offset (datetime.now()) is read as UTC. */
function instant(value: unknown, field: string, oddities: string[]): Date | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string") {
    const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
    if (match) {
      const fraction = match[3] ? match[3].slice(0, 4).padEnd(4, "0") : "";
      const date = new Date(`${match[1]}T${match[2]}${fraction}${match[4] ?? "Z"}`);
      if (!Number.isNaN(date.getTime())) return date;
    }
  } else if (typeof value === "number" && Number.isFinite(value)) {
    // A Unix timestamp in seconds, as time.time() gives.
    return new Date(value * 1000);
  }
  oddities.push(`${field} ${JSON.stringify(value)} is not a date (left out)`);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function textOrNull(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === "") return null;
  return optionalText(typeof value === "string" ? value : JSON.stringify(value), field) ?? null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}
