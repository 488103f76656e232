// What both baselines know of casebook's domain, whichever engine they run on: the lifecycle
// rules a job event is checked against, the rows they read, and the two errors an event can end in.
export const NEXT: Record<string, Record<string, string>> = {
  STOPPED: { START_WORK: "IN_PROGRESS" },
  IN_PROGRESS: {
    SUCCESSFULLY_DONE: "COMPLETED",
    AWAITING_ON_INPUT: "AWAITING",
    CANCEL_REQUESTED: "CANCELLING",
    ERROR_ENCOUNTERED: "FAILED",
  },
  AWAITING: { TIMEOUT_OR_ERROR: "FAILED", INPUT_RECEIVED: "IN_PROGRESS", CANCEL_WHILE_WAITING: "CANCELLING" },
  CANCELLING: { CANCEL_CONFIRMED: "CANCELLED" },
};
export const TERMINAL = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

export type JobRow = Record<string, unknown> & {
  id: string;
  status: string;
  version: number;
  finishedAt: unknown;
};
export type CaseRow = Record<string, unknown> & { id: string; status: string; createdAt: unknown };

export class EventError extends Error {
  constructor(
    readonly code: "NOT_FOUND" | "INVALID_TRANSITION",
    message: string,
  ) {
    super(message);
  }
}

/** The status `event` moves `job` to, or the EventError that refuses it. */
export function nextStatus(id: string, job: JobRow | undefined, event: string): string {
  if (!job) throw new EventError("NOT_FOUND", `Job "${id}" not found`);
  const to = NEXT[job.status]?.[event];
  if (!to) throw new EventError("INVALID_TRANSITION", `${event} is not allowed from ${job.status}`);
  return to;
}
