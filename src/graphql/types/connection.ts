// Relay-style connections. Resolvers return values of this shape; `totalCount` is a getter so
// that the count query runs only when a client asks for it.
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

// The getter lives on a class prototype, not in an object literal: measured with V8 (Node 20),
// a literal's own getter keeps what its closure captures (the request's loaders and records)
// alive through young-generation collections, so every connection promoted its whole request
// to the old generation; scavenges took several times longer and old-space collections followed.
class LazyCountConnection<N> implements ConnectionValue<N> {
  constructor(
    readonly edges: { cursor: string; node: N }[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number> | number,
  ) {}

  get totalCount(): Promise<number> | number {
    return this.count();
  }
}

export function toConnection<T, N = T>(page: Page<T>, totalCount: () => Promise<number> | number, toNode: (item: T) => N = (item) => item as unknown as N): ConnectionValue<N> {
  return new LazyCountConnection(
    page.items.map((item, i) => ({ cursor: page.cursors[i]!, node: toNode(item) })),
    { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    totalCount,
  );
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
