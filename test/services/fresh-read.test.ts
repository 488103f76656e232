import { describe, expect, it } from "vitest";
import { FreshRead } from "../../src/services/fresh-read.js";

/** A read whose calls are counted and finished by hand, each returning its call's number. */
function controlledRead() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  let calls = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      calls++;
      const number = calls;
      pending.push({ resolve: () => resolve(number), reject });
    });
  return {
    read,
    calls: () => calls,
    finishNext: (error?: Error) => {
      const next = pending.shift()!;
      if (error) next.reject(error);
      else next.resolve(0);
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("FreshRead", () => {
  it("gives every caller a read that started after it asked, with at most two reads for any number of callers", async () => {
    const source = controlledRead();
    const shared = new FreshRead(source.read);
    const first = shared.get();
    // Asked while the first read runs: they must not get its (older) result.
    const later = Array.from({ length: 100 }, () => shared.get());
    expect(source.calls()).toBe(1);
    source.finishNext();
    expect(await first).toBe(1);
    await settle();
    expect(source.calls()).toBe(2);
    source.finishNext();
    expect(new Set(await Promise.all(later))).toEqual(new Set([2]));
    // Nothing running: the next caller starts a read of its own at once.
    const alone = shared.get();
    expect(source.calls()).toBe(3);
    source.finishNext();
    expect(await alone).toBe(3);
  });

  it("hands a failed read's error to its callers, and the callers queued behind it still get a read", async () => {
    const source = controlledRead();
    const shared = new FreshRead(source.read);
    const failing = shared.get();
    const queued = shared.get();
    source.finishNext(new Error("database unreachable"));
    await expect(failing).rejects.toThrow("database unreachable");
    await settle();
    source.finishNext();
    expect(await queued).toBe(2);
  });
});
