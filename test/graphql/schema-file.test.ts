// schema.graphql is what the code builds, and the code builds every name the contract fixes.
import fs from "node:fs";
import path from "node:path";
import {
  buildSchema,
  type GraphQLField,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCasebookSchema, printCasebookSchema } from "../../src/graphql/schema.js";
import { PACKAGE_ROOT } from "../../src/package-root.js";

// The contract's GraphQL section, field by field, with the exact types it names.
const ENTITY_FIELDS = [
  "id: ID!",
  "name: String!",
  "status: EntityStatus!",
  "version: Int!",
  "createdAt: DateTime!",
  "updatedAt: DateTime!",
  "finishedAt: DateTime",
  "metadata: JSONObject!",
  "isRunning: Boolean!",
  "isTerminal: Boolean!",
  "validEvents: [EntityEvent!]!",
  "transitions(first: Int, after: String): TransitionConnection!",
];

const OBJECTS: Record<string, string[]> = {
  Mission: [
    ...ENTITY_FIELDS,
    "description: String",
    "jobs(first: Int, after: String, status: [EntityStatus!]): JobConnection!",
  ],
  Job: [
    ...ENTITY_FIELDS,
    "agentName: String!",
    "missionId: ID",
    "mission: Mission",
    "jobContext: JSONObject",
    "payload: JSON",
    "result: JSON",
    "error: String",
    "caseIds: [ID!]!",
    "cases(first: Int, after: String, status: [EntityStatus!]): CaseConnection!",
  ],
  Case: [
    ...ENTITY_FIELDS,
    "jobId: ID!",
    "job: Job!",
    "description: String",
    "updates: [CaseUpdate!]!",
    "totalCost: Float!",
    "finalDelivery: JSON",
  ],
  CaseUpdate: [
    "index: Int!",
    "name: String",
    "cost: Float",
    "payload: JSON",
    "isFinal: Boolean!",
    "error: String",
    "at: DateTime!",
  ],
  Transition: [
    "id: ID!",
    "event: EntityEvent!",
    "fromStatus: EntityStatus!",
    "toStatus: EntityStatus!",
    "at: DateTime!",
    "actor: String",
    "reason: String",
  ],
  PageInfo: ["hasNextPage: Boolean!", "endCursor: String"],
  Query: [
    "mission(id: ID!): Mission",
    "missions(first: Int, after: String, status: [EntityStatus!]): MissionConnection!",
    "job(id: ID!): Job",
    "jobs(first: Int, after: String, status: [EntityStatus!], missionId: ID, agentName: String): JobConnection!",
    "case(id: ID!): Case",
    "cases(first: Int, after: String, status: [EntityStatus!], jobId: ID): CaseConnection!",
    "lifecycle: Lifecycle!",
  ],
  Mutation: [
    "createMission(input: CreateMissionInput!): Mission!",
    "createJob(input: CreateJobInput!): Job!",
    "startCase(input: StartCaseInput!): Case!",
    "updateJob(id: ID!, input: UpdateJobInput!, expectedVersion: Int): Job!",
    "updateCase(id: ID!, input: UpdateCaseInput!, expectedVersion: Int): Case!",
    "addCaseUpdate(caseId: ID!, update: CaseUpdateInput!): Case!",
    "handleMissionEvent(id: ID!, event: EntityEvent!, options: EventOptions): Mission!",
    "handleJobEvent(id: ID!, event: EntityEvent!, options: EventOptions): Job!",
    "handleCaseEvent(id: ID!, event: EntityEvent!, options: EventOptions): Case!",
    "transitionMission(id: ID!, to: EntityStatus!, options: EventOptions): Mission!",
    "transitionJob(id: ID!, to: EntityStatus!, options: EventOptions): Job!",
    "transitionCase(id: ID!, to: EntityStatus!, options: EventOptions): Case!",
    "deleteMission(id: ID!): Boolean!",
    "deleteJob(id: ID!): Boolean!",
    "deleteCase(id: ID!): Boolean!",
  ],
};

const ENUMS: Record<string, string[]> = {
  EntityStatus: ["STOPPED", "IN_PROGRESS", "CANCELLING", "AWAITING", "COMPLETED", "FAILED", "CANCELLED"],
  EntityEvent: [
    "START_WORK",
    "SUCCESSFULLY_DONE",
    "AWAITING_ON_INPUT",
    "CANCEL_REQUESTED",
    "ERROR_ENCOUNTERED",
    "TIMEOUT_OR_ERROR",
    "INPUT_RECEIVED",
    "CANCEL_WHILE_WAITING",
    "CANCEL_CONFIRMED",
    // Not a lifecycle event: the transition an import records (README, Lifecycle).
    "IMPORTED",
  ],
};

