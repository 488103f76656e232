// How lists are ordered and filtered: the order inputs, time ranges, and the arguments every
// list of missions, jobs or cases takes. The services check the values (services/list-args.ts).
import { ArgsType, type ClassType, Field, ID, InputType, registerEnumType } from "type-graphql";
import { MAX_IDS, type OrderField, type TimeRangeArgs } from "../../services/list-args.js";
import { DateTimeScalar } from "./scalars.js";
import { RelayPageArgs, StatusPageArgs } from "./shared-inputs.js";

const OrderDirectionEnum = { ASC: "ASC", DESC: "DESC" } as const;
const EntityOrderFieldEnum = {
  CREATED_AT: "CREATED_AT",
  UPDATED_AT: "UPDATED_AT",
  FINISHED_AT: "FINISHED_AT",
  NAME: "NAME",
} as const;
const CaseOrderFieldEnum = { ...EntityOrderFieldEnum, TOTAL_COST: "TOTAL_COST" } as const;

registerEnumType(OrderDirectionEnum, { name: "OrderDirection" });
registerEnumType(EntityOrderFieldEnum, {
  name: "EntityOrderField",
  description:
    "What a list of missions or jobs is ordered by; ties by id. FINISHED_AT puts entities that have not finished after the others (last ascending, first descending). NAME compares as the database does: by code point on SQLite, by the database's collation on PostgreSQL.",
});
registerEnumType(CaseOrderFieldEnum, {
  name: "CaseOrderField",
  description: "What a list of cases is ordered by: an EntityOrderField, or TOTAL_COST; ties by id.",
});

type Direction = keyof typeof OrderDirectionEnum;

@InputType({ description: "The order of a list of missions or jobs." })
class EntityOrder {
  @Field(() => EntityOrderFieldEnum, { defaultValue: "CREATED_AT" })
  field!: OrderField;

  @Field(() => OrderDirectionEnum, { defaultValue: "ASC" })
  direction!: Direction;
}

@InputType({ description: "The order of a list of cases." })
class CaseOrder {
  @Field(() => CaseOrderFieldEnum, { defaultValue: "CREATED_AT" })
  field!: OrderField;

  @Field(() => OrderDirectionEnum, { defaultValue: "ASC" })
  direction!: Direction;
}

@InputType({
  description:
    "The order of an entity's transitions: by the order they were recorded (at, then id); ASC is oldest first.",
})
export class TransitionOrder {
  @Field(() => OrderDirectionEnum, { defaultValue: "ASC" })
  direction!: Direction;
}

@InputType({
  description: "The order of a page of changes: by position in the feed (commit order); ASC is oldest first.",
})
export class ChangeOrder {
  @Field(() => OrderDirectionEnum, { defaultValue: "ASC" })
  direction!: Direction;
}

@InputType({ description: "Times from `from` (inclusive) to `to` (exclusive); leave either out for no bound." })
class TimeRange implements TimeRangeArgs {
  @Field(() => DateTimeScalar, { nullable: true })
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  to?: Date | null;
}

/** The filter and order arguments of a list of missions, jobs or cases, ordered by `order`. */
function filteredListArgs<O extends object>(order: ClassType<O>) {
  @ArgsType()
  abstract class FilteredListArgs extends StatusPageArgs {
    @Field(() => order, {
      nullable: true,
      description:
        "The list's order (createdAt ascending when left out), ties by id. A cursor belongs to its order: one of another order is BAD_USER_INPUT.",
    })
    orderBy?: O | null;

    @Field(() => [ID], {
      nullable: true,
      description: `Only these ids (at most ${MAX_IDS}; more is BAD_USER_INPUT), in the list's order so that paging works; ids that name nothing are left out.`,
    })
    ids?: string[] | null;

    @Field(() => String, {
      nullable: true,
      description:
        "Only entities whose name (or description, where there is one) contains this text, ignoring case (on SQLite for ASCII letters only). At most 200 characters.",
    })
    search?: string | null;

    @Field(() => TimeRange, { nullable: true })
    createdAt?: TimeRange | null;

    @Field(() => TimeRange, { nullable: true })
    updatedAt?: TimeRange | null;

    @Field(() => TimeRange, {
      nullable: true,
      description: "Only entities that finished in this range (so none that has not finished).",
    })
    finishedAt?: TimeRange | null;

    @Field(() => Boolean, {
      nullable: true,
      description:
        "true: only IN_PROGRESS, CANCELLING or AWAITING entities; false: only the others. With status, the statuses both allow.",
    })
    running?: boolean | null;
  }
  return FilteredListArgs;
}

@ArgsType()
export class EntityListArgs extends filteredListArgs(EntityOrder) {}

@ArgsType()
export class CaseListArgs extends filteredListArgs(CaseOrder) {}

@ArgsType()
export class TransitionPageArgs extends RelayPageArgs {
  @Field(() => TransitionOrder, { nullable: true, description: "Oldest first when left out." })
  orderBy?: TransitionOrder | null;
}
