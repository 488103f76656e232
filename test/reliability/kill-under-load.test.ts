// One of three casebook processes on one database is killed with SIGKILL under load, on each
// engine. The other two keep serving (every request they get succeeds), the killed one's clients
// send their unanswered mutation again to a survivor, as a load balancer would, and afterwards
// every acknowledged write is in the database and nothing is half-written.
import { afterAll, describe, expect, it } from "vitest";
import { missingAcks } from "../support/reliability/acks.js";
import { createTargetDatabase, ENGINES, type TargetDatabase } from "../support/reliability/engines.js";
import { checkInvariants } from "../support/reliability/invariants.js";
import { startLoad } from "../support/reliability/load.js";
import { type ServerProcess, startServerProcess } from "../support/reliability/server-process.js";

const PROCESSES = 3;
const CLIENTS = 9; // three per process
const MUTATIONS_PER_CLIENT = 120;
const KILL_AFTER_ACKS = 300; // of CLIENTS × MUTATIONS_PER_CLIENT
// A repeat's refusal that says the lost copy was applied; any other refusal is a failure.
const REPEAT_REFUSALS = new Set(["ALREADY_EXISTS", "VERSION_CONFLICT", "NOT_FOUND"]);

describe.each(ENGINES)("%s: one of several processes killed under load", (engine) => {
  let db: TargetDatabase;
  let servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.crash()));
    await db?.drop();
  });

  it(`${PROCESSES} processes, ${CLIENTS} clients × ${MUTATIONS_PER_CLIENT} mutations, one process SIGKILLed after ${KILL_AFTER_ACKS} acknowledgements`, async () => {
    db = await createTargetDatabase(engine);
    servers = await Promise.all(Array.from({ length: PROCESSES }, () => startServerProcess(db.url)));
    const victim = servers[0]!;
    let killedAt: number | undefined;
    let inFlightAtKill = 0;
    const started = Date.now();
    const load = startLoad({
      clients: CLIENTS,
      prefix: engine,
      mutationsPerClient: MUTATIONS_PER_CLIENT,
      retryDelayMs: 50,
      // The client's own server while it lives, then one of the others.
      target: (c) => {
        const home = servers[c % PROCESSES]!;
        const live = servers.filter((server) => server !== victim || killedAt === undefined);
        return (live.includes(home) ? home : live[c % live.length]!).url;
      },
      onAck: ({ acks, inFlight }) => {
        if (killedAt !== undefined || acks.length < KILL_AFTER_ACKS) return;
        killedAt = Date.now();
        inFlightAtKill = inFlight;
        void victim.crash();
      },
    });
    await load.finished;
    const ms = Date.now() - started;
    const { acks, attempts } = load;

    expect((await victim.exited).signal, "the victim was killed").toBe("SIGKILL");
    expect(load.unexpected, "mutations that did not end as they should").toEqual([]);
    const onSurvivors = attempts.filter((a) => a.url !== victim.url);
    const survivorFailures = onSurvivors.filter((a) => a.outcome !== "ok" && !REPEAT_REFUSALS.has(a.outcome));
    expect(survivorFailures, "requests the surviving processes did not serve").toEqual([]);
    const servedAfterKill = onSurvivors.filter((a) => a.startedAt >= killedAt! && a.outcome === "ok").length;
    expect(servedAfterKill, "requests served by the survivors after the kill").toBeGreaterThan(0);
    const lostAnswers = attempts.filter((a) => a.outcome === "network");
    expect(
      lostAnswers.filter((a) => a.url !== victim.url),
      "connections lost to a surviving process",
    ).toEqual([]);
    const repeatsRefused = onSurvivors.filter((a) => REPEAT_REFUSALS.has(a.outcome)).length;
    expect(repeatsRefused, "refused repeats, each of a copy whose answer was lost").toBeLessThanOrEqual(
      lostAnswers.length,
    );

    await Promise.all(servers.filter((server) => server !== victim).map((server) => server.stop()));
    servers = [];
    const { missing, report } = await db.read(async (reader) => ({
      missing: await missingAcks(reader, acks),
      report: await checkInvariants(reader),
    }));
    expect(missing, "acknowledged mutations missing").toEqual([]);
    expect(report.problems, "invariants after the kill").toEqual([]);
    console.log(
      `${engine}: ${CLIENTS * MUTATIONS_PER_CLIENT} mutations over ${PROCESSES} processes in ${ms} ms (${attempts.length} requests); ` +
        `killed one after ${KILL_AFTER_ACKS} acknowledgements, ${inFlightAtKill} mutations in flight over all processes; ` +
        `${lostAnswers.length} answers lost, sent again to a survivor (${repeatsRefused} found already applied); ` +
        `survivors served ${servedAfterKill} requests after the kill, all of them; ` +
        `${acks.length} acknowledgements, all present; ${report.entities} entities, ${report.transitions} transitions check out`,
    );
  });
});
