// Relay-style connections. Resolvers return values of this shape; `totalCount` and the cursors
// are getters, so the count query runs and cursors are encoded only when a client asks for them.
import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import type { Page } from "../../domain/entities.js";
import { PLAIN_FIELDS } from "./plain-fields.js";

@ObjectType(PLAIN_FIELDS)
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionValue<T> {
  edges: { readonly cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: Promise<number> | number;
}

// Getters live on class prototypes, not in object literals: in V8, a literal's own getter keeps
// what its closure captures (the request's loaders and records) alive through young-generation
// collections, so every connection promoted its whole request to the old generation, making
// scavenges slow and old-space collections frequent (BENCHMARKS.md).
class LazyCountConnection<N> implements ConnectionValue<N> {
  constructor(
    readonly edges: LazyCursorEdge<N>[],
    readonly pageInfo: LazyPageInfo,
    private readonly count: () => Promise<number> | number,
  ) {}

  get totalCount(): Promise<number> | number {
    return this.count();
  }
}

// Cursors come from the page only when a client selects them (see KeysetPage).
class LazyCursorEdge<N> {
  constructor(
    readonly node: N,
    private readonly page: Page<unknown>,
    private readonly index: number,
  ) {}

  get cursor(): string {
    return this.page.cursors[this.index]!;
  }
}

class LazyPageInfo {
  constructor(private readonly page: Page<unknown>) {}

  get hasNextPage(): boolean {
    return this.page.hasNextPage;
  }

  get endCursor(): string | null {
    return this.page.cursors.at(-1) ?? null;
  }
}

export function toConnection<T, N = T>(
  page: Page<T>,
  totalCount: () => Promise<number> | number,
  toNode: (item: T) => N = (item) => item as unknown as N,
): ConnectionValue<N> {
  return new LazyCountConnection(
    page.items.map((item, i) => new LazyCursorEdge(toNode(item), page, i)),
    new LazyPageInfo(page),
    totalCount,
  );
}

export function connectionType<T extends object>(name: string, nodeType: ClassType<T>) {
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
  return Connection;
}
