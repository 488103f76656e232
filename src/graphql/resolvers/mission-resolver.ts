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
import type { GraphQLContext } from "../context.js";
import { recordWritten } from "../mutation-progress.js";
import { toConnection } from "../types/connection.js";
import { JobConnection } from "../types/job.js";
import { Mission, MissionConnection } from "../types/mission.js";
import { CreateMissionInput, UpdateMissionInput } from "../types/mission-inputs.js";
import { StatusPageArgs } from "../types/shared-inputs.js";
import { entityResolverBase, written } from "./entity-resolver-base.js";
import { missionJobs } from "./nested-fields.js";

@Resolver(() => Mission)
export class MissionResolver extends entityResolverBase("Mission", Mission) {
  @Query(() => MissionConnection, { description: "Missions by createdAt, then id." })
  async missions(@Args(() => StatusPageArgs) args: StatusPageArgs, @Ctx() ctx: GraphQLContext) {
    const page = await ctx.services.missions.list(args);
    return toConnection(page, () => ctx.services.missions.count(args));
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

  @FieldResolver(() => JobConnection, { description: "The mission's jobs by createdAt, then id." })
  jobs(
    @Root() mission: RecordView<"Mission">,
    @Args(() => StatusPageArgs) args: StatusPageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return missionJobs(mission, args, ctx, info);
  }
}
