import { Field, ObjectType } from "type-graphql";
import { connectionType } from "./connection.js";
import { PLAIN_FIELDS } from "./plain-fields.js";
import { WorkflowEntity } from "./workflow-entity.js";

@ObjectType({ ...PLAIN_FIELDS, implements: WorkflowEntity, description: "A goal that groups jobs." })
export class Mission extends WorkflowEntity {
  @Field(() => String, { nullable: true })
  description!: string | null;
}

export const MissionConnection = connectionType("Mission", Mission, true);
