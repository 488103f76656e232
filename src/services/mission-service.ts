import type { JsonObject, MissionRecord } from "../domain/entities.js";
import { EntityService } from "./entity-service.js";
import { entityId, metadataEdit, newMetadata, optionalText, requiredText, requiredTextEdit } from "./validation.js";

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
    const now = this.clock();
    const record: MissionRecord = {
      id: entityId(input.id, "mission"),
      name: requiredText(input.name, "name"),
      description: optionalText(input.description, "description") ?? null,
      status: "STOPPED",
      version: 0,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      metadata: newMetadata(input.metadata),
    };
    this.repos.transaction(() => this.insertNew(record));
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

