// A TinyDB entities.json as supervaizer's StorageManager leaves it after a while of real use:
// jobs (Pydantic dumps with job_context, responses, case_ids, naive datetimes), their cases
// (account, updates with index from 1, total_cost, final_delivery), statuses in lowercase, and
// what real files collect: cases whose job is gone, case_ids naming deleted cases, a case that
// moved, NaN costs, missing names and dates, an unknown status, an id with a space, a
// duplicate, text with a NUL, and a table of another program. Deterministic for a seed.
import { float } from "./python-json.js";
import { seededRandom } from "./seeded-random.js";

const STATUSES = ["stopped", "in_progress", "cancelling", "awaiting", "completed", "failed", "cancelled"] as const;
const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const AGENTS = ["email-triage", "invoice-reader", "lead-qualifier", "contract-reviewer", "research-digest"];
const TASKS = ["Classify message", "Extract totals", "Score lead", "Check clause", "Summarise paper", "Draft reply"];

export interface TinyDbSampleOptions {
  jobs: number;
  /** Cases per job, at most (each job gets 0 to this many). */
  maxCasesPerJob: number;
  /** Adds the broken references and odd values listed above. */
  flaws: boolean;
  seed?: number;
}

export type TinyDbTables = Record<string, Record<string, Record<string, unknown>>>;

