// Limits on what one GraphQL document may ask for, so that no single request can make the
// server parse, validate or resolve without bound. Every refusal is HTTP 400 with
// extensions.code QUERY_TOO_COMPLEX and `limit` naming the limit that was hit.
//
// - tokens: graphql-js stops parsing after `maxTokens` (cheapest check, before any other work);
// - depth, aliases, directives: GraphQL Armor's validation rules;
// - cost: checked once the operation and its variables are known, because page sizes usually
//   come in variables and a `first` left out still means 50 items. Armor's own cost rule sees
//   only literal `first` values and so under-counts exactly the queries that matter.
import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from "graphql";
import { MAX_IDS } from "../services/list-args.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, UNPAGINATED_LIST_CAP } from "../services/validation.js";
import type { Config } from "./config.js";

export type QueryLimits = Config["limits"];
export type QueryLimitName = keyof QueryLimits;

const QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

export interface QueryLimitOptions {
  /** Strip graphql-js's "Did you mean …?" hints, which reveal the schema field by field. */
  hideSuggestions: boolean;
}

/**
 * What apollo-server.ts hands to ApolloServer (through hardening.ts): parse options, extra
 * validation rules and plugins.
 */
export function queryLimits(limits: QueryLimits, options: QueryLimitOptions) {
  const plugins: ApolloServerPlugin[] = [limitsPlugin(limits.maxCost, options.hideSuggestions)];
  // Armor's token, cost and suggestion protections are replaced by the ones in this file.
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [reject("maxDepth", limits.maxDepth)],
    },
    maxAliases: {
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reject("maxAliases", limits.maxAliases)],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [reject("maxDirectives", limits.maxDirectives)],
    },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const validationRules: ValidationRule[] = [knownOperationTypeRule, ...armor.validationRules];
  return { parseOptions: { maxTokens: limits.maxTokens }, validationRules, plugins };
}

function queryTooComplex(limit: QueryLimitName, max: number, message: string, found?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: QUERY_TOO_COMPLEX,
      limit,
      max,
      ...(found === undefined ? {} : { found }),
      http: { status: 400 },
    },
  });
}

// Armor's messages start with "Syntax Error: " although nothing is wrong with the syntax.
function reject(limit: QueryLimitName, max: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    const message = error.message.replace(/^Syntax Error: /, "");
    context?.reportError(queryTooComplex(limit, max, message, found === undefined ? undefined : Number(found)));
  };
}

// graphql-js 16 leaves an operation type the schema lacks (a subscription here) to execution,
// where it fails without a code and would be masked as INTERNAL_SERVER_ERROR.
const knownOperationTypeRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`This service has no ${node.operation} operations.`, { nodes: node }));
    }
  },
});

/** One plugin for both request hooks of the limits: each plugin costs every request a little. */
function limitsPlugin(maxCost: number, hideSuggestions: boolean): ApolloServerPlugin {
  const costs = new CostCache();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const cost = costs.costOf(schema, document, operation, request.variables ?? {});
          if (cost > maxCost) {
            throw queryTooComplex(
              "maxCost",
              maxCost,
              `Query cost limit of ${maxCost} exceeded, found ${cost}: ask for smaller pages or fewer nested lists.`,
              cost,
            );
          }
        },
        async didEncounterErrors({ errors }) {
          restoreLimitCodes(errors, hideSuggestions);
        },
      };
    },
  };
}

// Apollo keeps one parsed document per query text, so the same operation node comes back on
// every request of that query: its cost is kept when no page size comes from a variable.
export class CostCache {
  private readonly constant = new WeakMap<OperationDefinitionNode, number>();

  costOf(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): number {
    const known = this.constant.get(operation);
    if (known !== undefined) return known;
    let readsVariables = false;
    const cost = operationCost(schema, document, operation, variables, () => (readsVariables = true));
    if (!readsVariables) this.constant.set(operation, cost);
    return cost;
  }
}

/** Lists without pages, and the most items each returns (services/validation.ts). */
const CAPPED_LISTS: ReadonlyMap<string, number> = new Map([
  ["Job.caseIds", UNPAGINATED_LIST_CAP],
  ["Case.updates", UNPAGINATED_LIST_CAP],
]);

