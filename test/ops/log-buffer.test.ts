// Log lines are written in blocks, not one system call each: a line still reaches stdout
// within LOG_FLUSH_INTERVAL_MS while the process runs, an error line at once, and whatever is
// buffered when the process exits is written before it goes.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { startChild } from "../support/service-process.js";

const TSX = pathToFileURL(path.join(PACKAGE_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const LOGGER = pathToFileURL(path.join(PACKAGE_ROOT, "src/server/logger.ts")).href;

function run(script: string) {
  return startChild(
    process.execPath,
    [
      "--import",
      TSX,
      "--input-type=module",
      "-e",
      `import { createLogger } from ${JSON.stringify(LOGGER)};\n${script}`,
    ],
    {},
  );
}

describe("buffered log lines", () => {
  it("reach stdout within the flush interval while the process keeps running", async () => {
    const child = run(`
      const logger = createLogger({ appEnv: "production", logLevel: "info" });
      logger.info({ step: 1 }, "waits in the buffer");
      setTimeout(() => process.exit(0), 3000);
    `);
    const started = Date.now();
    const line = await child.waitForLog((l) => l.step === 1, 2500);
    expect(line.msg).toBe("waits in the buffer");
    // Written by the interval flush, long before the exit at 3 s would have written it.
    expect(Date.now() - started).toBeLessThan(2500);
    await child.exited;
  });

  it("writes an error line at once, with the lines before it", async () => {
    const child = run(`
      const logger = createLogger({ appEnv: "production", logLevel: "info" });
      logger.info({ step: 1 }, "before");
      logger.error({ step: 2 }, "something failed");
      // Block the event loop: no timer can flush now, only the write the error line started.
      const until = Date.now() + 1500;
      while (Date.now() < until);
      process.exit(0);
    `);
    const error = await child.waitForLog((l) => l.step === 2, 10_000);
    const seen = Date.now();
    expect(error).toMatchObject({ level: 50, msg: "something failed" });
    expect(child.logs().map((l) => l.step)).toEqual([1, 2]);
    await child.exited;
    // It arrived while the child was still blocked, not with the flush at exit.
    expect(Date.now() - seen).toBeGreaterThan(500);
  });

  it("loses nothing when the process exits right after logging", async () => {
    const child = run(`
      const logger = createLogger({ appEnv: "production", logLevel: "info" });
      for (let i = 0; i < 500; i++) logger.info({ step: i }, "line");
      process.exit(0);
    `);
    expect((await child.exited).code).toBe(0);
    expect(child.logs().map((l) => l.step)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
