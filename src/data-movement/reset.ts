// Empties casebook's database: every row of every table, in one transaction, the schema and
// its migrations kept (what the old layer's reset_storage() did to its tables). Refuses while
// work is running, unless forced: a running agent would find its entities gone.
import type { Database } from "../db/database.js";
import { tableAccess } from "../db/tables/table-access.js";
import { createServices } from "../services/services.js";
import { RefusedError } from "./errors.js";

export async function resetDatabase(db: Database, options: { force?: boolean } = {}): Promise<Record<string, number>> {
  if (!options.force) {
    const running = await createServices(db.store).runningCounts();
    const total = running.missions + running.jobs + running.cases;
    if (total > 0) {
      throw new RefusedError(
        `${running.missions} missions, ${running.jobs} jobs and ${running.cases} cases are running; ` +
          `stop them first, or reset with --force`,
      );
    }
  }
  const access = tableAccess(db);
  const tables = await access.describe();
  return access.write(async (writer) => {
    const deleted: Record<string, number> = {};
    for (const table of tables) deleted[table.name] = await writer.count(table);
    await writer.deleteAll(tables);
    return deleted;
  });
}
