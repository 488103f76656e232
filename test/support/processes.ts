// Worker processes for tests that need real OS-level concurrency. A worker prints one JSON
// object per line on stdout; it first says {"type":"ready"} and then waits for "go" on stdin,
// so that all workers start their work at the same moment.
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { PACKAGE_ROOT } from "../../src/package-root.js";

export interface WorkerMessage {
  type: string;
  [key: string]: unknown;
}

export interface WorkerProcess {
  /** Resolves once the worker said it is ready. */
  ready: Promise<void>;
  go(): void;
  /** Resolves when the worker exits, with every message it printed. */
  finished: Promise<{ code: number | null; messages: WorkerMessage[]; stderr: string }>;
}

export function startWorker(script: string, args: readonly string[]): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(PACKAGE_ROOT, "test/support", script), ...args], {
    cwd: PACKAGE_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const messages: WorkerMessage[] = [];
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    let message: WorkerMessage;
    try {
      message = JSON.parse(line) as WorkerMessage;
    } catch {
      message = { type: "stdout", line };
    }
    messages.push(message);
    if (message.type === "ready") markReady();
  });
  const finished = new Promise<{ code: number | null; messages: WorkerMessage[]; stderr: string }>(
    (resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, messages, stderr }));
    },
  );
  // A worker that dies before it is ready must not leave the test waiting forever.
  void finished.then(markReady, markReady);
  return {
    ready,
    go: () => child.stdin.end("go\n"),
    finished,
  };
}

/** Starts the workers, waits until all are ready, lets them go together and collects them. */
export async function runTogether(workers: WorkerProcess[]) {
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  return Promise.all(workers.map((w) => w.finished));
}
