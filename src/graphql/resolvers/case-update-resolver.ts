import { FieldResolver, Float, Resolver, Root } from "type-graphql";
import type { CaseUpdateRecord } from "../../domain/entities.js";
import { CaseUpdate } from "../types/case.js";
import { stepCost } from "./nested-fields.js";

@Resolver(() => CaseUpdate)
export class CaseUpdateResolver {
  // Costs are stored in micro-units (domain/cost.ts); GraphQL speaks units.
  @FieldResolver(() => Float, { nullable: true })
  cost(@Root() step: CaseUpdateRecord) {
    return stepCost(step);
  }
}
