// Relay-style connections. Resolvers return plain objects of this shape; `totalCount` is a
// getter so that the count query runs only when a client asks for it.
import { Field, Int, ObjectType, type ClassType } from "type-graphql";
import type { Page } from "../../domain/entities.js";

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionValue<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  readonly totalCount: Promise<number> | number;
}

export function toConnection<T, N = T>(page: Page<T>, totalCount: () => Promise<number> | number, toNode: (item: T) => N = (item) => item as unknown as N): ConnectionValue<N> {
  return {
    edges: page.items.map((item, i) => ({ cursor: page.cursors[i]!, node: toNode(item) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    get totalCount() {
      return totalCount();
    },
  };
}

export function connectionType<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Number of items across all pages." })
    totalCount!: number;
  }
  return Connection;
}
