// The change feed's GraphQL types (Query.changes, Subscription.changes).
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { CHANGE_KINDS, type ChangeKind } from "../../domain/changes.js";
import type { EntityType } from "../../domain/entities.js";
import type { EntityStatus, RecordedEvent } from "../../domain/lifecycle.js";
import { EntityEventEnum, EntityStatusEnum } from "./enums.js";
import { PLAIN_FIELDS } from "./plain-fields.js";
import { DateTimeScalar } from "./scalars.js";

const EntityTypeEnum = { MISSION: "Mission", JOB: "Job", CASE: "Case" } as const satisfies Record<string, EntityType>;
const ChangeKindEnum = Object.fromEntries(CHANGE_KINDS.map((k) => [k, k])) as { [K in ChangeKind]: K };

registerEnumType(EntityTypeEnum, { name: "EntityType", description: "Mission, Job or Case." });
registerEnumType(ChangeKindEnum, {
  name: "ChangeKind",
  description:
    "What a write did: CREATED, UPDATED (an edit), STEP_ADDED (a case's step), TRANSITIONED (a lifecycle event, cascades and expired deadlines included) or DELETED (one per entity a delete removed).",
});

@ObjectType({ ...PLAIN_FIELDS, description: "One write to one entity, in the order writes committed." })
export class Change {
  @Field(() => String, { description: "Where this change is in the feed: resume after it with `after`." })
  cursor!: string;

  @Field(() => EntityTypeEnum)
  entityType!: EntityType;

  @Field(() => ID)
  entityId!: string;

  @Field(() => ID, { nullable: true, description: "The mission a job or case is under." })
  missionId!: string | null;

  @Field(() => ID, { nullable: true, description: "The job a case is under." })
  jobId!: string | null;

  @Field(() => ChangeKindEnum)
  kind!: ChangeKind;

  @Field(() => EntityStatusEnum, { nullable: true, description: "The status the write left; null for DELETED." })
  status!: EntityStatus | null;

  @Field(() => Int, { nullable: true, description: "The version the write left; null for DELETED." })
  version!: number | null;

  @Field(() => EntityEventEnum, { nullable: true, description: "The lifecycle event of a TRANSITIONED change." })
  event!: RecordedEvent | null;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String, { nullable: true })
  actor!: string | null;
}

@ObjectType("ChangeEdge", PLAIN_FIELDS)
export class ChangeEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Change)
  node!: Change;
}

@ObjectType("ChangePageInfo", {
  ...PLAIN_FIELDS,
  description: "Where a page of changes ends: with no next page, endCursor is where to resume later.",
})
export class ChangePageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType("ChangeConnection", {
  ...PLAIN_FIELDS,
  description: "Changes in the order asked for. No totalCount: the feed is a log that keeps growing; page through it.",
})
export class ChangeConnection {
  @Field(() => [ChangeEdge])
  edges!: ChangeEdge[];

  @Field(() => ChangePageInfo)
  pageInfo!: ChangePageInfo;
}

@InputType({
  description: "Which changes to read; every condition given must hold, and a list given must not be empty.",
})
export class ChangeFilter {
  @Field(() => [EntityTypeEnum], { nullable: true })
  entityTypes?: EntityType[] | null;

  @Field(() => [ID], { nullable: true, description: "Changes to these entities." })
  ids?: string[] | null;

  @Field(() => ID, { nullable: true, description: "The mission itself and every job and case under it." })
  missionId?: string | null;

  @Field(() => ID, { nullable: true, description: "The job itself and its cases." })
  jobId?: string | null;

  @Field(() => [ChangeKindEnum], { nullable: true })
  kinds?: ChangeKind[] | null;

  @Field(() => [EntityStatusEnum], { nullable: true, description: "The status the write left (DELETED has none)." })
  statuses?: EntityStatus[] | null;
}
