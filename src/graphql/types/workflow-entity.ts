import { Field, ID, Int, InterfaceType } from "type-graphql";
import type { EntityRecord, EntityType, JsonObject } from "../../domain/entities.js";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { EntityStatusEnum } from "./enums.js";
import { DateTimeScalar, JSONObjectScalar } from "./scalars.js";

/** Which entity type a record is, from the fields only that type has. */
export function entityTypeOf(record: EntityRecord): EntityType {
  if ("agentName" in record) return "Job";
  if ("jobId" in record) return "Case";
  return "Mission";
}

@InterfaceType("WorkflowEntity", {
  description: "What Missions, Jobs and Cases share: identity, lifecycle state and history.",
  resolveType: (value: EntityRecord) => entityTypeOf(value),
})
export abstract class WorkflowEntity {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => EntityStatusEnum)
  status!: EntityStatus;

  @Field(() => Int, {
    description:
      "Incremented by one on every transition and every edit (a step is an edit; a step with an error is an edit and a transition: two); a cancel that cascades moves each descendant by one. Use it as expectedVersion.",
  })
  version!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "Set once, on entering a terminal status." })
  finishedAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "While AWAITING with a deadline (AWAITING_ON_INPUT with timeoutSeconds or awaitingUntil): when casebook fires TIMEOUT_OR_ERROR itself. Null otherwise.",
  })
  awaitingUntil!: Date | null;

  @Field(() => JSONObjectScalar)
  metadata!: JsonObject;
}
