// What the database holds: entities by type and status, and the running ones (what the old
// layer reloaded into memory at start-up), read through the services.
import type { Database } from "../db/database.js";
import { tableAccess } from "../db/tables/table-access.js";
import type { EntityType } from "../domain/entities.js";
import { ENTITY_STATUSES, type EntityStatus, RUNNING_STATUSES } from "../domain/lifecycle.js";
import { createServices } from "../services/services.js";
import { MAX_PAGE_SIZE } from "../services/validation.js";

interface RunningEntity {
  type: EntityType;
  id: string;
  name: string;
  status: EntityStatus;
  updatedAt: string;
}

export interface StatusReport {
  engine: Database["engine"];
  location: string;
  migration: string | null;
  counts: Record<EntityType, Record<EntityStatus, number>>;
  /** Running entities, oldest first per type, at most `limit` of them. */
  running: RunningEntity[];
  runningTotal: number;
}

const TYPES: readonly EntityType[] = ["Mission", "Job", "Case"];

export async function databaseStatus(db: Database, options: { limit?: number } = {}): Promise<StatusReport> {
  const services = createServices(db.store);
  const limit = options.limit ?? 100;
  const counts = {} as StatusReport["counts"];
  const running: RunningEntity[] = [];
  let runningTotal = 0;
  for (const type of TYPES) {
    const service = services.byType[type];
    const byStatus = {} as Record<EntityStatus, number>;
    for (const status of ENTITY_STATUSES) byStatus[status] = await service.count({ status: [status] });
    counts[type] = byStatus;
    runningTotal += RUNNING_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
    let after: string | undefined;
    while (running.length < limit) {
      const page = await service.list({
        status: RUNNING_STATUSES,
        first: Math.min(MAX_PAGE_SIZE, limit - running.length),
        after,
      });
      for (const entity of page.items) {
        running.push({
          type,
          id: entity.id,
          name: entity.name,
          status: entity.status,
          updatedAt: entity.updatedAt.toISOString(),
        });
      }
      if (!page.hasNextPage || page.items.length === 0) break;
      after = page.cursors[page.cursors.length - 1];
    }
  }
  return {
    engine: db.engine,
    location: db.location,
    migration: await tableAccess(db).schemaVersion(),
    counts,
    running,
    runningTotal,
  };
}
