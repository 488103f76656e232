// Arguments and inputs every entity type shares: page arguments and how a lifecycle event is
// fired. Values are checked by the services (one place for the rules); here they only get their
// GraphQL shape.
import { ArgsType, Field, InputType, Int } from "type-graphql";
import type { EntityStatus } from "../../domain/lifecycle.js";
import { EntityStatusEnum } from "./enums.js";

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
export class StatusPageArgs extends PageArgs {
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

  @Field(() => String, { nullable: true })
  actor?: string | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}
