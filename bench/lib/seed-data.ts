// The benchmark's data set, engine-neutral: which missions, jobs, cases and transitions exist,
// in which order, with which values. Each engine's seeder (seed.ts for SQLite, pg-seed.ts for
// PostgreSQL) writes these rows its own way, so both engines hold the same data.
import { seededRandom } from "../../scripts/lib/seeded-random.js";
import {
  ENTITY_STATUSES,
  type EntityEvent,
  type EntityStatus,
  isTerminal,
  pathTo,
} from "../../src/domain/lifecycle.js";

/** Bumped whenever the generated rows change, so that cached databases are seeded again. */
export const SEEDER_VERSION = 4;

export interface SeedSpec {
  missions: number;
  jobs: number;
  cases: number;
  /** Jobs kept IN_PROGRESS for the lifecycle-event load (the first ids, in order). */
  poolJobs: number;
  /** Jobs with many cases, for deep cursor pages (right after the pool). */
  bigJobs: number;
  casesPerBigJob: number;
  /**
   * Cases of the mission after the big jobs' one (mission 1), spread evenly over its jobs, so a
   * dashboard's aggregates are measured over a known number of cases; 0 leaves it ordinary.
   */
  aggregateMissionCases: number;
}

/** Ids the scenarios need from a seeded database. */
export interface SeedIds {
  poolJobIds: string[];
  bigJobIds: string[];
  /** A sample of ordinary job ids (each with cases) for reads. */
  sampleJobIds: string[];
  sampleCaseIds: string[];
  /** The mission of exactly `aggregateMissionCases` cases, when the spec asks for one. */
  aggregateMissionId?: string;
}

export interface SeedRows {
  missions: number;
  jobs: number;
  cases: number;
  transitions: number;
  total: number;
}

/** A database of `cases` cases, with jobs = cases / 10 and missions = cases / 1000 (at least 1). */
export function specForCases(cases: number, options: Partial<SeedSpec> = {}): SeedSpec {
  const jobs = Math.max(1, Math.round(cases / 10));
  return {
    missions: Math.max(1, Math.round(cases / 1000)),
    jobs,
    cases,
    poolJobs: Math.min(64, jobs),
    bigJobs: cases >= 100_000 ? 10 : 0,
    casesPerBigJob: Math.min(5000, Math.round(cases / 200)),
    aggregateMissionCases: cases >= 100_000 ? 10_000 : 0,
    ...options,
  };
}

