// Who may do what, as the server says in index.html (src/server/dashboard-route.ts), and the API
// key the person typed, kept for this tab only (sessionStorage: gone when the tab closes).

/** none: no keys configured; mutations: reading is open, changes need a key; all: everything needs one. */
export type AuthMode = "none" | "mutations" | "all";

const KEY_ITEM = "casebook.apiKey";

export function authMode(): AuthMode {
  const content = document.querySelector('meta[name="casebook-auth"]')?.getAttribute("content");
  return content === "mutations" || content === "all" ? content : "none";
}

export function storedKey(): string | undefined {
  try {
    return sessionStorage.getItem(KEY_ITEM) ?? undefined;
  } catch {
    return undefined;
  }
}

export function storeKey(key: string | undefined): void {
  try {
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // Storage can be switched off; the key then lasts until the page reloads.
  }
}
