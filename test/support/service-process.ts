// casebook (or one of its scripts) as a real child process: its own process group, stdout and
// stderr collected, JSON log lines parsed, and a way to wait for a line or a port.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { PACKAGE_ROOT } from "../../src/package-root.js";

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout lines that parse as JSON objects (pino's log lines). */
  logs(): Record<string, unknown>[];
  /** Resolves with the first JSON log line that matches, or rejects when the child exits first. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole process group (npm, its shell and the program it started). */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to the group, if still running; for clean-up after a failed test. */
  kill(): void;
}

export function startChild(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  cwd = PACKAGE_ROOT,
): Child {
  const child = spawn(command, args, {
    cwd,
    env: childEnv(cwd === PACKAGE_ROOT ? { ...ignoreDotenv(), ...env } : env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
    notify();
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      done = true;
      notify();
      resolve({ code, signal });
    });
  });
  const logs = () =>
    out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const waitUntil = <T>(check: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`)),
        timeoutMs,
      );
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        listeners.delete(listener);
        if (error) reject(error);
        else resolve(value as T);
      };
      const listener = () => {
        const value = check();
        if (value !== undefined) finish(undefined, value);
        else if (done) finish(new Error(`process exited while waiting for ${what}\nstdout:\n${out}\nstderr:\n${err}`));
      };
      listeners.add(listener);
      listener();
    });
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    logs,
    waitForLog: (match, timeoutMs = 60_000) => waitUntil(() => logs().find(match), "a matching log line", timeoutMs),
    waitForOutput: (pattern, timeoutMs = 60_000) =>
      waitUntil(() => (pattern.test(out) ? true : undefined), `output matching ${pattern}`, timeoutMs).then(
        () => undefined,
      ),
    exited,
    signal(signal) {
      if (!done && child.pid !== undefined) process.kill(-child.pid, signal);
    },
    kill() {
      if (!done && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    },
  };
}

/**
 * The environment a child gets: this process's, minus what vitest sets for its own workers, so
 * that the child reads only the settings a test gives it (and .env, as in real use).
 */
function childEnv(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|TEST$|NODE_ENV$|APP_ENV$|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|STUDIO_)/.test(key)) continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * A developer's own .env in the checkout must not change what the tests see: every setting the
 * test does not give is set empty, which the service reads as "use the default" and dotenv
 * leaves alone.
 */
function ignoreDotenv(): Record<string, string> {
  if (!fs.existsSync(path.join(PACKAGE_ROOT, ".env"))) return {};
  const source = fs.readFileSync(path.join(PACKAGE_ROOT, "src/server/config.ts"), "utf8");
  const names = new Set([...source.matchAll(/\(env, "([A-Z_]+)"/g)].map((m) => m[1]!));
  names.add("DATABASE_URL");
  return Object.fromEntries([...names].map((name) => [name, ""]));
}

const execFileAsync = promisify(execFile);

/**
 * `npm run build` unless dist/ is newer than every source file (`npm start` builds too); a lock
 * keeps two test files from writing dist/ at the same time.
 */
export async function buildOnce(): Promise<void> {
  const lock = path.join(PACKAGE_ROOT, "dist", ".build-lock");
  const output = path.join(PACKAGE_ROOT, "dist", "src", "server", "main.js");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 240_000) throw new Error("waited too long for another build");
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    const built = fs.statSync(output, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (newestSource() < built) return;
    await execFileAsync("npm", ["run", "build", "--silent"], { cwd: PACKAGE_ROOT, env: childEnv({}) });
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  visit(path.join(PACKAGE_ROOT, "src"));
  for (const file of ["tsconfig.json", "tsconfig.build.json", "package.json"]) visit(path.join(PACKAGE_ROOT, file));
  return newest;
}

/** POSTs a GraphQL operation as curl would and returns the parsed body. */
export async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any> | null; errors?: [] };
  return { status: response.status, ...body };
}