const EVENT_OPTIONS = ["expectedVersion: Int", "idempotencyKey: String", "actor: String", "reason: String"];

/** "name(a: T, b: U): R" → the same string rebuilt from the schema's field, for comparison. */
function signature(field: GraphQLField<unknown, unknown>, withArgs: string[]): string {
  const args = withArgs.map((name) => {
    const arg = field.args.find((a) => a.name === name);
    return `${name}: ${arg ? String(arg.type) : "<missing>"}`;
  });
  return `${field.name}${args.length > 0 ? `(${args.join(", ")})` : ""}: ${String(field.type)}`;
}

function argNames(expected: string): string[] {
  const list = /\(([^)]*)\)/.exec(expected)?.[1];
  return list ? list.split(",").map((a) => a.split(":")[0]!.trim()) : [];
}

function checkFields(schema: GraphQLSchema, typeName: string, expected: string[]): void {
  const type = schema.getType(typeName);
  expect(isObjectType(type) || isInterfaceType(type), `${typeName} is an object or interface type`).toBe(true);
  const fields = (type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields();
  for (const line of expected) {
    const name = /^\w+/.exec(line)![0];
    const field = fields[name];
    expect(field, `${typeName}.${name} exists`).toBeDefined();
    expect(signature(field!, argNames(line)), `${typeName}.${name}`).toBe(line);
  }
}

describe("schema.graphql", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildCasebookSchema();
  });

  it("is the schema the code builds", () => {
    const committed = fs.readFileSync(path.join(PACKAGE_ROOT, "schema.graphql"), "utf8");
    expect(committed, "schema.graphql is out of date: run npm run schema:print").toBe(printCasebookSchema(schema));
  });

  it("parses as SDL on its own", () => {
    expect(() => buildSchema(fs.readFileSync(path.join(PACKAGE_ROOT, "schema.graphql"), "utf8"))).not.toThrow();
  });
});

describe("the contract's GraphQL names", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildCasebookSchema();
  });

  it("has both enums with exactly the contract's values", () => {
    for (const [name, values] of Object.entries(ENUMS)) {
      const type = schema.getType(name);
      expect(isEnumType(type), `${name} is an enum`).toBe(true);
      expect(type && isEnumType(type) ? type.getValues().map((v) => v.name) : []).toEqual(values);
    }
  });

  it("has the WorkflowEntity interface, implemented by Mission, Job and Case", () => {
    checkFields(schema, "WorkflowEntity", ENTITY_FIELDS);
    const entity = schema.getType("WorkflowEntity");
    expect(isInterfaceType(entity)).toBe(true);
    for (const name of ["Mission", "Job", "Case"]) {
      const type = schema.getType(name);
      expect(isObjectType(type) && type.getInterfaces().map((i) => i.name), name).toEqual(["WorkflowEntity"]);
    }
  });

  it.each(Object.entries(OBJECTS))("has %s with the contract's fields and arguments", (name, fields) => {
    checkFields(schema, name, fields);
  });

  it.each(["Mission", "Job", "Case", "Transition"])(
    "has %sConnection { edges { cursor node } pageInfo totalCount }",
    (node) => {
      checkFields(schema, `${node}Connection`, [`edges: [${node}Edge!]!`, "pageInfo: PageInfo!", "totalCount: Int!"]);
      checkFields(schema, `${node}Edge`, ["cursor: String!", `node: ${node}!`]);
    },
  );

  it("has lifecycle { transitions { event from to } runningStatuses terminalStatuses mermaid }", () => {
    checkFields(schema, "Lifecycle", [
      "runningStatuses: [EntityStatus!]!",
      "terminalStatuses: [EntityStatus!]!",
      "mermaid: String!",
    ]);
    const lifecycle = schema.getType("Lifecycle");
    const transitions = isObjectType(lifecycle) ? lifecycle.getFields().transitions : undefined;
    expect(transitions).toBeDefined();
    const element = String(transitions!.type).replace(/[[\]!]/g, "");
    checkFields(schema, element, ["event: EntityEvent!", "from: EntityStatus!", "to: EntityStatus!"]);
  });

  it("has input EventOptions with the contract's fields", () => {
    const type = schema.getType("EventOptions");
    expect(isInputObjectType(type)).toBe(true);
    const fields = isInputObjectType(type) ? type.getFields() : {};
    for (const line of EVENT_OPTIONS) {
      const [name, typeName] = line.split(": ") as [string, string];
      expect(fields[name] ? `${name}: ${String(fields[name].type)}` : `${name}: <missing>`).toBe(
        `${name}: ${typeName}`,
      );
    }
  });

  it("has the custom scalars", () => {
    for (const name of ["DateTime", "JSON", "JSONObject"]) expect(schema.getType(name), name).toBeDefined();
  });
});
