// The writer of the fan-out phase (bench/lib/fanout-phase.ts), in a process of its own: creates
// `count` missions on the database at `rate` per second, then prints "done".
// Usage: fanout-writer.ts <DATABASE_URL> <rate> <count>
import { openCasebook } from "../src/api/index.js";

const [databaseUrl, rate, count] = process.argv.slice(2);
if (!databaseUrl || !rate || !count) throw new Error("usage: fanout-writer.ts <DATABASE_URL> <rate> <count>");
const casebook = await openCasebook({ databaseUrl, env: { APP_ENV: "production", LOG_LEVEL: "silent" } });
const interval = 1000 / Number(rate);
const started = performance.now();
for (let i = 0; i < Number(count); i++) {
  // A steady rate: each write at its own time, whatever the previous one cost.
  const due = started + i * interval;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  await casebook.missions.create({ id: `fanout-${process.pid}-${i}`, name: "fan-out" });
}
await casebook.close();
process.stdout.write("done\n");
