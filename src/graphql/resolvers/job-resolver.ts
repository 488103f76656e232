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
import { CaseConnection } from "../types/case.js";
import { Job, JobConnection } from "../types/job.js";
import { CreateJobInput, JobsArgs, UpdateJobInput } from "../types/job-inputs.js";
import { CaseListArgs } from "../types/list-inputs.js";
import { Mission } from "../types/mission.js";
import { StatusCount } from "../types/status-count.js";
import { entityResolverBase, written } from "./entity-resolver-base.js";
import { casesStatusCounts, casesTotalCost, jobCases, jobMission } from "./nested-fields.js";
import { topLevelList } from "./top-level-list.js";

@Resolver(() => Job)
export class JobResolver extends entityResolverBase("Job", Job) {
  @Query(() => JobConnection, { description: "Jobs in the order asked for (createdAt, then id, by default)." })
  async jobs(@Args(() => JobsArgs) args: JobsArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return topLevelList(ctx.services.jobs, args, ctx, info);
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Job, {
    description:
      "Creates a job, STOPPED at version 0, in a mission or on its own. A mission that is CANCELLING or terminal takes no new jobs: ENTITY_FINISHED.",
  })
  async createJob(@Arg("input", () => CreateJobInput) input: CreateJobInput, @Ctx() ctx: GraphQLContext) {
    return written(ctx, "Job", await ctx.services.jobs.create(input));
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Job, {
    description: "Edits non-status fields; bumps the version. A COMPLETED, FAILED or CANCELLED job is ENTITY_FINISHED.",
  })
  async updateJob(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateJobInput) input: UpdateJobInput,
    @Arg("expectedVersion", () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return written(ctx, "Job", await ctx.services.jobs.update(id, input, expectedVersion));
  }

  @FieldResolver(() => Mission, { nullable: true })
  mission(@Root() job: RecordView<"Job">, @Ctx() ctx: GraphQLContext) {
    return jobMission(job, undefined, ctx);
  }

  @FieldResolver(() => [ID], {
    description: `Ids of the job's first cases, in list order: at most ${UNPAGINATED_LIST_CAP}. cases pages through all of them.`,
    deprecationReason: `Returns at most the first ${UNPAGINATED_LIST_CAP} ids: use cases(first, after) { edges { node { id } } totalCount }, which pages through them and counts them.`,
  })
  async caseIds(@Root() job: RecordView<"Job">, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.caseIds().load(job.id);
  }

  @FieldResolver(() => CaseConnection, {
    description: "The job's cases in the order asked for (createdAt, then id, by default).",
  })
  cases(
    @Root() job: RecordView<"Job">,
    @Args(() => CaseListArgs) args: CaseListArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return jobCases(job, args, ctx, info);
  }

  @FieldResolver(() => Float, { description: "Sum of the totalCost of the job's cases." })
  totalCost(@Root() job: RecordView<"Job">, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return casesTotalCost(job, undefined, ctx, info);
  }

  @FieldResolver(() => [StatusCount], {
    description: "How many of the job's cases are in each status: statuses with some, in lifecycle order.",
  })
  caseStatusCounts(@Root() job: RecordView<"Job">, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return casesStatusCounts(job, undefined, ctx, info);
  }
}
