/** The three kinds of entity, as GraphQL names their types. */
export type EntityKind = "Mission" | "Job" | "Case";
