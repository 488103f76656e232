// The dashboard's HTTP side, over real HTTP: files from the built folder with their types and
// caching, every app page answered with index.html, nothing outside the folder, a policy that
// allows only the server itself, the API key mode handed to the page, and the routes it must
// leave alone. The page itself is driven in a real browser by test/browser.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardRoute, type DashboardAuth, dashboardAuth } from "../../src/server/dashboard-route.js";
import { tempDir } from "../support/database.js";
import { startTestServer, type TestServer } from "../support/http.js";

const INDEX = `<!doctype html><html><head><meta name="casebook-auth" content="none" /></head><body>app</body></html>`;

function builtFolder(): string {
  const folder = tempDir("casebook-dashboard-");
  fs.mkdirSync(path.join(folder, "assets"));
  fs.writeFileSync(path.join(folder, "index.html"), INDEX);
  fs.writeFileSync(path.join(folder, "favicon.svg"), "<svg/>");
  fs.writeFileSync(path.join(folder, "assets/index-abc123.js"), "console.log(1)");
  fs.writeFileSync(path.join(folder, "assets/index-abc123.css"), "body{}");
  // Beside the folder: must never be reachable through it.
  fs.writeFileSync(path.join(folder, "..", `${path.basename(folder)}-secret.txt`), "top-secret-content");
  return folder;
}

async function serve(folder: string, auth: DashboardAuth) {
  const route = createDashboardRoute(folder, auth);
  const server = http.createServer((req, res) => route.serve(req, res, new URL(req.url ?? "/", "http://localhost")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { route, origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A raw request, so paths like /ui/../x reach the server as written. */
function get(
  origin: string,
  pathname: string,
  method = "GET",
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}${pathname}`, { method }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the dashboard route", () => {
  let folder: string;
  let served: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    folder = builtFolder();
    served = await serve(folder, "mutations");
  });
  afterAll(async () => {
    await served.close();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(`${folder}-secret.txt`, { force: true });
  });

  it("answers every app page with index.html, carrying the API key mode, never cached", async () => {
    for (const page of ["/ui/", "/ui/missions/m-1", "/ui/jobs", "/ui/cases/a%20b"]) {
      const res = await get(served.origin, page);
      expect(res.status, page).toBe(200);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.body).toContain('<meta name="casebook-auth" content="mutations">');
      expect(res.body).not.toContain('content="none"');
    }
  });

  it("serves built files with their types; hashed assets are cached for good", async () => {
    const script = await get(served.origin, "/ui/assets/index-abc123.js");
    expect(script).toMatchObject({ status: 200, body: "console.log(1)" });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const style = await get(served.origin, "/ui/assets/index-abc123.css");
    expect(style.headers["content-type"]).toBe("text/css; charset=utf-8");
    const icon = await get(served.origin, "/ui/favicon.svg");
    expect(icon.headers["content-type"]).toBe("image/svg+xml");
    expect(icon.headers["cache-control"]).toBe("no-cache");
    const head = await get(served.origin, "/ui/assets/index-abc123.js", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("sends /ui to /ui/, and refuses methods other than GET and HEAD", async () => {
    const bare = await get(served.origin, "/ui");
    expect(bare.status).toBe(302);
    expect(bare.headers.location).toBe("/ui/");
    const post = await get(served.origin, "/ui/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("knows only the files of its folder: missing files and paths that climb out are 404", async () => {
    const name = `${path.basename(folder)}-secret.txt`;
    for (const attempt of [
      "/ui/missing.js",
      `/ui/../${name}`,
      `/ui/%2e%2e/${name}`,
      `/ui/..%2f${name}`,
      "/ui/assets/../../package.json",
    ]) {
      const res = await get(served.origin, attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.body).not.toContain("top-secret-content");
    }
  });

  it("allows only the server itself: scripts, styles, and HTTP and WebSocket connections", async () => {
    const res = await get(served.origin, "/ui/");
    const host = new URL(served.origin).host;
    const policy = String(res.headers["content-security-policy"]);
    const directives = new Map(
      policy.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("style-src")).toEqual(["'self'"]);
    expect(directives.get("connect-src")).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("without a build, says how to make one", async () => {
    const empty = tempDir("casebook-dashboard-empty-");
    const unbuilt = await serve(empty, "none");
    try {
      expect(unbuilt.route.built).toBe(false);
      const res = await get(unbuilt.origin, "/ui/");
      expect(res.status).toBe(503);
      expect(res.body).toContain("npm run build");
    } finally {
      await unbuilt.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("the mode the page is told", () => {
  it("follows API_KEYS and REQUIRE_AUTH_FOR_QUERIES", () => {
    expect(dashboardAuth({ apiKeys: [], requireAuthForQueries: false })).toBe("none");
    expect(dashboardAuth({ apiKeys: [], requireAuthForQueries: true })).toBe("none");
    expect(dashboardAuth({ apiKeys: ["k"], requireAuthForQueries: false })).toBe("mutations");
    expect(dashboardAuth({ apiKeys: ["k"], requireAuthForQueries: true })).toBe("all");
  });
});

describe("the server's routes with the dashboard on and off", () => {
  let on: TestServer;
  let off: TestServer;
  beforeAll(async () => {
    on = await startTestServer();
    off = await startTestServer({ DASHBOARD: "false" });
  });
  afterAll(async () => {
    await on.stop();
    await off.stop();
  });

  it("sends a browser's GET / to /ui/; other clients still get the JSON 404", async () => {
    const browser = await fetch(`${on.origin}/`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(browser.status).toBe(302);
    expect(browser.headers.get("location")).toBe("/ui/");
    const tool = await fetch(`${on.origin}/`);
    expect(tool.status).toBe(404);
    expect(((await tool.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      "NOT_FOUND",
    );
  });

  it("with DASHBOARD=false, neither / nor /ui/ answers with a page", async () => {
    const browser = await fetch(`${off.origin}/`, { headers: { accept: "text/html" }, redirect: "manual" });
    expect(browser.status).toBe(404);
    const page = await fetch(`${off.origin}/ui/`);
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toContain("application/json");
  });

  it("leaves /graphql and /health as they were", async () => {
    for (const server of [on, off]) {
      expect((await fetch(`${server.origin}/health`)).status).toBe(200);
      const res = await server.request("{ lifecycle { runningStatuses } }");
      expect(res.data).toEqual({ lifecycle: { runningStatuses: ["IN_PROGRESS", "CANCELLING", "AWAITING"] } });
      expect(res.headers.get("content-security-policy")).toBeNull();
    }
  });
});
