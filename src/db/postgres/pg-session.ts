// Where a PostgreSQL statement runs: the pool (each statement on its own, committed at once) or
// the one client of an open transaction. Counts statements, since each is a round trip.
import type pg from "pg";
import { BadUserInputError, ServiceUnavailableError } from "../../domain/errors.js";
import { appendsToFeed } from "./pg-change-log.js";
import { isTimeout, isUnreachable, isUnstorableText } from "./pg-errors.js";

export type PgParam = string | number | boolean | null | readonly (string | null)[];

/**
 * A statement each connection has the server parse and plan once, then runs by name: for the
 * hot statements, whose text is built once. Parsing and planning are most of what the server
 * spends on a short statement (BENCHMARKS.md). The name stands for the text: the same text
 * always gets the same name, so the statements a connection keeps are as many as the texts.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
  /** Whether it appends to the change feed itself (looked at once, not on every run). */
  readonly appendsToFeed: boolean;
}

const preparedStatements = new Map<string, PreparedStatement>();

export function preparedStatement(text: string): PreparedStatement {
  let statement = preparedStatements.get(text);
  if (statement === undefined) {
    statement = { name: `casebook_${preparedStatements.size + 1}`, text, appendsToFeed: appendsToFeed(text) };
    preparedStatements.set(text, statement);
  }
  return statement;
}

export interface PgSession {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string | PreparedStatement,
    params?: readonly PgParam[],
  ): Promise<pg.QueryResult<R>>;
  /** Whether statements run in an open transaction (row locks are then worth taking). */
  readonly inTransaction: boolean;
}

export class StatementCounter {
  count = 0;
}

/**
 * Statements through `queryable` (a pool or a client), counted. `committedToFeed` is told of each
 * statement that appended to the change feed and has committed (one outside a transaction).
 */
export function pgSession(
  queryable: pg.Pool | pg.PoolClient,
  counter: StatementCounter,
  inTransaction: boolean,
  committedToFeed?: () => void,
) {
  const session: PgSession = {
    inTransaction,
    query: <R extends pg.QueryResultRow>(sql: string | PreparedStatement, params: readonly PgParam[] = []) => {
      counter.count++;
      const values = params as unknown[];
      const answer = translateErrors(() =>
        typeof sql === "string"
          ? queryable.query<R>(sql, values)
          : queryable.query<R>({ name: sql.name, text: sql.text, values }),
      );
      if (!committedToFeed || !(typeof sql === "string" ? appendsToFeed(sql) : sql.appendsToFeed)) return answer;
      return answer.then((result) => {
        committedToFeed();
        return result;
      });
    },
  };
  return session;
}

/**
 * Runs `work`, turning the database being out of reach or too slow to answer into
 * SERVICE_UNAVAILABLE and text that PostgreSQL cannot store into BAD_USER_INPUT; the driver's
 * error stays as `cause`.
 */
export async function translateErrors<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (isUnreachable(error)) throw Object.assign(new ServiceUnavailableError(), { cause: error });
    if (isTimeout(error)) {
      throw Object.assign(new ServiceUnavailableError("the database did not answer in time; try again shortly"), {
        cause: error,
      });
    }
    if (isUnstorableText(error)) {
      throw Object.assign(new BadUserInputError("text and JSON cannot contain the NUL character (\\u0000)"), {
        cause: error,
      });
    }
    throw error;
  }
}
