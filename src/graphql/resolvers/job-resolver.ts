import type { GraphQLResolveInfo } from "graphql";
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
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
import { toConnection } from "../types/connection.js";
import { Job, JobConnection } from "../types/job.js";
import { CreateJobInput, JobsArgs, UpdateJobInput } from "../types/job-inputs.js";
import { Mission } from "../types/mission.js";
import { StatusPageArgs } from "../types/shared-inputs.js";
import { entityResolverBase, written } from "./entity-resolver-base.js";
import { jobCases, jobMission } from "./nested-fields.js";

@Resolver(() => Job)
export class JobResolver extends entityResolverBase("Job", Job) {
  @Query(() => JobConnection, { description: "Jobs by createdAt, then id." })
  async jobs(@Args(() => JobsArgs) args: JobsArgs, @Ctx() ctx: GraphQLContext) {
    const page = await ctx.services.jobs.listJobs(args);
    return toConnection(page, () => ctx.services.jobs.countJobs(args));
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

  @FieldResolver(() => CaseConnection, { description: "The job's cases by createdAt, then id." })
  cases(
    @Root() job: RecordView<"Job">,
    @Args(() => StatusPageArgs) args: StatusPageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return jobCases(job, args, ctx, info);
  }
}
