// Every repository over one connection, and the transaction boundary the services use.
import { CaseUpdateRepository } from "./case-update-repository.js";
import { EntityRepository } from "./entity-repository.js";
import { CASE_TABLE, JOB_TABLE, MISSION_TABLE } from "./entity-tables.js";
import type { SqlDatabase } from "./sql-database.js";
import { TransitionRepository } from "./transition-repository.js";

export function createRepositories(db: SqlDatabase) {
  return {
    missions: new EntityRepository(db, MISSION_TABLE),
    jobs: new EntityRepository(db, JOB_TABLE),
    cases: new EntityRepository(db, CASE_TABLE),
    transitions: new TransitionRepository(db),
    caseUpdates: new CaseUpdateRepository(db),
    /** All-or-nothing: everything `work` writes is committed together or not at all. */
    transaction: <T>(work: () => T): T => db.transaction(work),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
