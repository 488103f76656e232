// The Apollo floor's schema: the slice of casebook's schema the scenarios use (same types,
// arguments and input types, declared with type-graphql the same way), with resolvers that run
// casebook's SQL straight on the driver (baseline-data.ts): synchronously on SQLite, as promises
// on PostgreSQL. The nested reads' part of the slice (missions, their jobs, counts, transitions)
// is in floor-nested.ts.
import "reflect-metadata";
import { GraphQLError, type GraphQLSchema } from "graphql";
import {
  Arg,
  Args,
  ArgsType,
  buildSchema,
  type ClassType,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from "type-graphql";
import { type BaselineData, settle } from "./baseline-data.js";
import { EventError, type JobRow } from "./baseline-rules.js";
import { childConnection, inLevel } from "./floor-levels.js";

// Set once by buildFloorSchema, before any request.
let data: BaselineData;

const STATUSES = ["STOPPED", "IN_PROGRESS", "CANCELLING", "AWAITING", "COMPLETED", "FAILED", "CANCELLED"] as const;
const EVENTS = [
  "START_WORK",
  "SUCCESSFULLY_DONE",
  "AWAITING_ON_INPUT",
  "CANCEL_REQUESTED",
  "ERROR_ENCOUNTERED",
  "TIMEOUT_OR_ERROR",
  "INPUT_RECEIVED",
  "CANCEL_WHILE_WAITING",
  "CANCEL_CONFIRMED",
] as const;
const EntityStatus = Object.fromEntries(STATUSES.map((s) => [s, s]));
const EntityEvent = Object.fromEntries(EVENTS.map((e) => [e, e]));

export { EntityEvent, EntityStatus };

registerEnumType(EntityStatus, { name: "EntityStatus" });
registerEnumType(EntityEvent, { name: "EntityEvent" });

@ObjectType()
export class Case {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => EntityStatus) status!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID) jobId!: string;
}

@ObjectType()
class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
class CaseEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Case) node!: Case;
}

@ObjectType()
class CaseConnection {
  @Field(() => [CaseEdge]) edges!: CaseEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class Job {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => EntityStatus) status!: string;
  @Field(() => Int) version!: number;
  @Field(() => String) agentName!: string;
}

@ArgsType()
export class StatusPageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => [EntityStatus], { nullable: true }) status?: string[] | null;
}

@InputType()
class EventOptions {
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
  @Field(() => String, { nullable: true }) idempotencyKey?: string | null;
  @Field(() => String, { nullable: true }) actor?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@Resolver(() => Job)
class JobResolver {
  @Query(() => Job, { nullable: true })
  job(@Arg("id", () => ID) id: string) {
    return settle(
      () => data.job(id),
      (job) => job ?? null,
    );
  }

  @FieldResolver(() => CaseConnection)
  cases(@Root() job: JobRow, @Args(() => StatusPageArgs) args: StatusPageArgs) {
    const first = args.first ?? 50;
    // A job of a nested read: its cases come with those of every job of its level.
    if (inLevel(job)) return childConnection(data.nested, job, "cases", first);
    return settle(
      () => data.casesOfJob(job.id, first),
      (rows) => {
        const page = rows.slice(0, first);
        const cursors = page.map((r) => Buffer.from(JSON.stringify([r.createdAt, r.id])).toString("base64url"));
        return {
          edges: page.map((node, i) => ({ cursor: cursors[i]!, node })),
          pageInfo: { hasNextPage: rows.length > first, endCursor: cursors.at(-1) ?? null },
        };
      },
    );
  }

  @Mutation(() => Job)
  handleJobEvent(
    @Arg("id", () => ID) id: string,
    @Arg("event", () => EntityEvent) event: string,
    @Arg("options", () => EventOptions, { nullable: true }) _options: EventOptions | null,
  ) {
    return settle(
      () => data.jobEvent(id, event),
      (job) => job,
      (error) => {
        if (error instanceof EventError) throw new GraphQLError(error.message, { extensions: { code: error.code } });
        throw error;
      },
    );
  }
}

/** The schema, with the resolvers of the rest of the slice (floor-nested.ts). */
export function buildFloorSchema(source: BaselineData, more: ClassType[]): Promise<GraphQLSchema> {
  data = source;
  return buildSchema({ resolvers: [JobResolver, ...more] as [ClassType, ...ClassType[]], validate: false });
}
