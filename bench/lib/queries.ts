// The two operations of the HTTP scenarios, byte for byte what every server receives.
export const EVENT_QUERY =
  "mutation JobEvent($id: ID!, $event: EntityEvent!) { handleJobEvent(id: $id, event: $event) { id status version } }";
export const READ_QUERY =
  "query JobCases($id: ID!) { job(id: $id) { status cases(first: 10) { edges { node { id status } } } } }";
