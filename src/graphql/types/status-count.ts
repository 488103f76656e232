import { Field, Int, ObjectType } from "type-graphql";
import type { StatusCounts } from "../../db/store.js";
import { ENTITY_STATUSES, type EntityStatus } from "../../domain/lifecycle.js";
import { EntityStatusEnum } from "./enums.js";
import { PLAIN_FIELDS } from "./plain-fields.js";

@ObjectType({ ...PLAIN_FIELDS, description: "How many entities of a list are in one status." })
export class StatusCount {
  @Field(() => EntityStatusEnum)
  status!: EntityStatus;

  @Field(() => Int)
  count!: number;
}

/** Counts as GraphQL lists them: statuses with some, in lifecycle order. */
export function statusCountList(counts: StatusCounts): StatusCount[] {
  return ENTITY_STATUSES.flatMap((status) => {
    const count = counts.get(status) ?? 0;
    return count > 0 ? [{ status, count }] : [];
  });
}

export function sumOfCounts(counts: StatusCounts): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
