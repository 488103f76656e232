import { Field, ObjectType } from "type-graphql";
import type { EntityEvent, EntityStatus } from "../../domain/lifecycle.js";
import { EntityEventEnum, EntityStatusEnum } from "./enums.js";
import { PLAIN_FIELDS } from "./plain-fields.js";

@ObjectType("LifecycleTransition", PLAIN_FIELDS)
export class LifecycleTransition {
  @Field(() => EntityEventEnum)
  event!: EntityEvent;

  @Field(() => EntityStatusEnum)
  from!: EntityStatus;

  @Field(() => EntityStatusEnum)
  to!: EntityStatus;
}

@ObjectType({ ...PLAIN_FIELDS, description: "The state machine shared by missions, jobs and cases." })
export class Lifecycle {
  @Field(() => [LifecycleTransition])
  transitions!: LifecycleTransition[];

  @Field(() => [EntityStatusEnum])
  runningStatuses!: EntityStatus[];

  @Field(() => [EntityStatusEnum])
  terminalStatuses!: EntityStatus[];

  @Field(() => [EntityStatusEnum])
  anomalyStatuses!: EntityStatus[];

  @Field(() => String, { description: "A Mermaid stateDiagram-v2 of the machine." })
  mermaid!: string;
}
