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
import type { GraphQLContext } from "../context.js";
import { recordWritten } from "../mutation-progress.js";
import { JobConnection } from "../types/job.js";
import { EntityListArgs } from "../types/list-inputs.js";
import { Mission, MissionConnection } from "../types/mission.js";
import { CreateMissionInput, UpdateMissionInput } from "../types/mission-inputs.js";
import { StatusCount } from "../types/status-count.js";
import { entityResolverBase, written } from "./entity-resolver-base.js";
import { casesStatusCounts, casesTotalCost, missionJobs } from "./nested-fields.js";
import { topLevelList } from "./top-level-list.js";

@Resolver(() => Mission)
export class MissionResolver extends entityResolverBase("Mission", Mission) {
  @Query(() => MissionConnection, { description: "Missions in the order asked for (createdAt, then id, by default)." })
  async missions(
    @Args(() => EntityListArgs) args: EntityListArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return topLevelList(ctx.services.missions, args, ctx, info);
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Mission, { description: "Creates a mission, STOPPED at version 0." })
  async createMission(@Arg("input", () => CreateMissionInput) input: CreateMissionInput, @Ctx() ctx: GraphQLContext) {
    return written(ctx, "Mission", await ctx.services.missions.create(input));
  }

  @UseMiddleware(recordWritten)
  @Mutation(() => Mission, {
    description:
      "Edits non-status fields; bumps the version. A COMPLETED, FAILED or CANCELLED mission is ENTITY_FINISHED.",
  })
  async updateMission(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateMissionInput) input: UpdateMissionInput,
    @Arg("expectedVersion", () => Int, { nullable: true }) expectedVersion: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return written(ctx, "Mission", await ctx.services.missions.update(id, input, expectedVersion));
  }

  @FieldResolver(() => JobConnection, {
    description: "The mission's jobs in the order asked for (createdAt, then id, by default).",
  })
  jobs(
    @Root() mission: RecordView<"Mission">,
    @Args(() => EntityListArgs) args: EntityListArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return missionJobs(mission, args, ctx, info);
  }

  @FieldResolver(() => Float, { description: "Sum of the totalCost of the cases of the mission's jobs." })
  totalCost(@Root() mission: RecordView<"Mission">, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    return casesTotalCost(mission, undefined, ctx, info);
  }

  @FieldResolver(() => [StatusCount], {
    description: "How many cases of the mission's jobs are in each status: statuses with some, in lifecycle order.",
  })
  caseStatusCounts(
    @Root() mission: RecordView<"Mission">,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return casesStatusCounts(mission, undefined, ctx, info);
  }
}
