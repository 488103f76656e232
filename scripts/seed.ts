// Demo data for casebook, loaded through the services with real lifecycle events, so every
// entity has the history it would have in production: agents that finish, fail, wait for a
// human, get cancelled. Ids and choices are fixed, and what exists is skipped, so running it
// again changes nothing.
//   npm run seed                      (the database the service uses, from the environment/.env)
//   DATABASE_URL=file:./demo.db npm run seed
import "dotenv/config";
import { openDatabase } from "../src/db/open.js";
import type { JsonObject } from "../src/domain/entities.js";
import { ENTITY_STATUSES, type EntityEvent, type EntityStatus } from "../src/domain/lifecycle.js";
import { INVALID_CONFIGURATION_EXIT_CODE, loadConfigOrReport } from "../src/server/config.js";
import { startupFailure } from "../src/server/startup-failure.js";
import type { EventOptions } from "../src/services/event-options.js";
import { createServices, type Services } from "../src/services/services.js";
import { seededRandom } from "./lib/seeded-random.js";

interface MissionPlan {
  id: string;
  name: string;
  description: string;
  status: EntityStatus;
  agents: string[];
  /** What each job of the mission works on. */
  subjects: string[];
  jobName: (subject: string) => string;
  /** The status of each job, in order (a job per subject, cycling). */
  jobStatuses: EntityStatus[];
  /** What a case of one of its jobs does. */
  tasks: string[];
}

