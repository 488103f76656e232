// Serves the dashboard that `npm run build` writes into dist/ui: the files are read once when the
// server is built (a few small files), so only files that exist there can ever be sent and no
// request path reaches the file system. Every page a browser opens under /ui/ gets index.html;
// the app picks its view from the path.
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Config } from "./config.js";

/** Where the dashboard lives; `/` sends browsers here. */
const DASHBOARD_PATH = "/ui/";

interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Vite names files under assets/ by their content hash, so they never change. */
  immutable: boolean;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

// The page reads who may do what from this tag; the server fills it in, since a
// Content-Security-Policy without inline scripts leaves no other way to hand it a setting.
const AUTH_TAG = /<meta name="casebook-auth" content="[^"]*"\s*\/?>/;

/** What the page may do without a key: everything, read only, or nothing. */
export type DashboardAuth = "none" | "mutations" | "all";

export function dashboardAuth(config: Pick<Config, "apiKeys" | "requireAuthForQueries">): DashboardAuth {
  if (config.apiKeys.length === 0) return "none";
  return config.requireAuthForQueries ? "all" : "mutations";
}

export interface DashboardRoute {
  /** False when the folder holds no built dashboard (then every page says how to build it). */
  built: boolean;
  folder: string;
  /** Whether the request is the dashboard's: /ui, anything under /ui/, and a browser's GET /. */
  answers(req: IncomingMessage, url: URL): boolean;
  serve(req: IncomingMessage, res: ServerResponse, url: URL): void;
}

export function createDashboardRoute(folder: string, auth: DashboardAuth): DashboardRoute {
  const files = readFolder(folder);
  const index = files.get("index.html");
  if (index) {
    const html = index.body.toString("utf8").replace(AUTH_TAG, `<meta name="casebook-auth" content="${auth}">`);
    files.set("index.html", { ...index, body: Buffer.from(html, "utf8") });
  }
  return {
    built: index !== undefined,
    folder,
    answers: (req, url) =>
      url.pathname === "/ui" || url.pathname.startsWith(DASHBOARD_PATH) || (url.pathname === "/" && wantsPage(req)),
    serve(req, res, url) {
      if (url.pathname === "/") return redirect(res, DASHBOARD_PATH);
      setSecurityHeaders(req, res);
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("allow", "GET, HEAD");
        return sendText(res, 405, "The dashboard only answers GET and HEAD.");
      }
      if (url.pathname === "/ui") return redirect(res, DASHBOARD_PATH);
      const relative = url.pathname.slice(DASHBOARD_PATH.length);
      const file = files.get(relative);
      if (file) return send(req, res, file);
      // A path with an extension names a file that is not there; anything else is one of the
      // app's own pages (/ui/missions/…), which index.html shows.
      if (path.extname(relative) !== "") return sendText(res, 404, `No file ${url.pathname}.`);
      if (!index) {
        return sendText(res, 503, "The dashboard is not built: run `npm run build` (npm start does), then restart.");
      }
      return send(req, res, files.get("index.html")!);
    },
  };
}

/** Whether `GET /` came from a browser, which is sent to the dashboard rather than told 404. */
function wantsPage(req: IncomingMessage): boolean {
  return (req.method === "GET" || req.method === "HEAD") && (req.headers.accept ?? "").includes("text/html");
}

function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader("location", location);
  res.end();
}

// A build running meanwhile (npm run build empties the folder first) can take files away between
// the listing and the reading: what is gone is left out, and the page says to build.
function readFolder(folder: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const relative = path.relative(folder, absolute).split(path.sep).join("/");
    let body: Buffer;
    try {
      body = fs.readFileSync(absolute);
    } catch {
      continue;
    }
    files.set(relative, {
      body,
      contentType: CONTENT_TYPES[path.extname(entry.name)] ?? "application/octet-stream",
      immutable: relative.startsWith("assets/"),
    });
  }
  return files;
}

function send(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  res.statusCode = 200;
  res.setHeader("content-type", file.contentType);
  res.setHeader("content-length", file.body.length);
  res.setHeader("cache-control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.end(req.method === "HEAD" ? undefined : file.body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.setHeader("cache-control", "no-cache");
  res.end(text);
}

// Only the server itself: no CDN, no inline script, no framing. WebSocket URLs are named
// outright because older browsers do not count ws: as 'self'.
function setSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  const host = req.headers.host ?? "";
  const sockets = /^[\w.-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(host) ? ` ws://${host} wss://${host}` : "";
  res.setHeader(
    "content-security-policy",
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self'${sockets}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
}
