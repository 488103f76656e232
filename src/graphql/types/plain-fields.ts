// casebook uses no type-graphql middlewares and no auth checker, so a field that only reads a
// property needs no resolver of its own. Without this option type-graphql wraps every field of
// every object in one, a call per field read; with it graphql-js reads the property directly.
// Every object type spreads this into its @ObjectType options.
export const PLAIN_FIELDS = { simpleResolvers: true } as const;