interface EntityRow {
  id: string;
  name: string;
  status: EntityStatus;
  version: number;
  /** JSON text. */
  metadata: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface MissionRow extends EntityRow {
  description: string;
}

/** JSON columns are JSON text. */
interface JobRow extends EntityRow {
  agentName: string;
  missionId: string;
  jobContext: string;
  payload: string;
  result: string | null;
  error: string | null;
  agentParameters: string;
}

interface CaseRow extends EntityRow {
  description: string;
  jobId: string;
  /** Micro-units, as casebook stores costs. */
  totalCostMicros: number;
  finalDelivery: string | null;
}

interface TransitionRow {
  entityType: "MISSION" | "JOB" | "CASE";
  entityId: string;
  event: EntityEvent;
  fromStatus: EntityStatus;
  toStatus: EntityStatus;
  version: number;
  at: Date;
}

/**
 * Where the rows go, in generation order: an entity's transitions come just before the entity,
 * so audit ids follow the order entities were created in.
 */
export interface SeedSink {
  transition(row: TransitionRow): void;
  mission(row: MissionRow): void;
  job(row: JobRow): void;
  case(row: CaseRow): void;
}

const jobId = (i: number) => `job-${String(i).padStart(7, "0")}`;
const caseId = (i: number) => `case-${String(i).padStart(8, "0")}`;
const missionId = (i: number) => `mission-${String(i).padStart(5, "0")}`;

// The transitions that bring a new entity to each status, so version and history agree with it;
// looked up once per status, not once per row.
const PATHS = new Map(ENTITY_STATUSES.map((status) => [status, pathTo(status)]));

// A workload where most work is done and a fifth is running.
const STATUS_MIX: [EntityStatus, number][] = [
  ["COMPLETED", 0.55],
  ["IN_PROGRESS", 0.2],
  ["AWAITING", 0.08],
  ["FAILED", 0.07],
  ["STOPPED", 0.05],
  ["CANCELLED", 0.03],
  ["CANCELLING", 0.02],
];

function pickStatus(random: () => number): EntityStatus {
  let r = random();
  for (const [status, share] of STATUS_MIX) {
    if (r < share) return status;
    r -= share;
  }
  return "COMPLETED";
}

const AGENTS = ["planner", "researcher", "coder", "reviewer", "tester", "writer", "summariser", "router"];

/** Jobs per batch: a writer may commit (or flush) at each pause. */
const BATCH_JOBS = 2000;

/**
 * Writes the data set of `spec` into `sink`, pausing (yielding) after the missions and after
 * every batch of jobs with their cases; returns the row counts and the ids the scenarios use.
 */
export function* seedRows(spec: SeedSpec, sink: SeedSink): Generator<void, { rows: SeedRows; ids: SeedIds }> {
  const random = seededRandom(spec.cases * 7919 + spec.jobs);
  const base = Date.UTC(2026, 0, 1);
  let clock = 0;
  // Every row gets its own createdAt, increasing in insertion order (= id order).
  const tick = () => new Date(base + clock++ * 5);
  let transitions = 0;

  // Writes the history that leads to `status`; returns the entity's version and its dates.
  const history = (
    entityType: TransitionRow["entityType"],
    entityId: string,
    status: EntityStatus,
    createdAt: Date,
  ) => {
    const steps = PATHS.get(status)!;
    steps.forEach(({ event, from, to }, i) => {
      sink.transition({
        entityType,
        entityId,
        event,
        fromStatus: from,
        toStatus: to,
        version: i + 1,
        at: new Date(createdAt.getTime() + i + 1),
      });
    });
    transitions += steps.length;
    const last = new Date(createdAt.getTime() + steps.length);
    return { version: steps.length, updatedAt: last, finishedAt: isTerminal(status) ? last : null };
  };

  // Cases per job: big jobs get casesPerBigJob, the jobs of the aggregate mission share its
  // cases evenly, the rest share what is left evenly.
  const missionOf = (j: number) => missionId(Math.floor((j * spec.missions) / spec.jobs));
  const firstJobOf = (m: number) => Math.ceil((m * spec.jobs) / spec.missions);
  const aggregate = spec.aggregateMissionCases > 0 ? { from: firstJobOf(1), to: firstJobOf(2) } : { from: 0, to: 0 };
  const aggregateJobs = aggregate.to - aggregate.from;
  if (aggregateJobs > 0 && aggregate.from < spec.poolJobs + spec.bigJobs)
    throw new Error("the aggregate mission's jobs overlap the pool or the big jobs");
  const evenShare = (k: number, total: number, parts: number) =>
    Math.floor(((k + 1) * total) / parts) - Math.floor((k * total) / parts);
  const bigCases = spec.bigJobs * spec.casesPerBigJob;
  const ordinaryJobs = spec.jobs - spec.bigJobs - aggregateJobs;
  const ordinaryCases = spec.cases - bigCases - (aggregateJobs > 0 ? spec.aggregateMissionCases : 0);
  const casesOfJob = (j: number): number => {
    if (j >= spec.poolJobs && j < spec.poolJobs + spec.bigJobs) return spec.casesPerBigJob;
    if (j >= aggregate.from && j < aggregate.to)
      return evenShare(j - aggregate.from, spec.aggregateMissionCases, aggregateJobs);
    const k = j < spec.poolJobs ? j : j < aggregate.from ? j - spec.bigJobs : j - spec.bigJobs - aggregateJobs;
    return evenShare(k, ordinaryCases, ordinaryJobs);
  };

  const ids: SeedIds = {
    poolJobIds: [],
    bigJobIds: [],
    sampleJobIds: [],
    sampleCaseIds: [],
    ...(aggregateJobs > 0 ? { aggregateMissionId: missionId(1) } : {}),
  };
  const sampleEveryJob = Math.max(1, Math.floor(ordinaryJobs / 2000));
  const sampleEveryCase = Math.max(1, Math.floor(spec.cases / 5000));

  for (let m = 0; m < spec.missions; m++) {
    const id = missionId(m);
    const createdAt = tick();
    const status: EntityStatus = random() < 0.7 ? "IN_PROGRESS" : "COMPLETED";
    const h = history("MISSION", id, status, createdAt);
    sink.mission({
      id,
      name: `Mission ${m}`,
      description: `Goal number ${m}`,
      status,
      version: h.version,
      metadata: "{}",
      createdAt,
      updatedAt: h.updatedAt,
      finishedAt: h.finishedAt,
    });
  }
  yield;

  let c = 0;
  for (let from = 0; from < spec.jobs; from += BATCH_JOBS) {
    const to = Math.min(spec.jobs, from + BATCH_JOBS);
    for (let j = from; j < to; j++) {
      const id = jobId(j);
      const isPool = j < spec.poolJobs;
      const isBig = !isPool && j < spec.poolJobs + spec.bigJobs;
      const status: EntityStatus = isPool || isBig ? "IN_PROGRESS" : pickStatus(random);
      const createdAt = tick();
      const h = history("JOB", id, status, createdAt);
      sink.job({
        id,
        name: `Job ${j}`,
        status,
        version: h.version,
        metadata: JSON.stringify({ priority: j % 3, team: `team-${j % 17}` }),
        createdAt,
        updatedAt: h.updatedAt,
        finishedAt: h.finishedAt,
        agentName: AGENTS[j % AGENTS.length]!,
        missionId: missionOf(j),
        jobContext: JSON.stringify({ repository: `repo-${j % 101}`, branch: "main" }),
        payload: JSON.stringify({ prompt: `Work item ${j}`, files: [`src/file-${j % 53}.ts`] }),
        result: status === "COMPLETED" ? JSON.stringify({ ok: true, summary: `done ${j}` }) : null,
        error: status === "FAILED" ? "tool call failed" : null,
        agentParameters: JSON.stringify({ temperature: 0.2, maxTokens: 4096 }),
      });
      if (isPool) ids.poolJobIds.push(id);
      else if (isBig) ids.bigJobIds.push(id);
      else if (j % sampleEveryJob === 0 && ids.sampleJobIds.length < 2000) ids.sampleJobIds.push(id);

      const n = casesOfJob(j);
      for (let k = 0; k < n; k++, c++) {
        const cid = caseId(c);
        const cCreatedAt = tick();
        const cStatus = pickStatus(random);
        const ch = history("CASE", cid, cStatus, cCreatedAt);
        sink.case({
          id: cid,
          name: `Case ${c}`,
          description: `Step ${k} of job ${j}`,
          status: cStatus,
          version: ch.version,
          metadata: "{}",
          createdAt: cCreatedAt,
          updatedAt: ch.updatedAt,
          finishedAt: ch.finishedAt,
          jobId: id,
          totalCostMicros: Math.round(random() * 1000) * 10_000,
          finalDelivery: cStatus === "COMPLETED" ? JSON.stringify({ answer: `result ${c}` }) : null,
        });
        if (c % sampleEveryCase === 0 && ids.sampleCaseIds.length < 5000) ids.sampleCaseIds.push(cid);
      }
    }
    yield;
  }
  if (c !== spec.cases) throw new Error(`seeded ${c} cases, expected ${spec.cases}`);
  const rows = { missions: spec.missions, jobs: spec.jobs, cases: spec.cases, transitions };
  return { rows: { ...rows, total: rows.missions + rows.jobs + rows.cases + transitions }, ids };
}
