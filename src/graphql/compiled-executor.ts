// Executes operations with graphql-jit instead of graphql-js's interpreter. graphql-js walks the
// document for every object of every response: collecting fields, coercing arguments, checking
// types, wrapping each value in promises. A nested read of a thousand objects spent most of its
// time there (BENCHMARKS.md, "Nested reads"). graphql-jit turns each operation into a JavaScript
// function once, with the same results, errors and null rules, and later requests just call it.
//
// Apollo Server takes a custom executor only through its gateway interface; this is a gateway
// with one fixed schema. Apollo still parses, validates and caches documents (its document store
// keeps the DocumentNode of a query text), so a compiled operation is found by that node.
import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  printSchema,
} from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];

interface Operation {
  /** The query text as the client sent it. */
  source?: string;
  document: DocumentNode;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
  contextValue: unknown;
}

type Run = (operation: Operation) => Promise<ExecutionResult> | ExecutionResult;

/** What is known of one operation of a document: how often it ran, and its compiled function. */
interface OperationEntry {
  runs: number;
  /** Undefined until compiled; null when graphql-jit could not compile it (or it is a mutation). */
  compiled: CompiledQuery | null | undefined;
  /** Whether a run of this operation has answered without errors (and been reported). */
  answered: boolean;
}

/** Runs a known operation again with another context and variables, as it ran when reported. */
export type RunAgain = (
  contextValue: unknown,
  variables: Record<string, unknown>,
) => Promise<ExecutionResult> | ExecutionResult;

/**
 * Told once per operation, when it first answers without errors after its interpreted runs: a
 * query compiled, a mutation on graphql-js (mutations are not compiled, see below).
 */
export type OnQueryAnswered = (operation: Operation, runAgain: RunAgain, schema: GraphQLSchema) => void;

// Compiling costs a few milliseconds, more than running a small operation once: a document is
// compiled when it runs a second time. Clients send the same few documents again and again; one
// sent once (literal values written into its text) is interpreted and costs nothing more.
const INTERPRETED_RUNS = 1;

/**
 * Runs each operation of a document through its compiled function once it is seen again. An
 * operation graphql-jit cannot compile (it reports why as errors) runs on graphql-js, which
 * answers with the standard errors for it.
 */
export function compiledOperations(
  schema: GraphQLSchema,
  interpretedRuns = INTERPRETED_RUNS,
  onQueryAnswered?: OnQueryAnswered,
): Run {
  // Weak: a document Apollo's store drops takes its compiled functions with it.
  const operations = new WeakMap<DocumentNode, Map<string | null, OperationEntry>>();
  const interpret: Run = ({ document, operationName, variables, contextValue }) =>
    execute({ schema, document, operationName, variableValues: variables, contextValue });

  const entryOf = ({ document, operationName }: Operation): OperationEntry => {
    let byName = operations.get(document);
    if (!byName) {
      byName = new Map();
      operations.set(document, byName);
    }
    let entry = byName.get(operationName);
    if (!entry) {
      entry = { runs: 0, compiled: undefined, answered: false };
      byName.set(operationName, entry);
    }
    return entry;
  };

  return (operation) => {
    const entry = entryOf(operation);
    if (entry.runs++ < interpretedRuns) return interpret(operation);
    if (entry.compiled === undefined && isMutation(operation)) {
      // Mutations run on graphql-js, which stops at the first mutation field that fails (its
      // non-null result nulls the whole answer); graphql-jit would run the fields after it too. A
      // mutation costs its write, not its execution.
      entry.compiled = null;
    }
    if (entry.compiled === undefined) {
      const result = compileQuery(schema, operation.document, operation.operationName ?? undefined, {
        // Apollo serialises the result itself.
        customJSONSerializer: false,
      });
      entry.compiled = isCompiledQuery(result) ? result : null;
    }
    const compiled = entry.compiled;
    const report = (result: ExecutionResult, runAgain: RunAgain) => {
      if (!entry.answered && onQueryAnswered && result.errors === undefined && result.data) {
        entry.answered = true;
        onQueryAnswered(operation, runAgain, schema);
      }
    };
    if (!compiled) {
      const result = interpret(operation);
      if (entry.answered || !onQueryAnswered || !isMutation(operation)) return result;
      const { document, operationName } = operation;
      const runAgain: RunAgain = (contextValue, variables) =>
        interpret({ document, operationName, variables, contextValue });
      if (!isPromiseLike(result)) {
        report(result, runAgain);
        return result;
      }
      return result.then((done) => {
        report(done, runAgain);
        return done;
      });
    }
    const runCompiled: RunAgain = (contextValue, variables) => compiled.query(undefined, contextValue, variables);
    const answered = (result: ExecutionResult): ExecutionResult => {
      report(result, runCompiled);
      return withStandardErrors(result);
    };
    const result = compiled.query(undefined, operation.contextValue, operation.variables ?? {});
    if (isPromiseLike(result)) return result.then(answered);
    // No data at all: the variables were refused before anything ran. graphql-js refuses them
    // again, in the words and with the AST nodes Apollo and clients know (HTTP 400).
    if (result.data === undefined) return interpret(operation);
    return answered(result);
  };
}

function isMutation({ document, operationName }: Operation): boolean {
  return getOperationAST(document, operationName)?.operation === "mutation";
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Partial<Promise<T>>).then === "function";
}

// graphql-jit's errors are GraphQLErrors without `extensions` when the thrown error had none;
// Apollo, like graphql-js's own errors, counts on an object there. They are rebuilt as
// graphql-js builds them, keeping message, place, path and the error that was thrown.
function withStandardErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => error.extensions === undefined)) return result;
  return { ...result, errors: result.errors.map(standardError) };
}

function standardError(error: GraphQLError): GraphQLError {
  if (error.extensions !== undefined) return error;
  const standard = new GraphQLError(error.message, { path: error.path, originalError: error.originalError });
  // graphql-js derives locations from AST nodes, which graphql-jit does not keep.
  (standard as { locations: GraphQLError["locations"] }).locations = error.locations;
  return standard;
}

/** How the gateway lets a caller learn of compiled queries, and hand it results already computed. */
export interface ExecutionHooks {
  onQueryAnswered: OnQueryAnswered;
  /** The result computed for this request's context before Apollo took the request, if any. */
  takeResult(context: unknown): ExecutionResult | undefined;
}

/** What ApolloServer takes as `gateway`: the schema, and compiled execution of every request. */
export function compiledExecutionGateway(schema: GraphQLSchema, hooks?: ExecutionHooks): Gateway {
  const run = compiledOperations(schema, INTERPRETED_RUNS, hooks?.onQueryAnswered);
  return {
    async load() {
      return {
        executor: async (request) => {
          const computed = hooks?.takeResult(request.context);
          if (computed) return withStandardErrors(computed);
          return run({
            source: request.source,
            document: request.document,
            // What the client named: Apollo's own `operationName` is that of the operation it
            // resolved, null when the name matches none (graphql-js must then say so).
            operationName: request.request.operationName ?? null,
            variables: request.request.variables,
            contextValue: request.context,
          });
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
  };
}
