// A minimal GraphQL-over-HTTP client for the reliability tests: one POST, the parsed body, and
// the error code when there is one. Network failures throw (a crashed server is one).
interface GqlError {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  /** The Retry-After header, when the answer had one. */
  retryAfter?: string;
  data?: T | null;
  errors?: GqlError[];
}

export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const retryAfter = response.headers.get("retry-after");
  try {
    return {
      status: response.status,
      ...(retryAfter === null ? {} : { retryAfter }),
      ...(JSON.parse(text) as Omit<GqlResult<T>, "status">),
    };
  } catch {
    throw new Error(`HTTP ${response.status}: not JSON: ${text.slice(0, 300)}`);
  }
}

/** The single error code of a failed result, or undefined when it succeeded. */
export function codeOf(result: GqlResult<unknown>): string | undefined {
  if (!result.errors?.length) return undefined;
  return String(result.errors[0]!.extensions?.code ?? "NO_CODE");
}

/** The data of a result that must have succeeded. */
export function dataOf<T>(result: GqlResult<T>): T {
  if (result.errors?.length || result.data == null)
    throw new Error(`expected data, got HTTP ${result.status}: ${JSON.stringify(result)}`);
  return result.data;
}

const ENTITY = "id status version";

export const MUTATIONS = {
  createMission: `mutation($input: CreateMissionInput!) { createMission(input: $input) { ${ENTITY} } }`,
  createJob: `mutation($input: CreateJobInput!) { createJob(input: $input) { ${ENTITY} } }`,
  startCase: `mutation($input: StartCaseInput!) { startCase(input: $input) { ${ENTITY} } }`,
  updateJob: `mutation($id: ID!, $input: UpdateJobInput!, $v: Int) { updateJob(id: $id, input: $input, expectedVersion: $v) { ${ENTITY} } }`,
  addCaseUpdate: `mutation($id: ID!, $update: CaseUpdateInput!) { addCaseUpdate(caseId: $id, update: $update) { ${ENTITY} } }`,
  missionEvent: `mutation($id: ID!, $e: EntityEvent!, $o: EventOptions) { handleMissionEvent(id: $id, event: $e, options: $o) { ${ENTITY} } }`,
  jobEvent: `mutation($id: ID!, $e: EntityEvent!, $o: EventOptions) { handleJobEvent(id: $id, event: $e, options: $o) { ${ENTITY} } }`,
  caseEvent: `mutation($id: ID!, $e: EntityEvent!, $o: EventOptions) { handleCaseEvent(id: $id, event: $e, options: $o) { ${ENTITY} } }`,
} as const;

export async function health(origin: string): Promise<number> {
  return (await healthReport(origin)).status;
}

/** GET /health: its status and body ({ status, database }). */
export async function healthReport(origin: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${origin}/health`);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}
