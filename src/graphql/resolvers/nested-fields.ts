// The fields a nested read resolves once per parent (relations) or once per object (computed
// fields), as plain functions of graphql-js's resolver arguments. The resolver classes declare
// these fields and call the functions; the built schema calls them directly (direct-resolvers.ts).
import type { GraphQLResolveInfo } from "graphql";
import type { RecordView } from "../../db/record-views.js";
import { microsToCost } from "../../domain/cost.js";
import type { CaseUpdateRecord, EntityType } from "../../domain/entities.js";
import { NotFoundError } from "../../domain/errors.js";
import { type EntityEvent, isRunning, isTerminal, validEvents } from "../../domain/lifecycle.js";
import type { PageArgs } from "../../services/list-args.js";
import type { GraphQLContext } from "../context.js";
import type { ChildPageArgs } from "../loaders.js";
import { noPage, pageIfSelected, selectsCounts, selectsPage, selectsStatusCounts } from "../page-selection.js";
import { connectionNodeColumns } from "../selected-columns.js";
import { toConnection } from "../types/connection-value.js";
import { statusCountList, sumOfCounts } from "../types/status-count.js";

type Entity = RecordView<EntityType>;

interface TransitionArgs extends PageArgs {
  orderBy?: { direction?: "ASC" | "DESC" | null } | null;
}

// Each connection reads its page only when the selection asks for edges or pageInfo
// (page-selection.ts): a count alone reads none.

export function missionJobs(
  mission: RecordView<"Mission">,
  args: ChildPageArgs,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
) {
  return childConnection("Job", mission.id, args, ctx, info);
}

export function jobCases(job: RecordView<"Job">, args: ChildPageArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  return childConnection("Case", job.id, args, ctx, info);
}

/**
 * A mission's jobs or a job's cases: the page of the columns its nodes read, and its counts (the
 * total from the status counts when both are asked for, so that they agree). A page asked for
 * with a count is read with its status counts in one snapshot, so that they agree too.
 */
function childConnection(
  child: "Job" | "Case",
  parentId: string,
  args: ChildPageArgs,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
) {
  const { loaders } = ctx;
  if (selectsPage(info) && selectsCounts(info)) {
    const byStatus = selectsStatusCounts(info);
    const columns = () => connectionNodeColumns(child, info.fieldNodes, info.fragments);
    return loaders
      .forField(info, "counted", () => loaders.childCountedPages(child, args, columns(), byStatus))
      .load(parentId)
      .then(({ page, totalCount, statusCounts }) =>
        toConnection(
          page,
          () => totalCount,
          () => statusCountList(statusCounts ?? new Map()),
        ),
      );
  }
  const statusCounts = () =>
    loaders.forField(info, "statusCounts", () => loaders.childStatusCounts(child, args)).load(parentId);
  const totalCount = selectsStatusCounts(info)
    ? () => statusCounts().then(sumOfCounts)
    : () => loaders.forField(info, "count", () => loaders.childCounts(child, args)).load(parentId);
  return pageIfSelected(ctx, info, { of: "children", entityType: child }, args, () =>
    loaders
      .forField(info, "page", () =>
        loaders.childPages(child, args, connectionNodeColumns(child, info.fieldNodes, info.fragments)),
      )
      .load(parentId),
  ).then((page) => toConnection(page, totalCount, () => statusCounts().then(statusCountList)));
}

/** The entity's history; its type is the object type GraphQL resolves the field on. */
export function entityTransitions(
  entity: Entity,
  rawArgs: TransitionArgs,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
) {
  const type = info.parentType.name as EntityType;
  const { loaders } = ctx;
  const args = () => ({ ...rawArgs, newestFirst: rawArgs.orderBy?.direction === "DESC" });
  // Records are nodes as they are: the ID scalar writes their numeric id as a string.
  if (selectsPage(info)) return loaders.forField(info, type, () => loaders.transitions(type, args())).load(entity.id);
  return noPage(ctx, { of: "transitions", entityType: type }, args).then((page) =>
    toConnection(page, () => loaders.transitionCounts(type).load(entity.id)),
  );
}

/** A page of the case's steps, in order. */
export function caseSteps(record: RecordView<"Case">, args: PageArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  return pageIfSelected(ctx, info, { of: "steps" }, args, () => ctx.loaders.steps(args).load(record.id)).then((page) =>
    toConnection(page, () => ctx.loaders.stepCounts().load(record.id)),
  );
}

// Costs are stored in micro-units (domain/cost.ts); GraphQL speaks units.
export const caseTotalCost = (record: RecordView<"Case">): number => microsToCost(record.totalCostMicros);

export const stepCost = (step: CaseUpdateRecord): number | null =>
  step.costMicros === null ? null : microsToCost(step.costMicros);

export function jobMission(job: RecordView<"Job">, _args: unknown, ctx: GraphQLContext) {
  return job.missionId === null ? null : ctx.loaders.entity("Mission").load(job.missionId);
}

export async function caseJob(record: RecordView<"Case">, _args: unknown, ctx: GraphQLContext) {
  const job = await ctx.loaders.entity("Job").load(record.jobId);
  // The foreign key makes this unreachable; a clear error beats a null in a non-null field.
  if (!job) throw new NotFoundError("Job", record.jobId);
  return job;
}

export const entityIsRunning = (entity: Entity): boolean => isRunning(entity.status);

export const entityIsTerminal = (entity: Entity): boolean => isTerminal(entity.status);

export const entityValidEvents = (entity: Entity): readonly EntityEvent[] => validEvents(entity.status);

/** Sum of the totalCost of a job's or a mission's cases, in units. */
export function casesTotalCost(parent: Entity, _args: unknown, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const type = info.parentType.name as "Mission" | "Job";
  return ctx.loaders
    .caseTotals(type)
    .load(parent.id)
    .then((totals) => microsToCost(totals.costMicros));
}

/** A job's or a mission's cases, counted by status. */
export function casesStatusCounts(parent: Entity, _args: unknown, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const type = info.parentType.name as "Mission" | "Job";
  return ctx.loaders
    .caseTotals(type)
    .load(parent.id)
    .then((totals) => statusCountList(totals.statusCounts));
}
