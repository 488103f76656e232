// Imports a TinyDB entities.json into casebook through the Store, in three steps:
//  1. read every document once, map it (tinydb-mapping.ts) and check the references between
//     them: a case whose job is missing, an id in a job's case_ids with no case;
//  2. stop there with --dry-run, or with --strict when something is wrong;
//  3. read the file again for missions, then jobs, then cases (parents exist before their
//     children), writing each batch of entities in one transaction: the entity, the IMPORTED
//     transition that gives it its status, and a case's steps.
// An entity whose id already exists is left as it is, so a second run changes nothing, and a
// run that stopped half-way finishes what it had left. Memory holds ids and references, never
// the documents of the whole file.
import path from "node:path";
import type { Database } from "../../db/database.js";
import type { Store } from "../../db/store.js";
import type { EntityType } from "../../domain/entities.js";
import { type EntityStatus, IMPORTED_EVENT, INITIAL_STATUS, isTerminal } from "../../domain/lifecycle.js";
import { InputError } from "../errors.js";
import type { ProgressListener } from "../progress.js";
import { mapTinyDbDocument, type PlannedEntity, TINYDB_TABLES, type TinyDbTable } from "./tinydb-mapping.js";
import { readTinyDb } from "./tinydb-reader.js";

export interface TinyDbImportOptions {
  dryRun?: boolean;
  strict?: boolean;
  /** The instant of the import (transitions, steps, missing dates). */
  now?: Date;
  onProgress?: ProgressListener;
}

type CountsByStatus = Partial<Record<EntityStatus, number>>;

export interface TinyDbImportReport {
  file: string;
  dryRun: boolean;
  /** Entities written (with --dry-run: that would be), by type and status. */
  imported: Record<EntityType, CountsByStatus>;
  /** Entities whose id casebook already had: left as they are. */
  alreadyPresent: Record<EntityType, number>;
  steps: number;
  transitions: number;
  /** Entities skipped and references that lead nowhere; --strict refuses to import when there are any. */
  problems: string[];
  /** Values read another way than written (a missing name, a cost that is not a number, …). */
  oddities: string[];
  /** Jobs whose mission is not in the file or the database: imported without a mission. */
  jobsWithoutMission: number;
  /** Tables of the file that are not Mission, Job or Case, with their document counts. */
  ignoredTables: Record<string, number>;
}

/** --strict found problems: nothing was written. */
export class StrictImportError extends InputError {
  constructor(readonly report: TinyDbImportReport) {
    super(`${report.problems.length} problems found with --strict: nothing was imported`);
    this.name = "StrictImportError";
  }
}

const TYPES: readonly TinyDbTable[] = ["Mission", "Job", "Case"];
const BATCH = 500;