/**
 * The most list items the operation can return: every connection (a field with a `first`
 * argument) counts its page size once for each item of the list it hangs under. `first` (or
 * `last`) is read from the literal or the variable, 50 when left out, and at most 500 (a larger
 * value is refused as BAD_USER_INPUT when it runs); a list asked for by `ids` counts their number. A connection asked for no `edges` (only `totalCount`
 * or `pageInfo`) returns no items and counts 1. A list without pages counts the most items it
 * returns (CAPPED_LISTS).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  /** Called when a page size comes from a variable (the cost then depends on the variables). */
  onVariable: () => void = () => {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const defaults = new Map<string, ValueNode>();
  for (const v of operation.variableDefinitions ?? [])
    if (v.defaultValue) defaults.set(v.variable.name.value, v.defaultValue);

  const pageSizeOf = (value: ValueNode | undefined): number => {
    let n: unknown = DEFAULT_PAGE_SIZE;
    if (value?.kind === Kind.INT) n = Number(value.value);
    else if (value?.kind === Kind.VARIABLE) {
      onVariable();
      const name = value.name.value;
      const given = variables[name];
      const fallback = defaults.get(name);
      n = typeof given === "number" ? given : fallback?.kind === Kind.INT ? Number(fallback.value) : DEFAULT_PAGE_SIZE;
    }
    return typeof n === "number" && Number.isFinite(n)
      ? Math.min(Math.max(Math.trunc(n), 0), MAX_PAGE_SIZE)
      : DEFAULT_PAGE_SIZE;
  };

  /** How many ids an `ids` argument lists (literal or variable), or undefined without one. */
  const idCountOf = (value: ValueNode | undefined): number | undefined => {
    if (value === undefined || value.kind === Kind.NULL) return undefined;
    if (value.kind === Kind.LIST) return value.values.length;
    if (value.kind === Kind.VARIABLE) {
      onVariable();
      const given = variables[value.name.value];
      if (Array.isArray(given)) return given.length;
      const fallback = defaults.get(value.name.value);
      return fallback?.kind === Kind.LIST ? fallback.values.length : undefined;
    }
    return 1;
  };

  /**
   * Items a connection's page can hold: its `first`, or its `last` (the same page read from the
   * end), 50 when neither is given; a list asked for by `ids` counts the ids it names, each of
   * them a read.
   */
  const itemsOf = (args: readonly ArgumentNode[]): number => {
    const argument = (name: string) => args.find((a) => a.name.value === name)?.value;
    const ids = idCountOf(argument("ids"));
    if (ids !== undefined) return Math.min(ids, MAX_IDS);
    const last = argument("last");
    return pageSizeOf(last !== undefined && last.kind !== Kind.NULL ? last : argument("first"));
  };

  /** Whether the selection asks for `name`, directly or through fragments. */
  const selects = (selectionSet: SelectionSetNode, name: string, seen: ReadonlySet<string>): boolean =>
    selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet, name, seen);
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(selection.name.value)) return false;
      return selects(fragment.selectionSet, name, new Set([...seen, selection.name.value]));
    });

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    items: number,
    seen: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!(isObjectType(parent) || isInterfaceType(parent))) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue;
        const type = getNamedType(field.type);
        const cap = CAPPED_LISTS.get(`${parent.name}.${field.name}`);
        if (cap !== undefined) {
          cost += items * cap;
          if (selection.selectionSet && isCompositeType(type))
            cost += walk(selection.selectionSet, type, items * cap, seen);
          continue;
        }
        if (!selection.selectionSet || !isCompositeType(type)) continue;
        let inner = items;
        if (field.args.some((a) => a.name === "first")) {
          const returnsItems = selects(selection.selectionSet, "edges", seen);
          inner = items * (returnsItems ? itemsOf(selection.arguments ?? []) : 1);
          cost += inner;
        }
        cost += walk(selection.selectionSet, type, inner, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += walk(selection.selectionSet, isCompositeType(condition) ? condition : parent, items, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation has already refused fragment cycles; `seen` only keeps a bad document finite.
        if (!fragment || seen.has(name)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value);
        cost += walk(
          fragment.selectionSet,
          isCompositeType(condition) ? condition : parent,
          items,
          new Set([...seen, name]),
        );
      }
    }
    return cost;
  };

  const root = schema.getRootType(operation.operation);
  return root ? walk(operation.selectionSet, root, 1, new Set()) : 0;
}

// "Cannot query field "nam" on type "Mission". Did you mean "name"?" → the first sentence only.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const TOO_MANY_TOKENS = /^Syntax Error: (Document contains more th(?:an|at) (\d+) tokens)/;

/**
 * Apollo wraps whatever a validation rule reports as GRAPHQL_VALIDATION_FAILED, and graphql-js
 * reports the token limit as a syntax error: both get the limit's own code back here, before
 * formatError sees them.
 */
function restoreLimitCodes(errors: readonly GraphQLError[], hideSuggestions: boolean): void {
  for (const error of errors) {
    const extensions = error.extensions as Record<string, unknown>;
    const inner = error.originalError;
    const tokens = TOO_MANY_TOKENS.exec(error.message);
    if (inner instanceof GraphQLError && inner.extensions.code === QUERY_TOO_COMPLEX) {
      extensions.code = QUERY_TOO_COMPLEX;
    } else if (tokens && extensions.code === "GRAPHQL_PARSE_FAILED") {
      Object.assign(extensions, { code: QUERY_TOO_COMPLEX, limit: "maxTokens", max: Number(tokens[2]) });
      (error as { message: string }).message = `${tokens[1]}: send a shorter query.`;
    }
    if (hideSuggestions) (error as { message: string }).message = error.message.replace(SUGGESTION, "");
  }
}
