import type { EntityFilter } from "../db/store.js";
import { MAX_COST, MAX_COST_MICROS, microsToCost } from "../domain/cost.js";
import type { CaseRecord, CaseUpdateRecord, JsonObject, JsonValue, Page } from "../domain/entities.js";
import { BadUserInputError, InvalidTransitionError } from "../domain/errors.js";
import { refuseIfClosedAncestor, refuseIfFinished } from "../domain/finished-rules.js";
import { nextStatus, validEvents } from "../domain/lifecycle.js";
import { EntityService, type ListArgs } from "./entity-service.js";
import type { EventOptions } from "./event-options.js";
import {
  costMicros,
  lookupText,
  metadataEdit,
  optionalJson,
  optionalText,
  pageSize,
  requiredText,
  requiredTextEdit,
  UNPAGINATED_LIST_CAP,
} from "./validation.js";

export interface StartCaseInput {
  jobId: string;
  id?: string | null;
  name: string;
  description?: string | null;
  metadata?: JsonObject | null;
  actor?: string | null;
  reason?: string | null;
}

/** Fields to change on a case; left out, a field keeps its value. */
export interface CaseEditInput {
  name?: string | null;
  description?: string | null;
  metadata?: JsonObject | null;
  finalDelivery?: JsonValue | null;
}

/** One step appended to a case. */
export interface CaseStepInput {
  name?: string | null;
  cost?: number | null;
  payload?: JsonValue | null;
  /** A final step's payload becomes the case's finalDelivery. */
  isFinal?: boolean | null;
  /** A step with an error fires ERROR_ENCOUNTERED on the case. */
  error?: string | null;
  actor?: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface CaseListArgs extends ListArgs {
  jobId?: string | null;
  /** Cases of the jobs of this mission. */
  missionId?: string | null;
}

export class CaseService extends EntityService<"Case"> {
  /** Creates the case STOPPED and starts it (START_WORK) in the same transaction. */
  async start(input: StartCaseInput): Promise<CaseRecord> {
    const record: CaseRecord = {
      ...this.newEntity(input, "case"),
      jobId: lookupText(input.jobId, "jobId"),
      description: optionalText(input.description, "description") ?? null,
      totalCostMicros: 0,
      finalDelivery: null,
      error: null,
    };
    const options: EventOptions = { actor: input.actor, reason: input.reason };
    return this.store.transaction(async (tx) => {
      const ancestors = typeof input.jobId === "string" ? await tx.workflow.ancestors("Job", input.jobId) : [];
      if (ancestors.length === 0) {
        throw new BadUserInputError(`jobId "${String(input.jobId)}" names no job`, "jobId");
      }
      refuseIfClosedAncestor(ancestors, "it takes no new cases");
      await this.insertNew(tx, record, options.actor ?? null);
      return this.lifecycle.apply(tx, "Case", record.id, { event: "START_WORK" }, options);
    });
  }

  async update(id: string, input: CaseEditInput, expectedVersion?: number | null): Promise<CaseRecord> {
    return this.applyEdit(
      id,
      {
        name: requiredTextEdit(input.name, "name"),
        description: optionalText(input.description, "description"),
        metadata: metadataEdit(input.metadata),
        finalDelivery: optionalJson(input.finalDelivery, "finalDelivery"),
      },
      expectedVersion,
    );
  }

  /**
   * Appends a step: its cost adds to totalCost, a final step sets finalDelivery, and a step
   * with an error fails the case (ERROR_ENCOUNTERED). All of it, or none of it when the error
   * cannot fire from the case's status.
   */
  async addUpdate(caseId: string, update: CaseStepInput): Promise<CaseRecord> {
    lookupText(caseId, "caseId");
    const cost = costMicros(update.cost, "cost");
    const payload = optionalJson(update.payload, "payload") ?? null;
    const step = {
      // A step may go unnamed; a name it has needs a visible character, as every name does.
      name: update.name === undefined || update.name === null ? null : requiredText(update.name, "name", 1000),
      costMicros: cost,
      payload,
      isFinal: update.isFinal ?? false,
      // An empty error would fail the case with no reason: leave it out for a step that went well.
      error: update.error === undefined || update.error === null ? null : requiredText(update.error, "error", 100_000),
    };
    return this.store.transaction(async (tx) => {
      const existing = await this.requireExisting(tx, caseId);
      refuseIfFinished("Case", existing, "it takes no more steps");
      if (step.error !== null && nextStatus(existing.status, "ERROR_ENCOUNTERED") === undefined) {
        throw new InvalidTransitionError(
          "Case",
          caseId,
          existing.status,
          { event: "ERROR_ENCOUNTERED" },
          validEvents(existing.status),
        );
      }
      const totalCostMicros = existing.totalCostMicros + (cost ?? 0);
      if (totalCostMicros > MAX_COST_MICROS) {
        throw new BadUserInputError(
          `"cost" would take the case's totalCost past the maximum of ${MAX_COST}, at ${microsToCost(existing.totalCostMicros)} now`,
          "cost",
        );
      }
      const at = this.clock();
      await tx.caseUpdates.append({ caseId, ...step, at });
      // The case's own row records the step in the change feed (STEP_ADDED, with the version it left).
      const edited = await this.writeEdit(
        tx,
        existing,
        { totalCostMicros, finalDelivery: step.isFinal ? payload : undefined },
        { kind: "STEP_ADDED", actor: update.actor ?? null },
      );
      if (step.error === null) return edited;
      return this.lifecycle.apply(
        tx,
        "Case",
        caseId,
        { event: "ERROR_ENCOUNTERED" },
        { actor: update.actor, reason: step.error },
      );
    });
  }

  /** The first steps of each case, at most UNPAGINATED_LIST_CAP of them (Case.updates). */
  async updatesOf(caseIds: readonly string[]): Promise<Map<string, CaseUpdateRecord[]>> {
    const pages = await this.store.caseUpdates.listByCases(caseIds, { first: UNPAGINATED_LIST_CAP });
    return new Map(caseIds.map((id) => [id, pages.get(id)?.items ?? []]));
  }

  /** A page of steps of each case, in order (Case.steps). */
  async stepPages(caseIds: readonly string[], args: PageArgs): Promise<Map<string, Page<CaseUpdateRecord>>> {
    return this.store.caseUpdates.listByCases(caseIds, { first: pageSize(args.first), after: args.after ?? undefined });
  }

  async stepCounts(caseIds: readonly string[]): Promise<Map<string, number>> {
    return this.store.caseUpdates.countByCases(caseIds);
  }

  async listCases(args: CaseListArgs): Promise<Page<CaseRecord>> {
    return this.list(args, this.ownFilter(args));
  }

  async countCases(args: CaseListArgs): Promise<number> {
    return this.count(args, this.ownFilter(args));
  }

  override ownFilter(args: CaseListArgs): EntityFilter {
    const filter: EntityFilter = {};
    const jobId = lookupText(args.jobId, "jobId");
    if (jobId !== undefined && jobId !== null) filter.parentId = jobId;
    const missionId = lookupText(args.missionId, "missionId");
    if (missionId !== undefined && missionId !== null) filter.missionId = missionId;
    return filter;
  }
}
