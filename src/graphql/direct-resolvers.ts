// type-graphql calls every field resolver through a wrapper that rebuilds its parameters from the
// decorators and turns the arguments into class instances: microseconds per call. A nested read
// calls the relation resolvers once per parent and the computed fields once per object, a
// thousand times and more for a dashboard (BENCHMARKS.md, "Nested reads"), so the built schema
// calls those functions (resolvers/nested-fields.ts) directly. The resolver classes still declare
// the fields, with their types, arguments and descriptions, and call the same functions.
import type { GraphQLFieldResolver, GraphQLSchema } from "graphql";
import { isObjectType } from "graphql";
import {
  caseJob,
  caseSteps,
  casesStatusCounts,
  casesTotalCost,
  caseTotalCost,
  entityIsRunning,
  entityIsTerminal,
  entityTransitions,
  entityValidEvents,
  jobCases,
  jobMission,
  missionJobs,
  stepCost,
} from "./resolvers/nested-fields.js";

// biome-ignore lint/suspicious/noExplicitAny: each function types its own source and arguments.
type Resolver = GraphQLFieldResolver<any, any, any>;

const EVERY_ENTITY: Record<string, Resolver> = {
  isRunning: entityIsRunning,
  isTerminal: entityIsTerminal,
  validEvents: entityValidEvents,
  transitions: entityTransitions,
};

const DIRECT: Record<string, Record<string, Resolver>> = {
  Mission: { ...EVERY_ENTITY, jobs: missionJobs, totalCost: casesTotalCost, caseStatusCounts: casesStatusCounts },
  Job: {
    ...EVERY_ENTITY,
    cases: jobCases,
    mission: jobMission,
    totalCost: casesTotalCost,
    caseStatusCounts: casesStatusCounts,
  },
  Case: { ...EVERY_ENTITY, job: caseJob, totalCost: caseTotalCost, steps: caseSteps },
  CaseUpdate: { cost: stepCost },
};

/** Points the listed fields of the built schema at their functions. */
export function resolveNestedFieldsDirectly(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(DIRECT)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`the schema has no object type ${typeName}`);
    const declared = type.getFields();
    for (const [name, resolve] of Object.entries(fields)) {
      const field = declared[name];
      if (!field) throw new Error(`${typeName} has no field ${name}`);
      field.resolve = resolve;
    }
  }
  return schema;
}
