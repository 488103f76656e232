import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import type { JsonValue } from "../../domain/entities.js";
import { connectionType } from "./connection.js";
import { PLAIN_FIELDS } from "./plain-fields.js";
import { DateTimeScalar, JSONScalar } from "./scalars.js";
import { WorkflowEntity } from "./workflow-entity.js";

@ObjectType({ ...PLAIN_FIELDS, description: "One step appended to a case." })
export class CaseUpdate {
  @Field(() => Int)
  index!: number;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Float, { nullable: true, description: "Kept to the millionth (see Case.totalCost)." })
  cost!: number | null;

  @Field(() => JSONScalar, { nullable: true })
  payload!: JsonValue | null;

  @Field(() => Boolean)
  isFinal!: boolean;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => DateTimeScalar)
  at!: Date;
}

// `Case` is a keyword-like name in some languages, but GraphQL and TypeScript accept it.
@ObjectType("Case", { ...PLAIN_FIELDS, implements: WorkflowEntity, description: "One unit of work within a job." })
export class Case extends WorkflowEntity {
  @Field(() => ID)
  jobId!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Float, {
    description:
      "Sum of the steps' costs, exact to the millionth: each cost is kept as a whole number of millionths, so decimal costs add up exactly. At most 1000000000.",
  })
  totalCost!: number;

  @Field(() => JSONScalar, { nullable: true })
  finalDelivery!: JsonValue | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Why the case failed: the error of the step that failed it, or the reason given with ERROR_ENCOUNTERED or TIMEOUT_OR_ERROR (for a deadline, which one passed).",
  })
  error!: string | null;
}

export const CaseConnection = connectionType("Case", Case, true);

export const CaseUpdateConnection = connectionType("CaseUpdate", CaseUpdate);
