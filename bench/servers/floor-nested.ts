// The nested reads' part of the Apollo floor's schema (floor-schema.ts has the rest): Mission and
// its jobs, connections with totalCount, validEvents and transitions on every entity, declared as
// casebook declares them. The resolvers batch per level (floor-levels.ts) over the raw statements
// of nested-data.ts. The reads select no cursors or pageInfo and pass no `after` or `status`, so
// these connections carry no cursors and the resolvers read only `first`.
import "reflect-metadata";
import { DateTimeResolver } from "graphql-scalars";
import {
  Args,
  ArgsType,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from "type-graphql";
import {
  childConnection,
  missionsConnection,
  type NestedConnection,
  transitionsConnection,
  validEvents,
} from "./floor-levels.js";
import { Case, EntityEvent, EntityStatus, Job, StatusPageArgs } from "./floor-schema.js";
import type { NestedData, NodeRow } from "./nested-data.js";

// Set once by floorNestedResolvers, before any request.
let data: NestedData;

@ObjectType()
class Transition {
  @Field(() => EntityEvent) event!: string;
  @Field(() => EntityStatus) toStatus!: string;
  @Field(() => DateTimeResolver) at!: string;
}

@ObjectType()
class TransitionEdge {
  @Field(() => Transition) node!: Transition;
}

@ObjectType()
class TransitionConnection {
  @Field(() => [TransitionEdge]) edges!: TransitionEdge[];
}

// The order of a page of transitions, as casebook declares it; the raw statements read the
// newest first, which is what the rich read asks for.
enum TransitionDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(TransitionDirection, { name: "OrderDirection" });

@InputType()
class TransitionOrder {
  @Field(() => TransitionDirection, { nullable: true }) direction?: TransitionDirection | null;
}

@ArgsType()
class TransitionPageArgs {
  @Field(() => Int, { nullable: true }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
  @Field(() => TransitionOrder, { nullable: true }) orderBy?: TransitionOrder | null;
}

@ObjectType()
class Mission {
  @Field(() => ID) id!: string;
  @Field(() => EntityStatus) status!: string;
}

@ObjectType()
class MissionEdge {
  @Field(() => Mission) node!: Mission;
}

@ObjectType()
class MissionConnection {
  @Field(() => [MissionEdge]) edges!: MissionEdge[];
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
class JobEdge {
  @Field(() => Job) node!: Job;
}

@ObjectType()
class JobConnection {
  @Field(() => [JobEdge]) edges!: JobEdge[];
  @Field(() => Int) totalCount!: number;
}

// Page sizes as casebook's: 50 when left out.
const pageSize = (first: number | null | undefined) => first ?? 50;

/** validEvents and transitions, on each entity type. */
function lifecycleFields(entity: typeof Mission | typeof Job | typeof Case) {
  @Resolver(() => entity)
  class LifecycleFieldsResolver {
    @FieldResolver(() => [EntityEvent])
    validEvents(@Root() row: NodeRow) {
      return validEvents(row.status);
    }

    @FieldResolver(() => TransitionConnection)
    transitions(@Root() row: NodeRow, @Args(() => TransitionPageArgs) args: TransitionPageArgs) {
      if (args.orderBy?.direction !== "DESC") throw new Error("this baseline reads transitions newest first only");
      return transitionsConnection(data, row, pageSize(args.first));
    }
  }
  return LifecycleFieldsResolver;
}

@Resolver(() => Mission)
class MissionResolver {
  @Query(() => MissionConnection)
  missions(@Args(() => StatusPageArgs) args: StatusPageArgs) {
    return missionsConnection(data, pageSize(args.first));
  }

  @FieldResolver(() => JobConnection)
  jobs(@Root() mission: NodeRow, @Args(() => StatusPageArgs) args: StatusPageArgs) {
    return childConnection(data, mission, "jobs", pageSize(args.first)) as unknown as NestedConnection<Job>;
  }
}

/** The resolvers of this part of the slice, on `source`. */
export function floorNestedResolvers(source: NestedData) {
  data = source;
  return [MissionResolver, lifecycleFields(Mission), lifecycleFields(Job), lifecycleFields(Case)];
}
