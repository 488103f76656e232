// The sweeper's timer: it sweeps again and again, goes on after a failed sweep, and once stopped
// has finished the sweep in flight and starts no other.
import { describe, expect, it } from "vitest";
import { startDeadlineSweeper } from "../../src/services/deadline-sweeper.js";

/** Resolves once `condition` holds, checking every few milliseconds (bounded). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe("the deadline sweeper", () => {
  it("sweeps repeatedly, survives a failing sweep, and stops after the sweep in flight", async () => {
    let calls = 0;
    let inFlight = false;
    let finished = 0;
    const errors: unknown[] = [];
    const sweeper = startDeadlineSweeper(
      async () => {
        calls++;
        if (calls === 2) throw new Error("database out of reach");
        inFlight = true;
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight = false;
        finished++;
        return 0;
      },
      5,
      (error) => errors.push(error),
    );
    await until(() => calls >= 4 && inFlight);
    await sweeper.stop();
    expect(inFlight).toBe(false);
    expect(errors).toHaveLength(1);
    const after = calls;
    // Well past several intervals: nothing more ran.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(after);
    expect(finished).toBe(calls - 1);
  });
});
