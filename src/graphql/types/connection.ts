// Relay-style connections. Resolvers return values of this shape; `totalCount` and the cursors
// are getters, so the count query runs and cursors are encoded only when a client asks for them.
import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import type { Page } from "../../domain/entities.js";
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

type Lazy<V> = () => Promise<V> | V;

export interface ConnectionValue<T> {
  edges: { readonly cursor: string; node: T }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: Promise<number> | number;
  readonly statusCounts: Promise<StatusCount[]> | StatusCount[];
}

// Getters live on class prototypes, not in object literals: in V8, a literal's own getter keeps
// what its closure captures (the request's loaders and records) alive through young-generation
// collections, so every connection promoted its whole request to the old generation, making
// scavenges slow and old-space collections frequent (BENCHMARKS.md).
class LazyCountConnection<N> implements ConnectionValue<N> {
  constructor(
    readonly edges: LazyCursorEdge<N>[],
    readonly pageInfo: LazyPageInfo,
    private readonly count: Lazy<number>,
    private readonly counts: Lazy<StatusCount[]>,
  ) {}

  get totalCount(): Promise<number> | number {
    return this.count();
  }

  get statusCounts(): Promise<StatusCount[]> | StatusCount[] {
    return this.counts();
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

  get hasPreviousPage(): boolean {
    return this.page.hasPreviousPage;
  }

  get startCursor(): string | null {
    return this.page.cursors[0] ?? null;
  }

  get endCursor(): string | null {
    return this.page.cursors.at(-1) ?? null;
  }
}

const NO_STATUS_COUNTS = (): StatusCount[] => [];

/** `statusCounts` is left out for lists that have no statuses (transitions, steps). */
export function toConnection<T>(
  page: Page<T>,
  totalCount: Lazy<number>,
  statusCounts: Lazy<StatusCount[]> = NO_STATUS_COUNTS,
): ConnectionValue<T> {
  return new LazyCountConnection(
    page.items.map((item, i) => new LazyCursorEdge(item, page, i)),
    new LazyPageInfo(page),
    totalCount,
    statusCounts,
  );
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
