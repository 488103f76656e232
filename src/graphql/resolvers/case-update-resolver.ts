import { FieldResolver, Float, Resolver, Root } from "type-graphql";
import { microsToCost } from "../../domain/cost.js";
import type { CaseUpdateRecord } from "../../domain/entities.js";
import { CaseUpdate } from "../types/case.js";

@Resolver(() => CaseUpdate)
export class CaseUpdateResolver {
  // Costs are stored in micro-units (domain/cost.ts); GraphQL speaks units.
  @FieldResolver(() => Float, { nullable: true })
  cost(@Root() step: CaseUpdateRecord) {
    return step.costMicros === null ? null : microsToCost(step.costMicros);
  }
}
