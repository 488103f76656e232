import { registerEnumType } from "type-graphql";
import { ENTITY_EVENTS, ENTITY_STATUSES, type EntityEvent, type EntityStatus } from "../../domain/lifecycle.js";

// type-graphql wants enum-like objects; these mirror the domain's lists one to one.
export const EntityStatusEnum = Object.fromEntries(ENTITY_STATUSES.map((s) => [s, s])) as { [K in EntityStatus]: K };
export const EntityEventEnum = Object.fromEntries(ENTITY_EVENTS.map((e) => [e, e])) as { [K in EntityEvent]: K };

registerEnumType(EntityStatusEnum, { name: "EntityStatus", description: "Where an entity is in its lifecycle." });
registerEnumType(EntityEventEnum, {
  name: "EntityEvent",
  description: "What moves an entity from one status to another.",
});