export async function importTinyDb(
  db: Database,
  file: string,
  options: TinyDbImportOptions = {},
): Promise<TinyDbImportReport> {
  const now = options.now ?? new Date();
  const store = db.store;
  const report: TinyDbImportReport = {
    file,
    dryRun: options.dryRun ?? false,
    imported: { Mission: {}, Job: {}, Case: {} },
    alreadyPresent: { Mission: 0, Job: 0, Case: 0 },
    steps: 0,
    transitions: 0,
    problems: [],
    oddities: [],
    jobsWithoutMission: 0,
    ignoredTables: {},
  };
  const plan = await checkFile(store, file, now, report);
  if (options.strict && report.problems.length > 0) throw new StrictImportError(report);

  const reason = `imported from ${path.basename(file)}`;
  let done = 0;
  for (const type of TYPES) {
    let batch: PlannedEntity[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await writeBatch(store, batch, report, { now, reason, dryRun: report.dryRun });
      done += batch.length;
      options.onProgress?.({ phase: "import-tinydb", subject: type, done });
      batch = [];
    };
    for await (const document of readTinyDb(file)) {
      if (document.table !== type || plan.skipped.has(docKey(document.table, document.docId))) continue;
      const mapped = mapTinyDbDocument(type, document.docId, document.value, now);
      if (!mapped.ok) continue;
      const entity = mapped.entity;
      if (entity.type === "Job") entity.record.missionId = plan.missionOfJob.get(entity.record.id) ?? null;
      batch.push(entity);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  return report;
}

interface FilePlan {
  /** Documents not to import ("table\0docId"). */
  skipped: Set<string>;
  /** The mission each job is linked to, where that mission exists. */
  missionOfJob: Map<string, string>;
}

async function checkFile(store: Store, file: string, now: Date, report: TinyDbImportReport): Promise<FilePlan> {
  const skipped = new Set<string>();
  const ids: Record<TinyDbTable, Set<string>> = { Mission: new Set(), Job: new Set(), Case: new Set() };
  const jobOfCase = new Map<string, { jobId: string; key: string }>();
  const casesListedByJob: [string, string][] = [];
  const missionRefs = new Map<string, string>();

  for await (const document of readTinyDb(file)) {
    const { table, docId } = document;
    if (!(table in TINYDB_TABLES)) {
      report.ignoredTables[table] = (report.ignoredTables[table] ?? 0) + 1;
      continue;
    }
    const type = table as TinyDbTable;
    const key = docKey(type, docId);
    if (document.error !== undefined) {
      report.problems.push(`${type} document ${docId} is not valid JSON (skipped): ${document.error}`);
      skipped.add(key);
      continue;
    }
    const mapped = mapTinyDbDocument(type, docId, document.value, now);
    if (!mapped.ok) {
      report.problems.push(`${mapped.problem} (skipped)`);
      skipped.add(key);
      continue;
    }
    const { entity } = mapped;
    const id = entity.record.id;
    if (document.nonFinite) entity.oddities.push("NaN or Infinity (read as null)");
    for (const oddity of entity.oddities) report.oddities.push(`${type} "${id}": ${oddity}`);
    if (ids[type].has(id)) {
      report.problems.push(`${type} "${id}" appears twice; document ${docId} is skipped`);
      skipped.add(key);
      continue;
    }
    ids[type].add(id);
    if (entity.type === "Case") jobOfCase.set(id, { jobId: entity.record.jobId, key });
    if (entity.type === "Job") {
      for (const caseId of entity.caseIds) casesListedByJob.push([id, caseId]);
      if (entity.missionRef) missionRefs.set(id, entity.missionRef);
    }
  }

  const inDatabase = (type: EntityType, id: string) => store.entities[type].exists(id);
  for (const [caseId, { jobId, key }] of jobOfCase) {
    if (ids.Job.has(jobId) || (jobId && (await inDatabase("Job", jobId)))) continue;
    report.problems.push(
      `Case "${caseId}" names job "${jobId}", which is neither in the file nor in the database (skipped)`,
    );
    skipped.add(key);
  }
  for (const [jobId, caseId] of casesListedByJob) {
    const listed = jobOfCase.get(caseId);
    if (!listed) {
      report.problems.push(`Job "${jobId}" lists case "${caseId}" in case_ids, which the file does not have`);
    } else if (listed.jobId !== jobId) {
      report.problems.push(
        `Job "${jobId}" lists case "${caseId}" in case_ids, but that case's job_id is "${listed.jobId}" (job_id wins)`,
      );
    }
  }
  const missionOfJob = new Map<string, string>();
  for (const [jobId, missionId] of missionRefs) {
    if (ids.Mission.has(missionId) || (await inDatabase("Mission", missionId))) missionOfJob.set(jobId, missionId);
  }
  report.jobsWithoutMission = ids.Job.size - missionOfJob.size;
  return { skipped, missionOfJob };
}

async function writeBatch(
  store: Store,
  batch: readonly PlannedEntity[],
  report: TinyDbImportReport,
  options: { now: Date; reason: string; dryRun: boolean },
): Promise<void> {
  const type = batch[0]!.type;
  // Counted per attempt and added to the report once committed: PostgreSQL may run a
  // transaction again after a deadlock.
  const work = async (tx: Store) => {
    const tally = { imported: {} as CountsByStatus, alreadyPresent: 0, transitions: 0, steps: 0 };
    const existing = await tx.entities[type].findByIds(batch.map((e) => e.record.id));
    for (const entity of batch) {
      if (existing.has(entity.record.id)) {
        tally.alreadyPresent++;
        continue;
      }
      tally.imported[entity.status] = (tally.imported[entity.status] ?? 0) + 1;
      if (entity.status !== INITIAL_STATUS) tally.transitions++;
      if (entity.type === "Case") tally.steps += entity.steps.length;
      if (!options.dryRun) await writeEntity(tx, entity, options);
    }
    return tally;
  };
  const tally = options.dryRun ? await work(store) : await store.transaction(work);
  report.alreadyPresent[type] += tally.alreadyPresent;
  report.transitions += tally.transitions;
  report.steps += tally.steps;
  const counts = report.imported[type];
  for (const [status, n] of Object.entries(tally.imported) as [EntityStatus, number][]) {
    counts[status] = (counts[status] ?? 0) + n;
  }
}

async function writeEntity(tx: Store, entity: PlannedEntity, options: { now: Date; reason: string }): Promise<void> {
  const { now: at, reason } = options;
  const id = entity.record.id;
  switch (entity.type) {
    case "Mission":
      await tx.entities.Mission.insert(entity.record);
      break;
    case "Job":
      await tx.entities.Job.insert(entity.record);
      break;
    case "Case":
      await tx.entities.Case.insert(entity.record);
      for (const step of entity.steps) await tx.caseUpdates.append({ caseId: id, ...step, at });
      break;
  }
  if (entity.status === INITIAL_STATUS) return;
  const moved = await tx.entities[entity.type].applyTransition(
    {
      id,
      fromStatus: INITIAL_STATUS,
      fromVersion: 0,
      toStatus: entity.status,
      at,
      // TinyDB knows no wait deadlines.
      awaitingUntil: null,
      finishes: isTerminal(entity.status),
    },
    {
      entityType: entity.type,
      entityId: id,
      event: IMPORTED_EVENT,
      fromStatus: INITIAL_STATUS,
      toStatus: entity.status,
      version: 1,
      at,
      actor: "import",
      reason,
      idempotencyKey: null,
    },
  );
  if (!moved) throw new Error(`${entity.type} "${id}" changed while it was being imported`);
}

function docKey(table: string, docId: string): string {
  return `${table}\u0000${docId}`;
}
