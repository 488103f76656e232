// Options every lifecycle event accepts, as the services take them.
export interface EventOptions {
  /** Refuse with VERSION_CONFLICT unless the entity is at this version. */
  expectedVersion?: number | null;
  /** A retry with the same key on the same entity returns the entity and writes nothing. */
  idempotencyKey?: string | null;
  actor?: string | null;
  reason?: string | null;
  /** A cancel of a mission or job moves its running descendants to CANCELLING too, unless false. */
  cascade?: boolean | null;
  /** AWAITING_ON_INPUT: casebook fires TIMEOUT_OR_ERROR itself this many seconds later. */
  timeoutSeconds?: number | null;
  /** AWAITING_ON_INPUT: casebook fires TIMEOUT_OR_ERROR itself at this time. */
  awaitingUntil?: Date | null;
}
