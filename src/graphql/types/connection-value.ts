// The values Relay-style connection fields resolve to: `totalCount` and the cursors are getters,
// so the count query runs and cursors are encoded only when a client asks for them. Free of the
// schema's decorators (connection.ts), so that loaders can build them.
import type { Page } from "../../domain/entities.js";
import type { StatusCount } from "./status-count.js";

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
