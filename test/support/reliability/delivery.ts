// A client that does what casebook asks of one when an answer is lost: it sends the mutation
// again, to the same server or another, until it gets a decided answer. A lost answer is a
// connection that broke (the server died) or HTTP 503 SERVICE_UNAVAILABLE (the database could
// not be reached); either way the first copy may or may not have been applied, and the repeat
// finds out (lifecycle-stream.ts says how each mutation tells).
import { type Ack, ackOf, deletion } from "./acks.js";
import { codeOf, type GqlResult, gql } from "./client.js";
import type { Mutation } from "./lifecycle-stream.js";

/** One HTTP request and how it ended: "ok", an error code, or "network" (no answer at all). */
export interface Attempt {
  url: string;
  startedAt: number;
  ms: number;
  outcome: string;
  status?: number;
  retryAfter?: string;
}

export type Delivered =
  /** Applied: the acknowledgement, or undefined when only a repeat's refusal said it was applied. */
  | { ack: Ack | undefined; attempts: number }
  /** An answer no retrying client should get; the text says what came back. */
  | { unexpected: string; attempts: number }
  /** Given up undecided: there was nowhere left to send it (the load stopped). */
  | { abandoned: true; attempts: number };

export interface DeliveryOptions {
  /** Where to send the next copy; undefined: nowhere, give up. */
  target: () => string | undefined;
  onAttempt?: (attempt: Attempt) => void;
  /** Pause before sending again, as Retry-After asks. */
  retryDelayMs: number;
  /** Give up (as unexpected) once this many ms have passed since the first copy. */
  giveUpAfterMs: number;
}

export async function deliver(mutation: Mutation, options: DeliveryOptions): Promise<Delivered> {
  const first = Date.now();
  let lost = 0;
  for (let attempts = 1; ; attempts++) {
    const url = options.target();
    if (url === undefined) return { abandoned: true, attempts };
    const startedAt = Date.now();
    let result: GqlResult | undefined;
    try {
      result = await gql(url, mutation.query, mutation.variables);
    } catch {
      result = undefined;
    }
    const outcome = result === undefined ? "network" : (codeOf(result) ?? "ok");
    options.onAttempt?.({
      url,
      startedAt,
      ms: Date.now() - startedAt,
      outcome,
      status: result?.status,
      retryAfter: result?.retryAfter,
    });

    if (result !== undefined && outcome === "ok") {
      const ack = ackOf(mutation, result);
      return ack ? { ack, attempts } : { unexpected: `${describe(mutation)} → ${JSON.stringify(result)}`, attempts };
    }
    if (result === undefined || outcome === "SERVICE_UNAVAILABLE") {
      lost++;
      if (Date.now() - first > options.giveUpAfterMs)
        return { unexpected: `${describe(mutation)}: no answer after ${attempts} attempts`, attempts };
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
      continue;
    }
    if (lost > 0 && refusalSaysApplied(mutation, result)) {
      return { ack: mutation.deletes ? deletion(mutation) : undefined, attempts };
    }
    return { unexpected: `${describe(mutation)} → ${JSON.stringify(result)}`, attempts };
  }
}

/** A repeat's refusal that means the first copy, whose answer was lost, was applied. */
function refusalSaysApplied(mutation: Mutation, result: GqlResult): boolean {
  const error = result.errors?.[0];
  if (mutation.repeatRefusal === undefined || error?.extensions?.code !== mutation.repeatRefusal) return false;
  // An edit applied by the first copy moved the version exactly one on from the expected one.
  if (mutation.repeatRefusal === "VERSION_CONFLICT")
    return error.extensions.actual === Number(mutation.variables.v) + 1;
  return true;
}

function describe(mutation: Mutation): string {
  return `${mutation.query.match(/\{\s*(\w+)/)?.[1] ?? "mutation"} ${JSON.stringify(mutation.variables)}`;
}
