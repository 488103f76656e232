// Fields every entity type computes the same way, resolved once for the interface.
import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import type { RecordView } from "../../db/record-views.js";
import type { EntityType } from "../../domain/entities.js";
import type { EntityEvent } from "../../domain/lifecycle.js";
import type { GraphQLContext } from "../context.js";
import { EntityEventEnum } from "../types/enums.js";
import { TransitionPageArgs } from "../types/list-inputs.js";
import { TransitionConnection } from "../types/transition.js";
import { WorkflowEntity } from "../types/workflow-entity.js";
import { entityIsRunning, entityIsTerminal, entityTransitions, entityValidEvents } from "./nested-fields.js";

@Resolver(() => WorkflowEntity)
export class WorkflowEntityResolver {
  @FieldResolver(() => Boolean, { description: "IN_PROGRESS, CANCELLING or AWAITING." })
  isRunning(@Root() entity: RecordView<EntityType>): boolean {
    return entityIsRunning(entity);
  }

  @FieldResolver(() => Boolean, { description: "COMPLETED, FAILED or CANCELLED: no event leads out." })
  isTerminal(@Root() entity: RecordView<EntityType>): boolean {
    return entityIsTerminal(entity);
  }

  @FieldResolver(() => [EntityEventEnum], { description: "Events that may fire from the current status." })
  validEvents(@Root() entity: RecordView<EntityType>): readonly EntityEvent[] {
    return entityValidEvents(entity);
  }

  @FieldResolver(() => TransitionConnection, {
    description: "The entity's lifecycle history, oldest first (newest first with orderBy: { direction: DESC }).",
  })
  transitions(
    @Root() entity: RecordView<EntityType>,
    @Args(() => TransitionPageArgs) args: TransitionPageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    return entityTransitions(entity, args, ctx, info);
  }
}
