// The worker side of test/support/processes.ts.
import readline from "node:readline";

export function report(message: { type: string; [key: string]: unknown }): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Says "ready" and resolves when the test says "go". */
export function readyAndWait(): Promise<void> {
  return new Promise((resolve) => {
    const input = readline.createInterface({ input: process.stdin });
    input.once("line", () => {
      input.close();
      resolve();
    });
    report({ type: "ready" });
  });
}

/** How an error looks in a report: its class, its code (domain or SQLite), message and where. */
export function describeError(error: unknown): { name: string; code?: string; message: string; stack?: string } {
  const e = error as { name?: string; code?: unknown; message?: string; stack?: string };
  return {
    name: e?.name ?? typeof error,
    code: typeof e?.code === "string" ? e.code : undefined,
    message: e?.message ?? String(error),
    stack: e?.stack?.split("\n").slice(1, 8).join("\n"),
  };
}
