// Relay-style connection types of the schema (the values they resolve to are in
// connection-value.ts).
import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import { PLAIN_FIELDS } from "./plain-fields.js";
import { StatusCount } from "./status-count.js";

@ObjectType(PLAIN_FIELDS)
export class PageInfo {
  @Field(() => Boolean, {
    description: "Read forward: whether items follow the page. Read backward (last): whether `before` was given.",
  })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description:
      "Read backward (last): whether items come before the page. Read forward: whether `after` was given (items came before it when it was handed out).",
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A connection type; `withStatusCounts` for lists of entities, which have statuses to count. */
export function connectionType<T extends object>(name: string, nodeType: ClassType<T>, withStatusCounts = false) {
  @ObjectType(`${name}Edge`, PLAIN_FIELDS)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, PLAIN_FIELDS)
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // A promise (the count runs only when asked for): a resolver of its own awaits it, where a
    // plain property read would hand the promise to the serialiser.
    @Field(() => Int, { description: "Number of items across all pages.", simple: false })
    totalCount!: number;
  }
  // Declared on the one class (two object types of one name would clash), for entity lists only.
  if (withStatusCounts) {
    Field(() => [StatusCount], {
      description:
        "How many items of the list, across all pages, are in each status: statuses with some, in lifecycle order. Asked for with a top-level list's page, it is read in the same snapshot as the page.",
      simple: false,
    })(Connection.prototype, "statusCounts");
  }
  return Connection;
}
