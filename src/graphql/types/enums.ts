import { registerEnumType } from "type-graphql";
import { ENTITY_STATUSES, type EntityStatus, RECORDED_EVENTS, type RecordedEvent } from "../../domain/lifecycle.js";

// type-graphql wants enum-like objects; these mirror the domain's lists one to one.
export const EntityStatusEnum = Object.fromEntries(ENTITY_STATUSES.map((s) => [s, s])) as { [K in EntityStatus]: K };
// IMPORTED is in the enum so that histories can name it; sent as an event, it is refused (BAD_USER_INPUT).
export const EntityEventEnum = Object.fromEntries(RECORDED_EVENTS.map((e) => [e, e])) as {
  [K in RecordedEvent]: K;
};

registerEnumType(EntityStatusEnum, { name: "EntityStatus", description: "Where an entity is in its lifecycle." });
registerEnumType(EntityEventEnum, {
  name: "EntityEvent",
  description:
    "What moves an entity from one status to another. IMPORTED only appears in histories: the one transition an import records for an entity that arrived with its status; it cannot be sent.",
});
