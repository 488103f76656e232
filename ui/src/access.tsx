// Whether this tab may change data: the server's API key settings (auth.ts) and the key typed in.
import { createContext, useContext } from "react";
import type { AuthMode } from "./auth";

export interface Access {
  mode: AuthMode;
  apiKey: string | undefined;
  /** Keeps the key for this tab, or forgets it (undefined). */
  setApiKey: (key: string | undefined) => void;
  /** Mutations will be accepted as far as the page can tell (a wrong key is found out by the server). */
  canWrite: boolean;
}

export const AccessContext = createContext<Access>({
  mode: "none",
  apiKey: undefined,
  setApiKey: () => {},
  canWrite: true,
});

export function useAccess(): Access {
  return useContext(AccessContext);
}
