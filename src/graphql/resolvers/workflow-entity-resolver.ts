// Fields every entity type computes the same way, resolved once for the interface.
import { Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RecordView } from "../../db/record-views.js";
import type { EntityType } from "../../domain/entities.js";
import { type EntityEvent, isRunning, isTerminal, validEvents } from "../../domain/lifecycle.js";
import type { GraphQLContext } from "../context.js";
import { toConnection } from "../types/connection.js";
import { EntityEventEnum } from "../types/enums.js";
import { PageArgs } from "../types/shared-inputs.js";
import { TransitionConnection } from "../types/transition.js";
import { entityTypeOf, WorkflowEntity } from "../types/workflow-entity.js";

@Resolver(() => WorkflowEntity)
export class WorkflowEntityResolver {
  @FieldResolver(() => Boolean, { description: "IN_PROGRESS, CANCELLING or AWAITING." })
  isRunning(@Root() entity: RecordView<EntityType>): boolean {
    return isRunning(entity.status);
  }

  @FieldResolver(() => Boolean, { description: "COMPLETED, FAILED or CANCELLED: no event leads out." })
  isTerminal(@Root() entity: RecordView<EntityType>): boolean {
    return isTerminal(entity.status);
  }

  @FieldResolver(() => [EntityEventEnum], { description: "Events that may fire from the current status." })
  validEvents(@Root() entity: RecordView<EntityType>): readonly EntityEvent[] {
    return validEvents(entity.status);
  }

  @FieldResolver(() => TransitionConnection, { description: "The entity's lifecycle history, oldest first." })
  async transitions(
    @Root() entity: RecordView<EntityType>,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ) {
    const type = entityTypeOf(entity);
    const page = await ctx.loaders.transitions(type, args).load(entity.id);
    // Records are nodes as they are: the ID scalar writes their numeric id as a string.
    return toConnection(page, () => ctx.loaders.transitionCounts(type).load(entity.id));
  }
}
