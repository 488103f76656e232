import { Field, ID, ObjectType } from "type-graphql";
import type { EntityStatus, RecordedEvent } from "../../domain/lifecycle.js";
import { connectionType } from "./connection.js";
import { EntityEventEnum, EntityStatusEnum } from "./enums.js";
import { PLAIN_FIELDS } from "./plain-fields.js";
import { DateTimeScalar } from "./scalars.js";

@ObjectType({ ...PLAIN_FIELDS, description: "One recorded step of an entity's lifecycle." })
class Transition {
  @Field(() => ID)
  id!: string;

  @Field(() => EntityEventEnum)
  event!: RecordedEvent;

  @Field(() => EntityStatusEnum)
  fromStatus!: EntityStatus;

  @Field(() => EntityStatusEnum)
  toStatus!: EntityStatus;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String, { nullable: true })
  actor!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;
}

export const TransitionConnection = connectionType("Transition", Transition);
