// Builds the executable schema from the resolver classes. `schema.graphql` at the repository
// root is this schema printed (npm run schema:print); a test fails when the two differ.
import "reflect-metadata";
import { GraphQLInterfaceType, type GraphQLSchema, printSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { resolveNestedFieldsDirectly } from "./direct-resolvers.js";
import { CaseResolver } from "./resolvers/case-resolver.js";
import { CaseUpdateResolver } from "./resolvers/case-update-resolver.js";
import { ChangeResolver } from "./resolvers/change-resolver.js";
import { JobResolver } from "./resolvers/job-resolver.js";
import { LifecycleResolver } from "./resolvers/lifecycle-resolver.js";
import { MissionResolver } from "./resolvers/mission-resolver.js";
import { WorkflowEntityResolver } from "./resolvers/workflow-entity-resolver.js";
import { entityTypeOf } from "./types/workflow-entity.js";

let built: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every server in a process: build it once. */
export function buildCasebookSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      WorkflowEntityResolver,
      MissionResolver,
      JobResolver,
      CaseResolver,
      CaseUpdateResolver,
      LifecycleResolver,
      ChangeResolver,
    ],
    // Arguments are checked by the services, where the rules live.
    validate: false,
    // Subscription.changes brings its own source (the change hub); type-graphql asks for a
    // publish/subscribe system all the same, and this one has no topics to offer.
    pubSub: {
      publish: () => {},
      subscribe: () => {
        throw new Error("casebook publishes no topics: subscriptions bring their own source");
      },
    },
  })
    .then(resolveNestedFieldsDirectly)
    .then(resolveEntityTypeDirectly);
  return built;
}

/**
 * type-graphql wraps an interface's resolveType in an async function; graphql-jit, which runs
 * a document once it is compiled (compiled-executor.ts), needs the type's name at once. The
 * entity type is known from the record's own fields, synchronously (Change.entity needs it).
 */
function resolveEntityTypeDirectly(schema: GraphQLSchema): GraphQLSchema {
  const entity = schema.getType("WorkflowEntity");
  if (entity instanceof GraphQLInterfaceType) entity.resolveType = (value) => entityTypeOf(value as never);
  return schema;
}

export function printCasebookSchema(schema: GraphQLSchema): string {
  return `${printSchema(schema)}\n`;
}
