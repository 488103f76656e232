// Operations Apollo's whole pipeline has already answered: parsed, validated, limited, authorised
// and run without an error (queries compiled, mutations on graphql-js). For these, a later
// request with the same text only needs what depends on the request itself (its key, its
// variables' cost, its context): the rest of the pipeline would redo work whose outcome is known.
// A lifecycle event is a mutation sent again and again with other variables: its text is as
// ready as a dashboard's query. See src/server/ready-query-route.ts.

import type { ExecutionResult } from "graphql";
import { type DocumentNode, type GraphQLSchema, getOperationAST, type OperationDefinitionNode } from "graphql";
import type { ExecutionHooks, OnQueryAnswered, RunAgain } from "./compiled-executor.js";

export interface ReadyQuery {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  runAgain: RunAgain;
}

// Clients send a handful of documents; a bound keeps one that writes values into its text from
// filling memory with one entry per request.
const DEFAULT_CAPACITY = 500;

export class ReadyQueries implements ExecutionHooks {
  private readonly byText = new Map<string, Map<string | null, ReadyQuery>>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** What compiled-executor.ts calls when a compiled query first answers without errors. */
  readonly onQueryAnswered: OnQueryAnswered = ({ source, document, operationName }, runAgain, schema) => {
    const operation = getOperationAST(document, operationName);
    if (source === undefined || (operation?.operation !== "query" && operation?.operation !== "mutation")) return;
    let byName = this.byText.get(source);
    if (!byName) {
      // The oldest text goes first: Map keeps insertion order.
      if (this.byText.size >= this.capacity) this.byText.delete(this.byText.keys().next().value as string);
      byName = new Map();
      this.byText.set(source, byName);
    }
    byName.set(operationName, { schema, document, operation, runAgain });
  };

  find(text: string, operationName: string | null): ReadyQuery | undefined {
    return this.byText.get(text)?.get(operationName);
  }

  /**
   * Leaves a result with errors for Apollo to answer, which it does as with any other (status,
   * formatting, plugins), without running the operation a second time. The result travels in the
   * context itself: Apollo runs each operation with a shallow copy of the context it is given
   * (internalExecuteOperation's cloneObject), which copies this property too, so no lookup by the
   * context object would find it again.
   */
  handOver(context: object, result: ExecutionResult): void {
    (context as HandedOver)[HANDED_OVER] = result;
  }

  readonly takeResult = (context: unknown): ExecutionResult | undefined => {
    if (typeof context !== "object" || context === null) return undefined;
    const result = (context as HandedOver)[HANDED_OVER];
    if (result !== undefined) delete (context as HandedOver)[HANDED_OVER];
    return result;
  };
}

const HANDED_OVER = Symbol("casebook.handedOverResult");

interface HandedOver {
  [HANDED_OVER]?: ExecutionResult;
}