const MISSIONS: MissionPlan[] = [
  {
    id: "mission-vendor-due-diligence",
    name: "Vendor due diligence, Q4 suppliers",
    description: "Assess every new supplier before the procurement committee meets.",
    status: "IN_PROGRESS",
    agents: ["due-diligence-analyst", "document-reader"],
    subjects: [
      "Acme Logistics",
      "Borealis Cloud",
      "Cobalt Payroll",
      "Dune Analytics",
      "Everfield Facilities",
      "Fjord Translations",
      "Granite Security",
      "Helix Printing",
    ],
    jobName: (s) => `Assess ${s}`,
    jobStatuses: [
      "IN_PROGRESS",
      "COMPLETED",
      "IN_PROGRESS",
      "AWAITING",
      "COMPLETED",
      "FAILED",
      "CANCELLING",
      "IN_PROGRESS",
    ],
    tasks: [
      "Check sanctions lists",
      "Review SOC 2 report",
      "Verify insurance certificate",
      "Summarise financial statements",
      "Scan news for incidents",
      "Compare contract terms",
      "Check data-processing agreement",
      "Confirm company registration",
    ],
  },
  {
    id: "mission-support-triage",
    name: "Support inbox triage, week 47",
    description: "Classify, answer or route every ticket that arrived during the week.",
    status: "COMPLETED",
    agents: ["ticket-classifier", "reply-drafter"],
    subjects: ["billing", "login problems", "feature requests", "bug reports", "refunds", "account deletion"],
    jobName: (s) => `Triage ${s} tickets`,
    jobStatuses: ["COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "COMPLETED", "COMPLETED"],
    tasks: [
      "Classify ticket #%",
      "Draft reply to ticket #%",
      "Route ticket #% to tier 2",
      "Merge duplicate of ticket #%",
      "Tag sentiment of ticket #%",
    ],
  },
  {
    id: "mission-retrieval-research",
    name: "Research digest: evaluating retrieval models",
    description: "Read this month's papers on retrieval evaluation and write a digest for the team.",
    status: "AWAITING",
    agents: ["paper-reader", "summariser"],
    subjects: ["benchmarks", "long-context retrieval", "reranking", "synthetic queries", "multilingual retrieval"],
    jobName: (s) => `Digest papers on ${s}`,
    jobStatuses: ["COMPLETED", "COMPLETED", "AWAITING", "COMPLETED", "AWAITING"],
    tasks: [
      "Fetch and parse paper %",
      "Extract claims from paper %",
      "Check reported numbers of paper %",
      "Summarise paper %",
      "Draft digest section %",
    ],
  },
  {
    id: "mission-invoice-reconciliation",
    name: "Invoice reconciliation, October",
    description: "Match supplier invoices against purchase orders and deliveries.",
    status: "FAILED",
    agents: ["invoice-matcher", "ledger-checker"],
    subjects: ["EU suppliers", "US suppliers", "contractors", "utilities", "travel"],
    jobName: (s) => `Reconcile ${s}`,
    jobStatuses: ["COMPLETED", "FAILED", "COMPLETED", "CANCELLED", "FAILED"],
    tasks: [
      "Match invoice INV-% to purchase order",
      "Check VAT on invoice INV-%",
      "Flag duplicate invoice INV-%",
      "Confirm delivery for INV-%",
    ],
  },
  {
    id: "mission-accessibility-audit",
    name: "Website accessibility audit",
    description: "Audit the public site against WCAG 2.2 AA before the redesign.",
    status: "CANCELLED",
    agents: ["web-browser", "a11y-reviewer"],
    subjects: ["home page", "pricing", "checkout", "docs", "careers", "blog"],
    jobName: (s) => `Audit the ${s}`,
    jobStatuses: ["COMPLETED", "CANCELLED", "CANCELLED", "COMPLETED", "CANCELLED", "CANCELLED"],
    tasks: [
      "Check colour contrast on view %",
      "Check keyboard navigation on view %",
      "Check alt texts on view %",
      "Check form labels on view %",
      "Run screen-reader pass on view %",
    ],
  },
  {
    id: "mission-pricing-watch",
    name: "Competitor pricing watch",
    description: "Track list prices of five competitors daily; being wound down.",
    status: "CANCELLING",
    agents: ["web-browser", "price-extractor"],
    subjects: ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip"],
    jobName: (s) => `Watch ${s} prices`,
    jobStatuses: ["CANCELLING", "CANCELLED", "CANCELLING", "IN_PROGRESS", "COMPLETED"],
    tasks: ["Snapshot pricing page, day %", "Extract plan prices, day %", "Diff against previous snapshot, day %"],
  },
  {
    id: "mission-onboarding-refresh",
    name: "Onboarding playbook refresh",
    description: "Rewrite the onboarding playbook; planned for next quarter.",
    status: "STOPPED",
    agents: ["writer"],
    subjects: ["first week", "tooling", "security training"],
    jobName: (s) => `Rewrite the ${s} chapter`,
    jobStatuses: ["STOPPED", "STOPPED", "STOPPED"],
    tasks: [],
  },
];

/** Jobs that belong to no mission: one-off requests. */
const STANDALONE_JOBS: { id: string; name: string; agent: string; status: EntityStatus; tasks: string[] }[] = [
  {
    id: "job-adhoc-release-notes",
    name: "Translate release notes 4.2",
    agent: "translator",
    status: "COMPLETED",
    tasks: ["Translate into German, part %", "Translate into Japanese, part %", "Review terminology, part %"],
  },
  {
    id: "job-adhoc-contract-summary",
    name: "Summarise the Borealis master agreement",
    agent: "document-reader",
    status: "AWAITING",
    tasks: ["Summarise clause group %", "List obligations in section %"],
  },
  {
    id: "job-adhoc-crm-cleanup",
    name: "Deduplicate CRM contacts",
    agent: "data-cleaner",
    status: "IN_PROGRESS",
    tasks: ["Merge duplicates in batch %", "Normalise phone numbers in batch %"],
  },
  { id: "job-adhoc-slides", name: "Draft board meeting slides", agent: "writer", status: "STOPPED", tasks: [] },
  {
    id: "job-adhoc-scrape",
    name: "Collect conference speaker list",
    agent: "web-browser",
    status: "FAILED",
    tasks: ["Scrape speakers page %", "Resolve speaker affiliations, page %"],
  },
];

/** How a job's cases end, by the job's own status (weights). */
const CASE_MIX: Record<EntityStatus, Partial<Record<EntityStatus, number>>> = {
  STOPPED: {},
  IN_PROGRESS: { IN_PROGRESS: 3, COMPLETED: 4, AWAITING: 1, FAILED: 1, CANCELLING: 0.5, CANCELLED: 0.5 },
  AWAITING: { COMPLETED: 4, AWAITING: 2, FAILED: 0.5 },
  COMPLETED: { COMPLETED: 10, FAILED: 1 },
  FAILED: { COMPLETED: 3, FAILED: 3, CANCELLED: 1 },
  CANCELLING: { CANCELLING: 3, CANCELLED: 2, COMPLETED: 2 },
  CANCELLED: { CANCELLED: 4, COMPLETED: 2, FAILED: 1 },
};

const ERRORS = [
  "Upstream API returned 503 after 3 retries",
  "Document could not be parsed: encrypted PDF",
  "Rate limit exceeded on the search provider",
  "Model output failed schema validation twice",
  "Source page returned 404",
];
const WAITING_REASONS = [
  "Needs approval from finance",
  "Waiting for the vendor to upload documents",
  "Ambiguous request: asked the requester",
  "Human review of the draft requested",
];
const CANCEL_REASONS = [
  "Superseded by a newer request",
  "Budget frozen",
  "Requested by the mission owner",
  "Duplicate of another case",
];
const OPERATORS = ["alice@ops.example", "bruno@ops.example", "chen@ops.example"];

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

class Seeder {
  readonly created = { missions: 0, jobs: 0, cases: 0, events: 0, updates: 0 };
  private now: number;
  private rand = seededRandom(0);
  readonly services: Services;

  constructor(db: Parameters<typeof createServices>[0]) {
    // A simulated clock: the history starts ten days ago and moves on with every step.
    const start = new Date();
    start.setUTCHours(7, 0, 0, 0);
    this.now = start.getTime() - 10 * 24 * 3600 * 1000;
    this.services = createServices(db, () => new Date(this.now));
  }

  private tick(minSeconds: number, maxSeconds: number): void {
    this.now += Math.round((minSeconds + this.rand() * (maxSeconds - minSeconds)) * 1000);
  }
  private int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }
  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }
  private weighted(weights: Partial<Record<EntityStatus, number>>): EntityStatus {
    const entries = Object.entries(weights) as [EntityStatus, number][];
    let r = this.rand() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [status, w] of entries) {
      r -= w;
      if (r < 0) return status;
    }
    return entries[entries.length - 1]![0];
  }

  private async event(
    type: "missions" | "jobs" | "cases",
    id: string,
    event: EntityEvent,
    options: EventOptions = {},
  ): Promise<void> {
    this.tick(20, 600);
    await this.services[type].handleEvent(id, event, options);
    this.created.events++;
  }

  /** Moves a started (IN_PROGRESS) mission or job to its planned status. */
  private async finish(type: "missions" | "jobs", id: string, status: EntityStatus, actor: string): Promise<void> {
    const operator = this.pick(OPERATORS);
    switch (status) {
      case "COMPLETED":
        return this.event(type, id, "SUCCESSFULLY_DONE", { actor });
      case "FAILED":
        return this.event(type, id, "ERROR_ENCOUNTERED", { actor, reason: this.pick(ERRORS) });
      case "AWAITING":
        return this.event(type, id, "AWAITING_ON_INPUT", { actor, reason: this.pick(WAITING_REASONS) });
      case "CANCELLING":
        return this.event(type, id, "CANCEL_REQUESTED", { actor: operator, reason: this.pick(CANCEL_REASONS) });
      case "CANCELLED":
        await this.event(type, id, "CANCEL_REQUESTED", { actor: operator, reason: this.pick(CANCEL_REASONS) });
        return this.event(type, id, "CANCEL_CONFIRMED", { actor });
      default:
        return;
    }
  }

  async mission(plan: MissionPlan): Promise<{ jobs: number; cases: number }> {
    this.rand = seededRandom(hash(plan.id));
    const exists = (await this.services.missions.get(plan.id)) !== null;
    if (!exists) {
      this.tick(600, 3600);
      await this.services.missions.create({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        metadata: { owner: this.pick(OPERATORS), priority: this.pick(["high", "normal", "low"]) },
      });
      this.created.missions++;
      if (plan.status !== "STOPPED") await this.event("missions", plan.id, "START_WORK", { actor: "scheduler" });
    }
    let cases = 0;
    for (const [index, subject] of plan.subjects.entries()) {
      const status = plan.jobStatuses[index % plan.jobStatuses.length]!;
      const id = `job-${plan.id.replace(/^mission-/, "")}-${index + 1}`;
      cases += await this.job({
        id,
        name: plan.jobName(subject),
        agent: plan.agents[index % plan.agents.length]!,
        status,
        tasks: plan.tasks,
        missionId: plan.id,
        subject,
      });
    }
    this.rand = seededRandom(hash(`${plan.id}/finish`));
    if (!exists) await this.finish("missions", plan.id, plan.status, "scheduler");
    return { jobs: plan.subjects.length, cases };
  }

  /** Creates a job with its cases and moves it to its planned status; returns its case count. */
  async job(plan: {
    id: string;
    name: string;
    agent: string;
    status: EntityStatus;
    tasks: string[];
    missionId?: string;
    subject?: string;
  }): Promise<number> {
    // Each job draws from its own numbers, so it comes out the same whatever exists already.
    this.rand = seededRandom(hash(plan.id));
    const caseCount = plan.status === "STOPPED" ? 0 : this.int(6, 14);
    const caseStatuses = Array.from({ length: caseCount }, () => this.weighted(CASE_MIX[plan.status]));
    const caseSeeds = Array.from({ length: caseCount }, () => Math.floor(this.rand() * 2 ** 32));
    if ((await this.services.jobs.get(plan.id)) !== null) return caseCount;

    const actor = `agent:${plan.agent}`;
    this.tick(60, 1800);
    await this.services.jobs.create({
      id: plan.id,
      name: plan.name,
      agentName: plan.agent,
      missionId: plan.missionId ?? null,
      metadata: { requestedBy: this.pick(OPERATORS), ...(plan.subject ? { subject: plan.subject } : {}) },
      jobContext: {
        locale: this.pick(["en-GB", "en-US", "de-DE"]),
        sources: this.int(2, 9),
        deadline: new Date(this.now + 5 * 86_400_000).toISOString(),
      },
      payload: { instructions: `${plan.name}. Report anything unusual.` },
      agentParameters: {
        model: this.pick(["large-2025-06", "small-2025-09"]),
        temperature: this.pick([0, 0.2, 0.7]),
        maxSteps: this.int(10, 40),
      },
    });
    this.created.jobs++;
    if (plan.status === "STOPPED") return 0;
    await this.event("jobs", plan.id, "START_WORK", { actor: "scheduler" });

    for (let n = 0; n < caseCount; n++) {
      const task = plan.tasks[n % plan.tasks.length]!.replace(
        "%",
        String(n + 1 + Math.floor(n / plan.tasks.length) * 7),
      );
      await this.case(
        `case-${plan.id.replace(/^job-/, "")}-${String(n + 1).padStart(2, "0")}`,
        plan.id,
        task,
        caseStatuses[n]!,
        actor,
        caseSeeds[n]!,
      );
    }

    if (plan.status === "COMPLETED") {
      await this.services.jobs.update(plan.id, {
        result: {
          casesCompleted: caseStatuses.filter((s) => s === "COMPLETED").length,
          summary: `${plan.name}: done.`,
        },
      });
    }
    if (plan.status === "FAILED") await this.services.jobs.update(plan.id, { error: this.pick(ERRORS) });
    await this.finish("jobs", plan.id, plan.status, actor);
    return caseCount;
  }

  /** One case, taken through a realistic path to `status`. */
  private async case(
    id: string,
    jobId: string,
    name: string,
    status: EntityStatus,
    actor: string,
    seed: number,
  ): Promise<void> {
    const rand = seededRandom(seed);
    const chance = (p: number) => rand() < p;
    const cases = this.services.cases;
    const step = async (update: {
      name: string;
      cost?: number;
      payload?: JsonObject;
      isFinal?: boolean;
      error?: string;
    }) => {
      this.tick(5, 240);
      await cases.addUpdate(id, { ...update, actor });
      this.created.updates++;
      if (update.error) this.created.events++;
    };
    const work = async (steps: number) => {
      for (let i = 0; i < steps; i++) {
        const tokens = 400 + Math.floor(rand() * 12_000);
        await step({
          name: this.pick(["search", "read", "extract", "reason", "draft", "verify"]),
          cost: Math.round(tokens * 0.0000125 * 1e4) / 1e4,
          payload: { tokens },
        });
      }
    };

    this.tick(10, 300);
    await cases.start({ id, jobId, name, description: `${name} (part of ${jobId})`, metadata: { attempt: 1 }, actor });
    this.created.cases++;
    this.created.events++;
    const waitThenResume = async () => {
      await this.event("cases", id, "AWAITING_ON_INPUT", { actor, reason: this.pick(WAITING_REASONS) });
      await this.event("cases", id, "INPUT_RECEIVED", { actor: this.pick(OPERATORS) });
    };

    switch (status) {
      case "IN_PROGRESS":
        await work(Math.floor(rand() * 4));
        break;
      case "COMPLETED":
        await work(1 + Math.floor(rand() * 3));
        if (chance(0.2)) await waitThenResume();
        await step({
          name: "deliver",
          cost: 0.002,
          isFinal: true,
          payload: { summary: `${name}: no issues found`, confidence: Math.round((0.7 + rand() * 0.3) * 100) / 100 },
        });
        await this.event("cases", id, "SUCCESSFULLY_DONE", { actor });
        break;
      case "FAILED":
        await work(1 + Math.floor(rand() * 2));
        if (chance(0.5)) await step({ name: "call tool", error: this.pick(ERRORS) });
        else {
          await this.event("cases", id, "AWAITING_ON_INPUT", { actor, reason: this.pick(WAITING_REASONS) });
          await this.event("cases", id, "TIMEOUT_OR_ERROR", {
            actor: "scheduler",
            reason: "No answer within 48 hours",
          });
        }
        break;
      case "AWAITING":
        await work(1 + Math.floor(rand() * 2));
        await this.event("cases", id, "AWAITING_ON_INPUT", { actor, reason: this.pick(WAITING_REASONS) });
        break;
      case "CANCELLING":
        await work(Math.floor(rand() * 3));
        await this.event("cases", id, "CANCEL_REQUESTED", {
          actor: this.pick(OPERATORS),
          reason: this.pick(CANCEL_REASONS),
        });
        break;
      case "CANCELLED":
        await work(Math.floor(rand() * 2));
        if (chance(0.4)) {
          await this.event("cases", id, "AWAITING_ON_INPUT", { actor, reason: this.pick(WAITING_REASONS) });
          await this.event("cases", id, "CANCEL_WHILE_WAITING", {
            actor: this.pick(OPERATORS),
            reason: this.pick(CANCEL_REASONS),
          });
        } else {
          await this.event("cases", id, "CANCEL_REQUESTED", {
            actor: this.pick(OPERATORS),
            reason: this.pick(CANCEL_REASONS),
          });
        }
        await this.event("cases", id, "CANCEL_CONFIRMED", { actor });
        break;
      default:
        break;
    }
  }
}

