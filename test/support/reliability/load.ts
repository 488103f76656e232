// Clients streaming mutations (lifecycle-stream.ts) at servers, each one sending again what was
// not answered (delivery.ts), until they have had their share or are told to stop. Records every
// request and every acknowledgement, for the tests to judge.
import type { Ack } from "./acks.js";
import { type Attempt, deliver } from "./delivery.js";
import { runStream } from "./lifecycle-stream.js";

export interface LoadOptions {
  clients: number;
  /** Ids start with it, so that loads on one database stay apart. */
  prefix: string;
  /** Where client `c` sends its next request. */
  target: (client: number) => string;
  /** Each client stops after this many mutations (else when stopped). */
  mutationsPerClient?: number;
  /** Pause before a copy is sent again. */
  retryDelayMs: number;
  /** Called after every acknowledgement. */
  onAck?: (load: Load) => void;
}

export interface Load {
  readonly acks: Ack[];
  readonly attempts: Attempt[];
  /** Mutations that did not end as they should: what came back instead. */
  readonly unexpected: string[];
  /** Mutations sent and not yet decided. */
  readonly inFlight: number;
  /** Resolves when every client is done. */
  readonly finished: Promise<void>;
  /** Clients finish the mutation they are on, then stop. */
  stop(): Promise<void>;
}

export function startLoad(options: LoadOptions): Load {
  let stopped = false;
  let inFlight = 0;
  const acks: Ack[] = [];
  const attempts: Attempt[] = [];
  const unexpected: string[] = [];

  const client = async (c: number) => {
    let sent = 0;
    await runStream(`${options.prefix}-c${c}`, async (mutation) => {
      if (stopped || sent++ === options.mutationsPerClient) return false;
      inFlight++;
      const delivered = await deliver(mutation, {
        // Once stopped, a mutation waiting to be sent again is dropped rather than retried on.
        target: () => (stopped ? undefined : options.target(c)),
        onAttempt: (attempt) => attempts.push(attempt),
        retryDelayMs: options.retryDelayMs,
        giveUpAfterMs: 60_000,
      }).finally(() => inFlight--);
      if ("abandoned" in delivered) return false;
      if ("unexpected" in delivered) {
        unexpected.push(`client ${c}: ${delivered.unexpected}`);
        return false;
      }
      if (delivered.ack) {
        acks.push(delivered.ack);
        options.onAck?.(load);
      }
      return true;
    });
  };

  const finished = Promise.all(Array.from({ length: options.clients }, (_, c) => client(c))).then(() => undefined);
  const load: Load = {
    acks,
    attempts,
    unexpected,
    get inFlight() {
      return inFlight;
    },
    finished,
    stop() {
      stopped = true;
      return finished;
    },
  };
  return load;
}
