// The change feed over GraphQL: pages of changes (Query.changes), the feed's end
// (Query.latestChangeCursor), and the live feed (Subscription.changes, over graphql-ws).
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import { encodeChangeCursor } from "../../db/cursor.js";
import type { RecordView } from "../../db/record-views.js";
import type { ChangeRecord } from "../../domain/changes.js";
import type { EntityType } from "../../domain/entities.js";
import { checkedChangeFilter } from "../../services/change-feed.js";
import type { GraphQLContext } from "../context.js";
import { createLoaders, type Loaders } from "../loaders.js";
import { Change, ChangeConnection, ChangeFilter } from "../types/change.js";
import { WorkflowEntity } from "../types/workflow-entity.js";

/** A change as GraphQL reads it: its cursor encoded when asked for, and the loaders its entity is read through. */
class ChangeValue {
  constructor(
    readonly record: ChangeRecord,
    /** A live event's own loaders; a page's changes share the request's. */
    readonly loaders?: Loaders,
  ) {}
  get cursor() {
    return encodeChangeCursor(this.record.seq);
  }
  get entityType() {
    return this.record.entityType;
  }
  get entityId() {
    return this.record.entityId;
  }
  get missionId() {
    return this.record.missionId;
  }
  get jobId() {
    return this.record.jobId;
  }
  get kind() {
    return this.record.kind;
  }
  get status() {
    return this.record.status;
  }
  get version() {
    return this.record.version;
  }
  get event() {
    return this.record.event;
  }
  get at() {
    return this.record.at;
  }
  get actor() {
    return this.record.actor;
  }
}

@Resolver(() => Change)
export class ChangeResolver {
  @Query(() => ChangeConnection, {
    description:
      "The change feed, oldest first: one change per write, in the order writes committed. Resume with the last cursor you saw as `after`; a cursor older than the feed keeps (CHANGE_RETENTION_HOURS) is CURSOR_EXPIRED.",
  })
  async changes(
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 50 when left out, at most 500." })
    first: number | null,
    @Arg("filter", () => ChangeFilter, { nullable: true }) filter: ChangeFilter | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const page = await ctx.services.changes.page(after, first, filter);
    const nodes = page.items.map((record) => new ChangeValue(record));
    return {
      edges: nodes.map((node) => ({ cursor: node.cursor, node })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: nodes.at(-1)?.cursor ?? null },
    };
  }

  @Query(() => String, {
    nullable: true,
    description:
      "The change feed's current end. Read the state you need, then subscribe to changes with this as `after`: nothing written in between is missed.",
  })
  async latestChangeCursor(@Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.changes.latestCursor();
  }

  @Subscription(() => Change, {
    name: "changes",
    description:
      "Changes as they commit, over graphql-ws at /graphql. With `after`, the changes since that cursor first, then live ones, with no gap and no repeat. Keep the last cursor received and pass it again after a reconnect.",
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      if (!ctx.live) throw new Error("subscriptions run over WebSocket only");
      const filter = checkedChangeFilter(args.filter as ChangeFilter | null);
      // Without a cursor, from the feed's end as it is now.
      const after =
        args.after === undefined || args.after === null
          ? await ctx.services.changes.latestPosition()
          : await ctx.services.changes.resumePoint(args.after as string, "after");
      return ctx.live.subscribe(after, filter);
    },
  })
  changesLive(
    @Root() change: ChangeRecord,
    @Ctx() ctx: GraphQLContext,
    @Arg("after", () => String, { nullable: true }) _after: string | null,
    @Arg("filter", () => ChangeFilter, { nullable: true }) _filter: ChangeFilter | null,
  ): ChangeValue {
    // Each event is read through loaders of its own: what an earlier event loaded may have changed since.
    return new ChangeValue(change, createLoaders(ctx.services));
  }

  @FieldResolver(() => WorkflowEntity, {
    nullable: true,
    description: "The entity as it is now (not as this change left it), read through the loaders; null once deleted.",
  })
  entity(@Root() change: ChangeValue, @Ctx() ctx: GraphQLContext): Promise<RecordView<EntityType> | null> {
    return (change.loaders ?? ctx.loaders).entity(change.entityType).load(change.entityId);
  }
}
