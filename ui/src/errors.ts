// Turns what the server answered into words: what happened and what to do about it. The codes are
// the public contract's (errors[].extensions.code); the message the server wrote follows as detail.
import type { CombinedError } from "@urql/core";

export interface Explained {
  code: string;
  title: string;
  advice: string;
  detail?: string;
}

const EXPLANATIONS: Record<string, { title: string; advice: string }> = {
  NOT_FOUND: {
    title: "It is not there any more",
    advice: "Someone may have deleted it. Go back to the list to see what exists now.",
  },
  INVALID_TRANSITION: {
    title: "That event does not apply to the current status",
    advice: "The status changed since the page was shown. The page now shows the events that apply.",
  },
  VERSION_CONFLICT: {
    title: "Someone changed it in the meantime",
    advice: "The page has been refreshed with the latest state: check it and try again.",
  },
  ENTITY_FINISHED: {
    title: "It, or what it belongs to, has finished",
    advice: "A completed, failed or cancelled item takes no more changes, and neither does one being cancelled.",
  },
  ENTITY_RUNNING: {
    title: "It is still running",
    advice: "Cancel it first, or delete it anyway if the agents working on it have stopped.",
  },
  ALREADY_EXISTS: { title: "That id is taken", advice: "Choose another id." },
  BAD_USER_INPUT: { title: "The request was refused", advice: "Check the values you entered." },
  UNAUTHENTICATED: {
    title: "An API key is needed",
    advice: "Enter a key the server accepts (its API_KEYS setting).",
  },
  SERVICE_UNAVAILABLE: {
    title: "The database cannot be reached",
    advice: "casebook is running but its database is not answering. Try again in a moment.",
  },
  QUERY_TOO_COMPLEX: {
    title: "The request is larger than the server allows",
    advice: "Ask for fewer items at once; the server's GRAPHQL_MAX_* settings set the limits.",
  },
  CURSOR_EXPIRED: {
    title: "The live feed moved on",
    advice: "Reload the page to read the current state.",
  },
  INTERNAL_SERVER_ERROR: {
    title: "Something went wrong on the server",
    advice: "Try again; if it keeps happening, the server's log says why.",
  },
};

const NETWORK: Omit<Explained, "detail"> = {
  code: "NETWORK",
  title: "casebook cannot be reached",
  advice: "Check that the service is running, then try again.",
};

export function explain(error: CombinedError): Explained {
  const graphQLError = error.graphQLErrors[0];
  if (!graphQLError) return { ...NETWORK, detail: error.networkError?.message };
  const code =
    typeof graphQLError.extensions.code === "string" ? graphQLError.extensions.code : "INTERNAL_SERVER_ERROR";
  const known = EXPLANATIONS[code] ?? EXPLANATIONS.INTERNAL_SERVER_ERROR!;
  return { code, ...known, detail: graphQLError.message };
}
