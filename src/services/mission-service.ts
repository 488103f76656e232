import type { JsonObject, MissionRecord } from "../domain/entities.js";
import { EntityService } from "./entity-service.js";
import { metadataEdit, optionalText, requiredTextEdit } from "./validation.js";

export interface CreateMissionInput {
  id?: string | null;
  name: string;
  description?: string | null;
  metadata?: JsonObject | null;
}

export interface UpdateMissionInput {
  name?: string | null;
  description?: string | null;
  metadata?: JsonObject | null;
}

export class MissionService extends EntityService<"Mission"> {
  async create(input: CreateMissionInput): Promise<MissionRecord> {
    const record: MissionRecord = {
      ...this.newEntity(input, "mission"),
      description: optionalText(input.description, "description") ?? null,
    };
    await this.store.transaction((tx) => this.insertNew(tx, record));
    return record;
  }

  async update(id: string, input: UpdateMissionInput, expectedVersion?: number | null): Promise<MissionRecord> {
    return this.applyEdit(
      id,
      {
        name: requiredTextEdit(input.name, "name"),
        description: optionalText(input.description, "description"),
        metadata: metadataEdit(input.metadata),
      },
      expectedVersion,
    );
  }
}