async function statusCounts(
  services: Services,
): Promise<Record<"missions" | "jobs" | "cases", Record<EntityStatus, number>>> {
  const count = async (type: "missions" | "jobs" | "cases") => {
    const byStatus = {} as Record<EntityStatus, number>;
    for (const status of ENTITY_STATUSES) byStatus[status] = await services[type].count({ status: [status] });
    return byStatus;
  };
  return { missions: await count("missions"), jobs: await count("jobs"), cases: await count("cases") };
}

async function main(): Promise<number> {
  const config = loadConfigOrReport("casebook seed");
  if (!config) return INVALID_CONFIGURATION_EXIT_CODE;
  if (config.database.engine === "sqlite" && config.database.path === ":memory:") {
    process.stderr.write(
      "casebook seed: DATABASE_URL: seeding an in-memory database would keep nothing; point it at a file\n",
    );
    return 2;
  }
  // Demo data can be loaded again, so it does not need a sync to disk after every step.
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase({ ...config, sqliteSynchronous: "NORMAL" });
  } catch (error) {
    const failure = startupFailure(error, config);
    if (!failure) throw error;
    process.stderr.write(`casebook seed: ${failure.message}\n`);
    return failure.exitCode;
  }
  const { db } = opened;
  const started = Date.now();
  try {
    const seeder = new Seeder(db.store);
    console.log(`casebook seed: ${db.location}`);
    for (const plan of MISSIONS) {
      const before = { ...seeder.created };
      const { jobs, cases } = await seeder.mission(plan);
      const made =
        seeder.created.jobs -
        before.jobs +
        seeder.created.cases -
        before.cases +
        seeder.created.missions -
        before.missions;
      console.log(
        `  ${plan.name.padEnd(48)} ${plan.status.padEnd(11)} ${String(jobs).padStart(2)} jobs ${String(cases).padStart(4)} cases  ${made === 0 ? "already there" : `created ${seeder.created.jobs - before.jobs} jobs, ${seeder.created.cases - before.cases} cases`}`,
      );
    }
    const before = { ...seeder.created };
    let standaloneCases = 0;
    for (const plan of STANDALONE_JOBS) standaloneCases += await seeder.job(plan);
    const made = seeder.created.jobs - before.jobs;
    console.log(
      `  ${"Jobs without a mission".padEnd(48)} ${"".padEnd(11)} ${String(STANDALONE_JOBS.length).padStart(2)} jobs ${String(standaloneCases).padStart(4)} cases  ${made === 0 ? "already there" : `created ${made} jobs, ${seeder.created.cases - before.cases} cases`}`,
    );

    const counts = await statusCounts(seeder.services);
    const { missions, jobs, cases, events, updates } = seeder.created;
    console.log(
      `casebook seed: created ${missions} missions, ${jobs} jobs, ${cases} cases, ${events} transitions, ${updates} case updates in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(`\n  ${"".padEnd(9)}${ENTITY_STATUSES.map((s) => s.padStart(12)).join("")}${"total".padStart(8)}`);
    for (const type of ["missions", "jobs", "cases"] as const) {
      const row = counts[type];
      const total = Object.values(row).reduce((a, b) => a + b, 0);
      console.log(
        `  ${type.padEnd(9)}${ENTITY_STATUSES.map((s) => String(row[s]).padStart(12)).join("")}${String(total).padStart(8)}`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
