// The casebook command as a real process, where no database is needed or the database cannot be
// used as it is: help, usage errors, a bad setting, a SQLite file with pending migrations (left
// uncreated by migrate --status), an unreachable PostgreSQL server. Its work on databases of
// both engines is tested in test/cli.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "../support/database.js";

const COMMANDS = ["import-tinydb", "export", "import", "reset", "status", "migrate"];

describe("casebook command line", () => {
  const dir = tempDir("casebook-cli-ops-");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("explains itself: --help for the whole and for each command, exit code 2 for what it does not know", async () => {
    const overview = await runCli(["--help"]);
    expect(overview.code).toBe(0);
    for (const name of COMMANDS) expect(overview.stdout).toContain(`  ${name}`);
    expect(overview.stdout).toMatch(/Exit codes: 0 done/);

    for (const name of COMMANDS) {
      const help = await runCli([name, "--help"]);
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).toMatch(new RegExp(`^Usage: casebook ${name}`));
    }

    expect((await runCli([])).code).toBe(2);
    const unknown = await runCli(["frobnicate"]);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
    const badOption = await runCli(["status", "--verbose"]);
    expect(badOption).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--verbose'") });
    const missing = await runCli(["import-tinydb"]);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("import-tinydb takes 1 argument, got 0"),
    });
  });

  it("reports a bad setting with exit code 2", async () => {
    const result = await runCli(["status"], { DATABASE_URL: "mysql://db/x" });
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining("invalid configuration: DATABASE_URL") });
  });

  it("lists pending migrations with exit code 7 without creating the file, then applies them", async () => {
    const file = path.join(dir, "new.db");
    const pending = await runCli(["migrate", "--status"], { DATABASE_URL: file });
    expect(pending).toMatchObject({ code: 7, stdout: expect.stringMatching(/^pending {3}\d{14}_init$/m) });
    expect(fs.existsSync(file)).toBe(false);

    const migrated = await runCli(["migrate"], { DATABASE_URL: file });
    expect(migrated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied {3}\d{14}_init$/m) });
    expect((await runCli(["migrate", "--status"], { DATABASE_URL: file })).code).toBe(0);
  });

  it("exits with code 3 on a database with a migration this casebook does not know", async () => {
    const file = path.join(dir, "newer.db");
    expect((await runCli(["migrate"], { DATABASE_URL: file })).code).toBe(0);
    const db = new SqlDatabase({ filename: file });
    db.run(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
       VALUES ('x', 'abc', 1, '20990101000000_future', 1, 1)`,
    );
    db.close();

    const status = await runCli(["migrate", "--status"], { DATABASE_URL: file });
    expect(status).toMatchObject({ code: 3, stdout: expect.stringContaining("unknown   20990101000000_future") });
    const opened = await runCli(["status"], { DATABASE_URL: file });
    expect(opened).toMatchObject({ code: 3, stderr: expect.stringContaining("20990101000000_future") });
  });

  it("exits with code 4 when PostgreSQL cannot be reached", async () => {
    const result = await runCli(["status"], {
      DATABASE_URL: "postgresql://casebook@127.0.0.1:1/casebook",
      DATABASE_CONNECT_TIMEOUT_MS: "1000",
    });
    expect(result).toMatchObject({
      code: 4,
      stderr: expect.stringContaining("cannot connect to PostgreSQL at 127.0.0.1:1"),
    });
  });
});
