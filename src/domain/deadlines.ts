// Waits can time out: AWAITING_ON_INPUT may carry a deadline, after which casebook fires
// TIMEOUT_OR_ERROR itself. Pure: the deadline an event sets, and what its expiry says.
import type { EntityRecord } from "./entities.js";
import { BadUserInputError } from "./errors.js";
import type { EntityEvent } from "./lifecycle.js";

/** The longest wait one event may set: ten years. */
export const MAX_TIMEOUT_SECONDS = 10 * 365 * 24 * 3600;

/** Who fires the event when a deadline passes, as its transition row says. */
export const DEADLINE_ACTOR = "casebook";

export interface DeadlineOptions {
  timeoutSeconds?: number | null;
  awaitingUntil?: Date | null;
}

/**
 * The deadline `event` sets, fired at `now`: for AWAITING_ON_INPUT, `now + timeoutSeconds` or
 * `awaitingUntil` (at most one of them, in the future), or null without either. Every other event
 * leaves the wait, so it clears the deadline, and takes neither option.
 */
export function deadlineOf(event: EntityEvent, options: DeadlineOptions, now: Date): Date | null {
  const { timeoutSeconds, awaitingUntil } = options;
  const hasTimeout = timeoutSeconds !== undefined && timeoutSeconds !== null;
  const hasUntil = awaitingUntil !== undefined && awaitingUntil !== null;
  if (!hasTimeout && !hasUntil) return null;
  const field = hasTimeout ? "timeoutSeconds" : "awaitingUntil";
  if (event !== "AWAITING_ON_INPUT") {
    throw new BadUserInputError(`"${field}" goes with AWAITING_ON_INPUT only, not ${event}`, field);
  }
  if (hasTimeout && hasUntil) {
    throw new BadUserInputError(`give "timeoutSeconds" or "awaitingUntil", not both`, "awaitingUntil");
  }
  if (hasTimeout) {
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new BadUserInputError(`"timeoutSeconds" must be a whole number from 1 to ${MAX_TIMEOUT_SECONDS}`, field);
    }
    return new Date(now.getTime() + timeoutSeconds * 1000);
  }
  const until = awaitingUntil as Date;
  if (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime()) {
    throw new BadUserInputError(`"awaitingUntil" must be a time in the future`, field);
  }
  if (until.getTime() > now.getTime() + MAX_TIMEOUT_SECONDS * 1000) {
    throw new BadUserInputError(`"awaitingUntil" is more than ${MAX_TIMEOUT_SECONDS} seconds away`, field);
  }
  return until;
}

/** Whether the entity's wait has run out at `now`: input arriving then is too late. */
export function deadlinePassed(entity: Pick<EntityRecord, "status" | "awaitingUntil">, now: Date): boolean {
  return (
    entity.status === "AWAITING" && entity.awaitingUntil !== null && entity.awaitingUntil.getTime() <= now.getTime()
  );
}

/**
 * The reason of the TIMEOUT_OR_ERROR casebook fires, with the deadline in UTC to the
 * millisecond. The stores write it set-based, in SQL that spells the same text.
 */
export function deadlineReason(deadline: Date): string {
  return `the deadline ${deadline.toISOString()} passed without input`;
}