export function tinyDbSample(options: TinyDbSampleOptions): TinyDbTables {
  const random = seededRandom(options.seed ?? 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const shortId = () =>
    Array.from(
      { length: 22 },
      () => "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"[Math.floor(random() * 57)],
    ).join("");
  const start = Date.UTC(2025, 2, 3, 8, 0, 0);
  // datetime.now().isoformat(): local time, no offset, microseconds.
  const naive = (ms: number) =>
    `${new Date(ms).toISOString().slice(0, 23)}${String(Math.floor(random() * 1000)).padStart(3, "0")}`;

  const missions: Record<string, unknown>[] = [];
  for (let m = 1; m <= 4; m++) {
    const status = STATUSES[(m * 2) % STATUSES.length]!;
    missions.push({
      id: `mission-${m}`,
      name: `Mission ${m}: ${pick(["Q2 inbound leads", "Supplier onboarding", "Support backlog", "Paper review"])}`,
      description: "Imported from the platform",
      status,
      created_at: naive(start + m * 3_600_000),
      finished_at: TERMINAL.has(status) ? naive(start + m * 7_200_000) : null,
      metadata: { owner: `team-${m}` },
    });
  }

  const jobs: Record<string, unknown>[] = [];
  const cases: Record<string, unknown>[] = [];
  for (let j = 0; j < options.jobs; j++) {
    const id = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    const status = STATUSES[j % STATUSES.length]!;
    const created = start + j * 600_000;
    const agent = pick(AGENTS);
    const missionId = j % 3 === 0 ? `mission-${(j % 4) + 1}` : `platform-mission-${j % 5}`;
    const caseIds: string[] = [];
    const caseCount = Math.floor(random() * (options.maxCasesPerJob + 1));
    for (let c = 0; c < caseCount; c++) {
      const caseId = shortId();
      const caseStatus = STATUSES[(j + c) % STATUSES.length]!;
      const step = (index: number, fields: Record<string, unknown> = {}) => ({
        index,
        cost: Math.round(random() * 10_000) / 100_000,
        name: pick(["fetch", "analyse", "draft", "validate"]),
        payload: { tokens: Math.floor(random() * 4000), note: pick(["ok", "retry", "partial"]) } as unknown,
        is_final: false,
        error: null as string | null,
        scheduled_at: null as string | null,
        scheduled_method: null as string | null,
        scheduled_params: null,
        scheduled_status: null as string | null,
        ...fields,
      });
      const steps = Array.from({ length: Math.floor(random() * 4) }, (_, i) => step(i + 1));
      if (caseStatus === "awaiting") {
        steps.push(
          step(steps.length + 1, {
            scheduled_at: naive(created),
            scheduled_method: "agent.remind",
            scheduled_status: "pending",
          }),
        );
      }
      if (caseStatus === "failed") {
        steps.push(step(steps.length + 1, { name: "tool call", error: "Tool timeout after 30s", payload: null }));
      }
      if (caseStatus === "completed") {
        steps.push(step(steps.length + 1, { name: "delivery", is_final: true, payload: { answer: `done ${c}` } }));
      }
      const total = steps.reduce((sum, s) => sum + (s.cost as number), 0);
      cases.push({
        id: caseId,
        job_id: id,
        name: `${pick(TASKS)} #${c + 1}`,
        account: { workspace_id: "ws-128", api_key: "sk-live-do-not-import", api_url: "https://api.supervaize.com" },
        description: `Case ${c + 1} of job ${j + 1}`,
        status: caseStatus,
        updates: steps.map((s) => ({ ...s, cost: float(s.cost as number) })),
        total_cost: float(Math.round(total * 100_000) / 100_000),
        final_delivery: caseStatus === "completed" ? { answer: `done ${c}` } : null,
        finished_at: TERMINAL.has(caseStatus) ? naive(created + (c + 2) * 60_000) : null,
      });
      caseIds.push(caseId);
    }
    jobs.push({
      id,
      name: `${agent} run ${j + 1}`,
      agent_name: agent,
      status,
      job_context: {
        workspace_id: "ws-128",
        job_id: id,
        started_by: pick(["alice@example.com", "bob@example.com", "scheduler"]),
        started_at: naive(created),
        mission_id: missionId,
        mission_name: `Mission ${missionId}`,
        mission_context: null,
        job_instructions: {
          max_cases: 50,
          max_duration: 3600,
          max_cost: float(5),
          stop_on_warning: false,
          stop_on_error: true,
          job_start_time: null,
        },
      },
      payload: { batch: j, source: pick(["gmail", "s3://inbox", "hubspot"]) },
      result: status === "completed" ? { processed: caseIds.length } : null,
      error: status === "failed" ? "Agent crashed: OutOfMemoryError" : null,
      responses:
        status === "stopped"
          ? []
          : [{ job_id: id, status, message: `Job ${status}`, payload: null, error_message: "", error_traceback: "" }],
      finished_at: TERMINAL.has(status) ? naive(created + 3_600_000) : null,
      created_at: naive(created),
      agent_parameters:
        j % 2 === 0
          ? [
              { name: "model", value: "gpt-4o" },
              { name: "temperature", value: float(0.2) },
            ]
          : null,
      case_ids: caseIds,
      metadata: j % 5 === 0 ? { campaign: "spring", priority: j % 3 } : {},
    });
  }

  const extra: TinyDbTables = {};
  if (options.flaws) addFlaws(jobs, cases, shortId, naive(start));
  const table = (docs: Record<string, unknown>[]) => Object.fromEntries(docs.map((doc, i) => [String(i + 1), doc]));
  if (options.flaws) extra._default = { "1": { last_sync: naive(start) } };
  return { Case: table(cases), Job: table(jobs), Mission: table(missions), ...extra };
}

function addFlaws(
  jobs: Record<string, unknown>[],
  cases: Record<string, unknown>[],
  shortId: () => string,
  when: string,
): void {
  const base = cases[0]!;
  // Cases whose job was deleted (delete_object on the job left them).
  for (let i = 0; i < 3; i++) cases.push({ ...base, id: shortId(), job_id: `deleted-job-${i}`, name: `Orphan ${i}` });
  // Jobs listing cases that are gone.
  (jobs[1]!.case_ids as string[]).push("gone-case-1");
  (jobs[2]!.case_ids as string[]).push("gone-case-2");
  // A case that moved: listed by one job, naming another.
  const moved = cases.find((c) => c.job_id === jobs[4]!.id);
  if (moved) (jobs[3]!.case_ids as string[]).push(moved.id as string);
  // Odd values.
  cases.push({
    ...base,
    id: shortId(),
    name: "Cost overflow",
    total_cost: float(Number.NaN),
    status: "in_progress",
    finished_at: null,
  });
  cases.push({
    ...base,
    id: shortId(),
    name: "",
    status: "stopped",
    finished_at: null,
    updates: [{ index: 1, cost: "0.5", name: "priced as text", payload: null, is_final: false, error: "" }],
  });
  cases.push({ ...base, id: shortId(), name: "Réunion 🚀 planning", status: "completed", finished_at: "" });
  cases.push({ ...base, id: shortId(), name: "Paused case", status: "paused" });
  cases.push({ ...base, id: "case with spaces", name: "Bad id" });
  cases.push({ ...base, name: "Duplicate of the first case" });
  cases.push({ ...base, id: shortId(), name: "Nul\u0000byte" });
  jobs.push({
    ...jobs[0]!,
    id: "job-no-name",
    name: null,
    agent_name: "",
    created_at: "not a date",
    case_ids: [],
    status: "IN_PROGRESS",
    finished_at: when,
  });
}
