import { Field, ID, Int, InterfaceType } from "type-graphql";
import type { EntityRecord, EntityType, JsonObject } from "../../domain/entities.js";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { EntityStatusEnum } from "./enums.js";
import { DateTimeScalar, JSONObjectScalar } from "./scalars.js";

/** Which entity type a record is, from the fields only that type has. */
function entityTypeOf(record: EntityRecord): EntityType {
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

  @Field(() => Int, { description: "Incremented by every transition and edit; use it as expectedVersion." })
  version!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "Set once, on entering a terminal status." })
  finishedAt!: Date | null;

  @Field(() => JSONObjectScalar)
  metadata!: JsonObject;
}
