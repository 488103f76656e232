// Prisma Studio on casebook's own database: the same file the service would open (loadConfig),
// migrated first so Studio has tables to show. Studio itself only listens on 127.0.0.1; when
// STUDIO_HOST asks for more (a container), a small proxy listens there and forwards to it.
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { openDatabase } from "../db/open.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { INVALID_CONFIGURATION_EXIT_CODE, loadConfigOrReport } from "./config.js";
import { freeLoopbackPort } from "./network.js";
import { startupFailure } from "./startup-failure.js";

const STUDIO_READY = /Prisma Studio is running at/;
// Prisma Studio listens on 127.0.0.1 only. A STUDIO_HOST naming that address, or localhost,
// which reaches it, is served by Studio itself; any other address (::1 and 127.0.0.2 included)
// gets the proxy, which listens there.
const STUDIO_OWN_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost"]);

export interface StudioOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export async function runStudio({ env = process.env, cwd = process.cwd() }: StudioOptions = {}): Promise<number> {
  const config = loadConfigOrReport("casebook studio", env, cwd);
  if (!config) return INVALID_CONFIGURATION_EXIT_CODE;
  const { database } = config;
  if (database.engine === "sqlite" && database.path === ":memory:") {
    process.stderr.write(
      "casebook studio: DATABASE_URL: an in-memory database cannot be browsed; point it at a file\n",
    );
    return 2;
  }

  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(config);
  } catch (error) {
    const failure = startupFailure(error, config);
    if (!failure) throw error;
    process.stderr.write(`casebook studio: ${failure.message}\n`);
    return failure.exitCode;
  }
  const { db, migrations } = opened;
  await db.close();
  const applied = migrations.applied.length > 0 ? `, applied ${migrations.applied.join(", ")}` : "";
  process.stdout.write(`casebook studio: database ${db.location}${applied}\n`);

  const direct = STUDIO_OWN_HOSTS.has(config.studioHost);
  const studioPort = direct ? config.studioPort : await freeLoopbackPort();
  let proxy: http.Server | undefined;
  if (!direct) {
    try {
      proxy = await startProxy(config.studioHost, config.studioPort, studioPort);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      process.stderr.write(
        `casebook studio: cannot listen on ${config.studioHost}:${config.studioPort} (${reason}); set STUDIO_PORT or STUDIO_HOST\n`,
      );
      return 1;
    }
  }
  // Studio reads the database itself: a SQLite file by absolute URL (it refuses relative ones).
  const studioUrl = database.engine === "sqlite" ? `file://${database.path}` : database.url;
  const studio = startPrismaStudio(studioUrl, studioPort, env);
  const where = direct
    ? `at http://localhost:${config.studioPort}`
    : `listening on ${config.studioHost}:${config.studioPort}`;
  void waitForReady(studio).then(() => process.stdout.write(`casebook studio: Prisma Studio ${where}\n`));

  const stop = () => {
    proxy?.close();
    if (studio.exitCode === null) studio.kill("SIGTERM");
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return new Promise((resolve) => {
    studio.on("exit", (code, signal) => {
      proxy?.close();
      resolve(signal !== null || code === null ? 0 : code);
    });
  });
}

function startPrismaStudio(url: string, port: number, env: Record<string, string | undefined>): ChildProcess {
  const cli = createRequire(path.join(PACKAGE_ROOT, "package.json")).resolve("prisma/build/index.js");
  const child = spawn(process.execPath, [cli, "studio", "--url", url, "--port", String(port), "--browser", "none"], {
    cwd: PACKAGE_ROOT,
    env: { ...env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", BROWSER: "none" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return child;
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      if (seen === "\0") return;
      seen += chunk.toString("utf8");
      if (STUDIO_READY.test(seen)) {
        seen = "\0";
        resolve();
      }
    });
  });
}

/**
 * Forwards host:port to Studio on 127.0.0.1. Studio refuses cross-origin calls by comparing
 * the Origin with its own loopback address, so a same-origin request (Origin matches the Host
 * it was sent to) is passed on under Studio's address and anything else is refused here.
 */
function startProxy(host: string, port: number, studioPort: number): Promise<http.Server> {
  const studioOrigin = `http://127.0.0.1:${studioPort}`;
  const server = http.createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, req.headers.host)) {
      res.writeHead(403, { "content-type": "text/plain" }).end("Forbidden");
      return;
    }
    const headers = {
      ...req.headers,
      host: `127.0.0.1:${studioPort}`,
      ...(origin !== undefined ? { origin: studioOrigin } : {}),
    };
    const upstream = http.request(
      { host: "127.0.0.1", port: studioPort, method: req.method, path: req.url, headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("Prisma Studio is not reachable yet");
    });
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
