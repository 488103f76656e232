// Every DateTime is a timestamptz(3): an instant, kept in UTC, whatever TimeZone the server or a
// session runs in. Test databases run in a non-UTC zone (TEST_SERVER_TIME_ZONE), and these sessions
// pick others still, so an instant that came back shifted by an offset would show here.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTimestamptz } from "../../../src/db/postgres/pg-timestamps.js";
import { createMigratedTestDatabase, TEST_SERVER_TIME_ZONE, type TestDatabase } from "../../support/postgres.js";

// 10:30 UTC on the day the US moves its clocks forward: 02:30 that morning does not exist in Los
// Angeles, the kind of instant that a conversion through local time gets wrong.
const INSTANT = "2026-03-08T10:30:00.123Z";

let database: TestDatabase;
const clients: pg.Client[] = [];

beforeAll(async () => {
  database = await createMigratedTestDatabase();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
  await database?.drop();
});

/** A session in the given TimeZone, set the way a deployment would: in the connection URL. */
async function sessionIn(timeZone?: string): Promise<pg.Client> {
  const url = new URL(database.url);
  if (timeZone) url.searchParams.set("options", `-c TimeZone=${timeZone}`);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  clients.push(client);
  return client;
}

const timeZoneOf = async (client: pg.Client) =>
  (await client.query<{ TimeZone: string }>("SHOW TimeZone")).rows[0]!.TimeZone;

async function insertMission(client: pg.Client, id: string, updatedAt: unknown): Promise<void> {
  await client.query(`INSERT INTO "Mission" ("id", "name", "metadata", "updatedAt") VALUES ($1, 'm', '{}', $2)`, [
    id,
    updatedAt,
  ]);
}

async function updatedAtOf(client: pg.Client, id: string) {
  const result = await client.query<{ updatedAt: Date; epochMs: string; utc: string }>(
    `SELECT "updatedAt",
            (extract(epoch FROM "updatedAt") * 1000)::bigint::text AS "epochMs",
            to_char("updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS utc
     FROM "Mission" WHERE "id" = $1`,
    [id],
  );
  return result.rows[0]!;
}

describe("timestamps on a server that does not run in UTC", () => {
  it("test databases run in a non-UTC TimeZone unless a session says otherwise", async () => {
    expect(TEST_SERVER_TIME_ZONE).not.toMatch(/UTC|GMT/);
    expect(await timeZoneOf(await sessionIn())).toBe(TEST_SERVER_TIME_ZONE);
    expect(await timeZoneOf(await sessionIn("Asia/Kolkata"))).toBe("Asia/Kolkata");
  });

  it("an instant written as UTC text reads back as the same instant from sessions in any zone", async () => {
    const writer = await sessionIn("America/Los_Angeles");
    await insertMission(writer, "text", INSTANT);

    for (const zone of ["America/Los_Angeles", "Asia/Kolkata", "UTC"]) {
      const read = await updatedAtOf(await sessionIn(zone), "text");
      expect(read.updatedAt.toISOString(), zone).toBe(INSTANT);
      expect(Number(read.epochMs), zone).toBe(Date.parse(INSTANT));
      expect(read.utc, zone).toBe(INSTANT);
    }
  });

  it("a JavaScript Date round-trips through node-postgres unchanged, whatever the Node process's zone", async () => {
    // node-postgres sends a Date as local time with its offset; Node applies a new TZ at once.
    const processZone = process.env.TZ;
    process.env.TZ = "Australia/Adelaide";
    try {
      expect(new Date(INSTANT).getTimezoneOffset()).not.toBe(0);
      const writer = await sessionIn("Pacific/Chatham");
      await insertMission(writer, "date", new Date(INSTANT));
    } finally {
      if (processZone === undefined) delete process.env.TZ;
      else process.env.TZ = processZone;
    }

    const read = await updatedAtOf(await sessionIn("Asia/Kolkata"), "date");
    expect(read.updatedAt.getTime()).toBe(Date.parse(INSTANT));
    expect(read.utc).toBe(INSTANT);
  });

  it("an instant written with another offset is stored as the instant it names", async () => {
    const writer = await sessionIn("Asia/Kolkata");
    await insertMission(writer, "offset", "2026-03-08T02:30:00.123-08:00");

    expect((await updatedAtOf(writer, "offset")).utc).toBe(INSTANT);
  });

  it("keeps milliseconds, the precision of timestamptz(3)", async () => {
    const writer = await sessionIn();
    await insertMission(writer, "precise", "2026-03-08T10:30:00.123456Z");

    expect((await updatedAtOf(writer, "precise")).utc).toBe(INSTANT);
  });

  it("the database's own now() default records the current instant", async () => {
    const writer = await sessionIn("Asia/Kolkata");
    const before = Date.now();
    await insertMission(writer, "now", INSTANT);
    const after = Date.now();

    const reader = await sessionIn("America/Los_Angeles");
    const result = await reader.query<{ createdAt: Date }>(`SELECT "createdAt" FROM "Mission" WHERE "id" = 'now'`);
    const createdAt = result.rows[0]!.createdAt.getTime();
    // Both clocks are this machine's; allow for the millisecond rounding of timestamptz(3).
    expect(createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(createdAt).toBeLessThanOrEqual(after + 1);
  });
});

describe("casebook's timestamptz parser (pg-timestamps.ts)", () => {
  const driverParser = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, "text") as (text: string) => unknown;
  const asComparable = (value: unknown) => (value instanceof Date ? `date ${value.getTime()}` : value);

  it.each(["UTC", "Asia/Kolkata", "America/St_Johns"])(
    "reads what a session in %s sends as node-postgres's parser does",
    async (timeZone) => {
      const session = await sessionIn(timeZone);
      // The text as the server sends it: every sub-second precision, both sides of 1970, and
      // the shapes the fast path leaves to the driver (infinity, years below 100, BC, 5 digits).
      const { rows } = await session.query<{ text: string }>(
        `SELECT (timestamptz '2026-03-08 10:30:00+00' + i * interval '37 days 1 hour 1.000001 second'
                 + (i % 1000) * interval '1 millisecond' + (i % 7) * interval '1 microsecond')::text AS text
         FROM generate_series(-3000, 3000) AS i
         UNION ALL SELECT unnest(ARRAY['infinity'::timestamptz, '-infinity', '0099-01-01 00:00:00+00',
           '0001-01-01 00:00:00+00 BC', '12345-01-01 00:00:00+00', '1970-01-01 00:00:00.5+00'])::text`,
      );
      const differing = rows.filter(
        ({ text }) => asComparable(parseTimestamptz(text)) !== asComparable(driverParser(text)),
      );
      expect(rows.length).toBe(6007);
      expect(differing).toEqual([]);
    },
  );
});
