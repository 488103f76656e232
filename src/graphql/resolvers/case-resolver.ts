import type { GraphQLResolveInfo } from "graphql";
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from "type-graphql";
import type { RecordView } from "../../db/record-views.js";
import { UNPAGINATED_LIST_CAP } from "../../services/validation.js";
import type { GraphQLContext } from "../context.js";
import { recordWritten } from "../mutation-progress.js";
import { Case, CaseConnection, CaseUpdate, CaseUpdateConnection } from "../types/case.js";
import { CaseEditInput, CaseStepInput, CasesArgs, StartCaseInput } from "../types/case-inputs.js";
import { Job } from "../types/job.js";
import { PageArgs } from "../types/shared-inputs.js";
import { entityResolverBase, written } from "./entity-resolver-base.js";
import { caseJob, caseSteps, caseTotalCost } from "./nested-fields.js";
import { topLevelList } from "./top-level-list.js";

@Resolver(() => Case)
export class CaseResolver extends entityResolverBase("Case", Case) {
  @Query(() => CaseConnection, { description: "Cases in the order asked for (createdAt, then id, by default)." })
  async cases(@Args(() => CasesArgs) args: CasesArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return topLevelList(ctx.services.cases, args, ctx, info);
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Case, {
    description:
      "Creates a case on an existing job and starts it: it ends IN_PROGRESS. A job, or a job's mission, that is CANCELLING or terminal takes no new cases: ENTITY_FINISHED, naming it.",
  })
  async startCase(@Arg("input", () => StartCaseInput) input: StartCaseInput, @Ctx() ctx: GraphQLContext) {
    return written(ctx, "Case", await ctx.services.cases.start(input));
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Case, {
    description:
      "Edits non-status fields; bumps the version. A COMPLETED, FAILED or CANCELLED case is ENTITY_FINISHED.",
  })
  async updateCase(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => CaseEditInput) input: CaseEditInput,
    @Arg("expectedVersion", () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return written(ctx, "Case", await ctx.services.cases.update(id, input, expectedVersion));
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Case, {
    description:
      "Appends a step: its cost adds to totalCost; a step with an error fires ERROR_ENCOUNTERED and becomes the case's error. A COMPLETED, FAILED or CANCELLED case takes no steps: ENTITY_FINISHED.",
  })
  async addCaseUpdate(
    @Arg("caseId", () => ID) caseId: string,
    @Arg("update", () => CaseStepInput) update: CaseStepInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return written(ctx, "Case", await ctx.services.cases.addUpdate(caseId, update));
  }

  @FieldResolver(() => Float)
  totalCost(@Root() record: RecordView<"Case">) {
    return caseTotalCost(record);
  }

  @FieldResolver(() => Job)
  job(@Root() record: RecordView<"Case">, @Ctx() ctx: GraphQLContext) {
    return caseJob(record, undefined, ctx);
  }

  @FieldResolver(() => [CaseUpdate], {
    description: `The case's first steps, in order: at most ${UNPAGINATED_LIST_CAP}. steps pages through all of them.`,
    deprecationReason: `Returns at most the first ${UNPAGINATED_LIST_CAP} steps: use steps(first, after), which pages through them and counts them (totalCount).`,
  })
  async updates(@Root() record: RecordView<"Case">, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.caseUpdates().load(record.id);
  }

  @FieldResolver(() => CaseUpdateConnection, { description: "The case's steps, in order (by index)." })
  async steps(
    @Root() record: RecordView<"Case">,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return caseSteps(record, args, ctx, info);
  }
}
