// Arguments and inputs every entity type shares: page arguments and how a lifecycle event is
// fired. Values are checked by the services (one place for the rules); here they only get their
// GraphQL shape.
import { ArgsType, Field, InputType, Int } from "type-graphql";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { EntityStatusEnum } from "./enums.js";
import { DateTimeScalar } from "./scalars.js";

/** What a name (and an agentName) must be: text someone can read. */
export const NAME_RULE =
  "Needs a visible character: blank, zero-width and other invisible characters alone are refused.";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page size: 50 when left out, at most 500." })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The endCursor of the previous page of this same list; a cursor of another list is BAD_USER_INPUT.",
  })
  after?: string | null;
}

@ArgsType()
export class RelayPageArgs extends PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: "Page size from the end: the last items (before `before`, if given); not with first.",
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "A cursor of this same list: only items before it.",
  })
  before?: string | null;
}

@ArgsType()
export class StatusPageArgs extends RelayPageArgs {
  @Field(() => [EntityStatusEnum], {
    nullable: true,
    description:
      "Only entities in one of these statuses; leave it out for every status (an empty list is BAD_USER_INPUT).",
  })
  status?: EntityStatus[] | null;
}

@InputType({ description: "How a lifecycle event is fired." })
export class EventOptions {
  @Field(() => Int, {
    nullable: true,
    description: "Refuse with VERSION_CONFLICT unless the entity is at this version.",
  })
  expectedVersion?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the entity and writes nothing. Not empty.",
  })
  idempotencyKey?: string | null;

  @Field(() => String, { nullable: true, description: "Who fired the event, kept on its transition row." })
  actor?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Why, kept on its transition row. With ERROR_ENCOUNTERED or TIMEOUT_OR_ERROR on a job or case, also its `error`.",
  })
  reason?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "CANCEL_REQUESTED and CANCEL_WHILE_WAITING on a mission or job move every IN_PROGRESS or AWAITING job and case under it to CANCELLING in the same transaction, each with its own transition row (actor `Mission:<id>` or `Job:<id>`); false cancels the entity alone. Default true.",
  })
  cascade?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "With AWAITING_ON_INPUT: seconds (1 to 315360000) after which casebook fires TIMEOUT_OR_ERROR itself, unless input or a cancel came first. Not with awaitingUntil.",
  })
  timeoutSeconds?: number | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "With AWAITING_ON_INPUT: the time, in the future, at which casebook fires TIMEOUT_OR_ERROR itself. Not with timeoutSeconds.",
  })
  awaitingUntil?: Date | null;
}
