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
import { ChangeOrder } from "../types/list-inputs.js";
import { WorkflowEntity } from "../types/workflow-entity.js";

/** A change as GraphQL reads it: its cursor encoded when asked for, and the loaders its entity is read through. */
class ChangeValue {
  constructor(
    readonly record: ChangeRecord,
    /** A live event's own loaders; a page's changes share the request's. */
    readonly loaders?: Loaders,
    /** Read in the newest-first order: its cursor is one of that order. */
    readonly newestFirst = false,
  ) {}
  get cursor() {
    return encodeChangeCursor(this.record.seq, this.newestFirst);
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
      "The change feed: one change per write, in the order writes committed (oldest first unless `orderBy` says DESC, what an activity view reads). Resume with the last cursor you saw as `after`; a cursor older than the feed keeps (CHANGE_RETENTION_HOURS) is CURSOR_EXPIRED, a cursor of the other order BAD_USER_INPUT.",
  })
  async changes(
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size: 50 when left out, at most 500." })
    first: number | null,
    @Arg("filter", () => ChangeFilter, { nullable: true }) filter: ChangeFilter | null,
    @Arg("last", () => Int, { nullable: true, description: "The last changes before `before`; not with `first`." })
    last: number | null,
    @Arg("before", () => String, { nullable: true }) before: string | null,
    @Arg("orderBy", () => ChangeOrder, { nullable: true }) orderBy: ChangeOrder | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const page = await ctx.services.changes.page({ after, before, first, last, filter, orderBy });
    const nodes = page.items.map((record) => new ChangeValue(record, undefined, page.newestFirst));
    return {
      edges: nodes.map((node) => ({ cursor: node.cursor, node })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: nodes[0]?.cursor ?? null,
        endCursor: nodes.at(-1)?.cursor ?? null,
      },
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
