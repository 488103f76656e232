// `casebook` as real processes on the run's engine: each command doing its work on a real
// database, with its exit codes and messages (help and usage errors: test/ops/cli.test.ts).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/database.js";
import { TINYDB_FIXTURE, withoutExportTime } from "../support/dumps.js";
import { createEngineDatabase, type EngineDatabase } from "../support/engine.js";

describe("casebook command line", () => {
  let place: EngineDatabase;
  let env: Record<string, string>;
  const dir = tempDir("casebook-cli-files-");

  beforeAll(async () => {
    place = await createEngineDatabase();
    env = { DATABASE_URL: place.url };
  });

  afterAll(async () => {
    await place.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("imports a TinyDB file, refuses --strict on it, and changes nothing the second time", async () => {
    const strict = await runCli(["import-tinydb", TINYDB_FIXTURE, "--strict"], env);
    expect(strict.code).toBe(6);
    expect(strict.stderr).toContain("10 problems found with --strict: nothing was imported");
    expect(strict.stdout).toContain("problems: 10");

    const first = await runCli(["import-tinydb", TINYDB_FIXTURE], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^cases: imported 256 /m);
    expect(first.stdout).toContain("problems: 10");

    const second = await runCli(["import-tinydb", TINYDB_FIXTURE, "--json"], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      alreadyPresent: { Mission: 4, Job: 61, Case: 256 },
      transitions: 0,
    });

    const status = await runCli(["status", "--json", "--limit", "5"], env);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(Object.values(report.counts.Case as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(256);
    expect(report.running).toHaveLength(5);
    expect(report.runningTotal).toBeGreaterThan(5);
    const text = await runCli(["status"], env);
    expect(text.stdout).toMatch(/^IN_PROGRESS\s+\d+\s+\d+\s+\d+$/m);
  });

  it("exports, resets only when told to, and imports the export back exactly", async () => {
    const dump = path.join(dir, "dump.ndjson");
    const exported = await runCli(["export", "--output", dump], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/casebook export: \d[\d,]* rows \(Mission 4, Job 61, Case 256, /);

    expect(await runCli(["reset"], env)).toMatchObject({ code: 5, stderr: expect.stringContaining("--yes") });
    const running = await runCli(["reset", "--yes"], env);
    expect(running).toMatchObject({
      code: 5,
      stderr: expect.stringMatching(/are running; stop them first, or reset with --force/),
    });
    const intoFull = await runCli(["import", dump], env);
    expect(intoFull).toMatchObject({ code: 5, stderr: expect.stringContaining("already holds data") });

    const reset = await runCli(["reset", "--yes", "--force"], env);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/^deleted \d+ rows \(Mission 4, Job 61, Case 256, /);

    const truncated = path.join(dir, "truncated.ndjson");
    const lines = fs.readFileSync(dump, "utf8").trimEnd().split("\n");
    fs.writeFileSync(truncated, `${lines.slice(0, -1).join("\n")}\n`);
    expect(await runCli(["import", truncated], env)).toMatchObject({
      code: 6,
      stderr: expect.stringContaining("cut short"),
    });
    expect(await runCli(["import", path.join(dir, "absent.ndjson")], env)).toMatchObject({
      code: 6,
      stderr: expect.stringContaining("no such file"),
    });

    const imported = await runCli(["import", "-"], env, fs.readFileSync(dump, "utf8"));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported \d[\d,]* rows \(Mission 4, Job 61, Case 256, /);

    const again = await runCli(["export"], env);
    expect(again.code).toBe(0);
    expect(withoutExportTime(again.stdout)).toBe(withoutExportTime(fs.readFileSync(dump, "utf8")));
  });

  it("migrates, and says whether migrations are pending", async () => {
    const migrated = await runCli(["migrate"], env);
    expect(migrated).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/0 applied now, \d+ already applied: up to date/),
    });
    const status = await runCli(["migrate", "--status"], env);
    expect(status).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied {3}\d{14}_init$/m) });
    expect(status.stdout).toMatch(/up to date\n$/);
  });
});
