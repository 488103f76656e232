// Queries Apollo's whole pipeline has already answered: parsed, validated, limited, authorised
// and run compiled without an error. For these, a later request with the same text only needs
// what depends on the request itself (its key, its variables' cost, its context): the rest of
// the pipeline would redo work whose outcome is known. See src/server/ready-query-route.ts.

import type { ExecutionResult } from "graphql";
import { type DocumentNode, type GraphQLSchema, getOperationAST, type OperationDefinitionNode } from "graphql";
import type { CompiledQuery } from "graphql-jit";
import type { ExecutionHooks, OnQueryAnswered } from "./compiled-executor.js";

export interface ReadyQuery {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  compiled: CompiledQuery;
}

// Clients send a handful of documents; a bound keeps one that writes values into its text from
// filling memory with one entry per request.
const DEFAULT_CAPACITY = 500;

export class ReadyQueries implements ExecutionHooks {
  private readonly byText = new Map<string, Map<string | null, ReadyQuery>>();
  /** Results a ready query computed but left to Apollo to answer, by the request's context. */
  private readonly handedOver = new WeakMap<object, ExecutionResult>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** What compiled-executor.ts calls when a compiled query first answers without errors. */
  readonly onQueryAnswered: OnQueryAnswered = ({ source, document, operationName }, compiled, schema) => {
    const operation = getOperationAST(document, operationName);
    if (source === undefined || operation?.operation !== "query") return;
    let byName = this.byText.get(source);
    if (!byName) {
      // The oldest text goes first: Map keeps insertion order.
      if (this.byText.size >= this.capacity) this.byText.delete(this.byText.keys().next().value as string);
      byName = new Map();
      this.byText.set(source, byName);
    }
    byName.set(operationName, { schema, document, operation, compiled });
  };

  find(text: string, operationName: string | null): ReadyQuery | undefined {
    return this.byText.get(text)?.get(operationName);
  }

  /**
   * Leaves a result with errors for Apollo to answer, which it does as with any other (status,
   * formatting, plugins), without running the query a second time.
   */
  handOver(context: object, result: ExecutionResult): void {
    this.handedOver.set(context, result);
  }

  readonly takeResult = (context: unknown): ExecutionResult | undefined => {
    if (typeof context !== "object" || context === null) return undefined;
    const result = this.handedOver.get(context);
    this.handedOver.delete(context);
    return result;
  };
}
