// Queries and mutations each entity type has in the same form: `job(id)`, `handleJobEvent`,
// `transitionJob`, `deleteJob` and their Mission and Case twins, written once.
import { Arg, type ClassType, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from "type-graphql";
import type { EntityRecordByType, EntityType } from "../../domain/entities.js";
import type { EntityEvent, EntityStatus } from "../../domain/lifecycle.js";
import type { GraphQLContext } from "../context.js";
import { recordWritten } from "../mutation-progress.js";
import { EntityEventEnum, EntityStatusEnum } from "../types/enums.js";
import { EventOptions } from "../types/shared-inputs.js";

/** After a write, loaders must not serve what they cached before it. */
export function written<T extends EntityType>(
  ctx: GraphQLContext,
  type: T,
  record: EntityRecordByType[T],
): EntityRecordByType[T] {
  ctx.loaders.clearAll();
  ctx.loaders.prime(type, record);
  return record;
}

export function entityResolverBase<T extends EntityType>(type: T, objectType: ClassType) {
  const field = type.charAt(0).toLowerCase() + type.slice(1);

  @Resolver()
  abstract class EntityResolverBase {
    @Query(() => objectType, { name: field, nullable: true, description: `The ${field} with this id, or null.` })
    async byId(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext) {
      return ctx.loaders.entity(type).load(id);
    }

    @UseMiddleware(recordWritten)
    @Mutation(() => objectType, {
      name: `handle${type}Event`,
      description: `Fires a lifecycle event on a ${field}. An event the status does not allow is INVALID_TRANSITION${
        type === "Mission"
          ? ""
          : `; START_WORK under a parent that is CANCELLING or terminal is ENTITY_FINISHED, naming the parent`
      }. Nothing is written by a refused event.`,
    })
    async handleEvent(
      @Arg("id", () => ID) id: string,
      @Arg("event", () => EntityEventEnum) event: EntityEvent,
      @Arg("options", () => EventOptions, { nullable: true }) options: EventOptions | null,
      @Ctx() ctx: GraphQLContext,
    ) {
      return written(ctx, type, await ctx.services.byType[type].handleEvent(id, event, options));
    }

    @UseMiddleware(recordWritten)
    @Mutation(() => objectType, {
      name: `transition${type}`,
      description: `Moves a ${field} to a status, by the one event that leads there.`,
    })
    async transitionTo(
      @Arg("id", () => ID) id: string,
      @Arg("to", () => EntityStatusEnum) to: EntityStatus,
      @Arg("options", () => EventOptions, { nullable: true }) options: EventOptions | null,
      @Ctx() ctx: GraphQLContext,
    ) {
      return written(ctx, type, await ctx.services.byType[type].transition(id, to, options));
    }

    @UseMiddleware(recordWritten)
    @Mutation(() => Boolean, {
      name: `delete${type}`,
      description: `Deletes a ${field} with everything under it and its history; false if there was none. A running ${field}${
        {
          Mission: ", or one with a running job or case under it,",
          Job: ", or one with a running case under it,",
          Case: "",
        }[type]
      } is refused with ENTITY_RUNNING unless force is true.`,
    })
    async remove(
      @Arg("id", () => ID) id: string,
      @Arg("force", () => Boolean, {
        nullable: true,
        defaultValue: false,
        description: "Delete even running work, whose agents would then work on records that are gone.",
      })
      force: boolean | null,
      @Ctx() ctx: GraphQLContext,
    ): Promise<boolean> {
      const deleted = await ctx.services.byType[type].delete(id, force);
      ctx.loaders.clearAll();
      return deleted;
    }
  }
  return EntityResolverBase;
}
