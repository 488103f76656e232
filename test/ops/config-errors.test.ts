// A bad setting stops the real service before it does anything: exit code 2 and exactly one
// line on stderr naming the variable, no stack trace. Settings also come from a .env file.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { tempDir } from "../support/database.js";
import { graphql, startChild } from "../support/service-process.js";

const TSX = pathToFileURL(path.join(PACKAGE_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const MAIN = path.join(PACKAGE_ROOT, "src/server/main.ts");
const dir = tempDir("casebook-config-errors-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function startService(env: Record<string, string>, cwd = PACKAGE_ROOT) {
  // tsx reads the project's tsconfig (decorators) even when the service runs in another folder.
  const tsconfig = path.join(PACKAGE_ROOT, "tsconfig.json");
  return startChild(
    process.execPath,
    ["--import", TSX, MAIN],
    { LOG_LEVEL: "info", TSX_TSCONFIG_PATH: tsconfig, ...env },
    cwd,
  );
}

async function expectRefused(env: Record<string, string>, variable: string, cwd = PACKAGE_ROOT) {
  const child = startService(env, cwd);
  const { code } = await child.exited;
  const lines = child.stderr().trimEnd().split("\n");
  expect(code).toBe(2);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^casebook: invalid configuration: ${variable}: `));
  expect(child.stderr()).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(child.stdout()).toBe("");
  return lines[0]!;
}

describe("the service refuses bad settings with one line", () => {
  it.concurrent("PORT=abc", async () => {
    const line = await expectRefused({ PORT: "abc", DATABASE_URL: `file:${dir}/port.db` }, "PORT");
    expect(line).toContain('"abc"');
  });

  it.concurrent("DATABASE_URL in a folder that cannot be created", async () => {
    fs.writeFileSync(path.join(dir, "afile"), "a file, not a folder");
    const line = await expectRefused({ DATABASE_URL: `file:${dir}/afile/sub/entities.db` }, "DATABASE_URL");
    expect(line).toContain(path.join(dir, "afile", "sub"));
  });

  // Node's recursive mkdir never returns below /proc: this start-up used to hang, silent.
  (fs.existsSync("/proc/self") ? it.concurrent : it.skip)("DATABASE_URL in a folder below /proc", async () => {
    const line = await expectRefused({ DATABASE_URL: "file:/proc/casebook/entities.db" }, "DATABASE_URL");
    expect(line).toContain("/proc/casebook");
  });

  it.concurrent("DATABASE_URL naming a folder instead of a file", async () => {
    const folder = path.join(dir, "a-folder.db");
    fs.mkdirSync(folder);
    const line = await expectRefused({ DATABASE_URL: `file:${folder}` }, "DATABASE_URL");
    expect(line).toContain(`${folder} is a folder`);
  });

  it.concurrent("APP_ENV=staging", async () => {
    const line = await expectRefused({ APP_ENV: "staging" }, "APP_ENV");
    expect(line).toContain("development, test, production");
  });

  it.concurrent("a bad value in .env", async () => {
    const cwd = path.join(dir, "with-bad-env");
    fs.mkdirSync(cwd);
    fs.writeFileSync(path.join(cwd, ".env"), "GRAPHQL_INTROSPECTION=sometimes\n");
    await expectRefused({}, "GRAPHQL_INTROSPECTION", cwd);
  });
});

describe("a SQLite file that cannot be opened as a database", () => {
  it("stops start-up with exit code 2 and one line on stderr naming DATABASE_URL", async () => {
    const file = path.join(dir, "not-a-database.db");
    fs.writeFileSync(file, "plain text, not SQLite ".repeat(100));
    const child = startService({ DATABASE_URL: `file:${file}` });
    const { code } = await child.exited;
    const lines = child.stderr().trimEnd().split("\n");
    expect(code).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^casebook: cannot start: DATABASE_URL: cannot open the SQLite database /),
    ]);
    expect(lines[0]).toContain(file);
    expect(fs.readFileSync(file, "utf8")).toBe("plain text, not SQLite ".repeat(100));
  });
});

describe(".env", () => {
  it("supplies settings the environment does not, and the environment wins", async () => {
    const cwd = path.join(dir, "with-env");
    fs.mkdirSync(cwd);
    fs.writeFileSync(
      path.join(cwd, ".env"),
      ["DATABASE_URL=file:./from-dotenv.db", "PORT=abc", "APP_ENV=test", "LOG_LEVEL=info"].join("\n"),
    );
    const child = startService({ PORT: "0" }, cwd);
    try {
      const ready = await child.waitForLog((l) => typeof l.url === "string");
      expect(ready.appEnv).toBe("test");
      const { data } = await graphql(ready.url as string, "{ missions { totalCount } }");
      expect(data).toEqual({ missions: { totalCount: 0 } });
      expect(fs.existsSync(path.join(cwd, "from-dotenv.db"))).toBe(true);
    } finally {
      child.signal("SIGTERM");
      expect((await child.exited).code).toBe(0);
    }
  });
});
