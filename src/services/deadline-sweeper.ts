// Waits time out: every interval, the sweeper fires TIMEOUT_OR_ERROR on each entity whose
// AWAITING deadline has passed. Any number of processes may sweep one database at once: the
// store moves each entity once (a conditional, set-based statement per entity type), so the
// others find nothing left to do.
import type { Store } from "../db/store.js";
import type { EntityType } from "../domain/entities.js";
import type { Clock } from "./lifecycle-service.js";

/** Entities of one type moved per statement; a sweep repeats until fewer are left. */
const BATCH_SIZE = 500;
const TYPES: readonly EntityType[] = ["Mission", "Job", "Case"];

/** Fires TIMEOUT_OR_ERROR on every entity whose deadline is at or before the clock's now; resolves to how many. */
export async function sweepDeadlines(store: Store, clock: Clock): Promise<number> {
  const now = clock();
  let moved = 0;
  for (const type of TYPES) {
    for (;;) {
      const batch = await store.workflow.expireDeadlines(type, now, BATCH_SIZE);
      moved += batch;
      if (batch < BATCH_SIZE) break;
    }
  }
  return moved;
}

export interface DeadlineSweeper {
  /** Waits for a sweep in progress, and runs no more. */
  stop(): Promise<void>;
}

/**
 * Sweeps every `intervalMs` until stopped; a sweep that fails (the database out of reach) is
 * reported and the next one tries again. The timer keeps no process alive on its own.
 */
export function startDeadlineSweeper(
  sweep: () => Promise<number>,
  intervalMs: number,
  onError: (error: unknown) => void,
): DeadlineSweeper {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      running = sweep().then(
        () => undefined,
        (error: unknown) => onError(error),
      );
      void running.then(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
