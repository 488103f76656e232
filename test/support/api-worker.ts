// One OS process using casebook in-process (openCasebook) on a database another process uses
// too: it starts its own cases on a shared job, then fires SUCCESSFULLY_DONE at a shared case,
// and reports what each call returned or the code it failed with.
// Usage: api-worker.ts <DATABASE_URL> <name> <shared job id> <shared case id> <cases>
import { DomainError, openCasebook } from "../../src/api/index.js";
import { describeError, readyAndWait, report } from "./worker-io.js";

const [databaseUrl, name, jobId, caseId, count] = process.argv.slice(2);
if (!databaseUrl || !name || !jobId || !caseId || !count) {
  throw new Error("usage: api-worker.ts <DATABASE_URL> <name> <shared job id> <shared case id> <cases>");
}
const casebook = await openCasebook({ databaseUrl, env: { APP_ENV: "test" } });
await readyAndWait();
try {
  for (let i = 0; i < Number(count); i++) {
    await casebook.cases.start({ jobId, id: `${name}-case-${i}`, name: `case ${i} of ${name}` });
    await casebook.cases.addStep(`${name}-case-${i}`, { name: "work", cost: 0.5 });
  }
  try {
    const done = await casebook.cases.handleEvent(caseId, "SUCCESSFULLY_DONE", { actor: name });
    report({ type: "finish", outcome: "applied", version: done.version });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    report({ type: "finish", outcome: error.code });
  }
  report({ type: "done", seen: (await casebook.cases.list({ jobId, first: 500 })).items.length });
} catch (error) {
  report({ type: "error", error: describeError(error) });
} finally {
  await casebook.close();
}
