// The frame around every page: navigation, the API key, the live connection's state, and the
// page the address names.
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { Provider } from "urql";
import { type Access, AccessContext, useAccess } from "./access";
import { authMode, storedKey, storeKey } from "./auth";
import { createGraphQLClient, type SocketState as LiveState } from "./client";
import { KeyForm } from "./components/key-form";
import { Link } from "./components/link";
import { LiveFeed } from "./live";
import { hrefOf, type Route, useRoute } from "./router";
import { CasePage } from "./views/case-page";
import { JobPage } from "./views/job-page";
import { JobsPage } from "./views/jobs-page";
import { LifecyclePage } from "./views/lifecycle-page";
import { MissionPage } from "./views/mission-page";
import { MissionsPage } from "./views/missions-page";

type SocketState = "idle" | LiveState;

export function App() {
  const mode = useMemo(authMode, []);
  const [apiKey, setKey] = useState(storedKey);
  const [socket, setSocket] = useState<SocketState>("idle");
  const client = useMemo(() => createGraphQLClient({ apiKey, onSocketState: setSocket }), [apiKey]);
  const readable = !(mode === "all" && !apiKey);
  const access = useMemo<Access>(
    () => ({
      mode,
      apiKey,
      setApiKey: (key) => {
        storeKey(key);
        setKey(key);
      },
      canWrite: mode === "none" || apiKey !== undefined,
    }),
    [mode, apiKey],
  );
  const route = useRoute();
  return (
    <AccessContext.Provider value={access}>
      <Provider value={client}>
        {readable ? (
          <LiveFeed>
            <Frame route={route} socket={socket}>
              <Page route={route} />
            </Frame>
          </LiveFeed>
        ) : (
          <Frame route={route} socket={socket}>
            <KeyRequired />
          </Frame>
        )}
      </Provider>
    </AccessContext.Provider>
  );
}

function Frame({ route, socket, children }: { route: Route; socket: SocketState; children: ReactNode }) {
  const { mode, apiKey } = useAccess();
  const main = useRef<HTMLElement>(null);
  // After following a link, keyboard and screen-reader users start at the new page's content.
  useEffect(() => {
    const focusMain = () => requestAnimationFrame(() => main.current?.focus());
    window.addEventListener("popstate", focusMain);
    return () => window.removeEventListener("popstate", focusMain);
  }, []);
  const section =
    route.page === "jobs" || route.page === "job" ? "jobs" : route.page === "lifecycle" ? "lifecycle" : "missions";
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href={hrefOf({ page: "missions" })} className="brand">
          casebook
        </Link>
        <nav aria-label="Sections">
          <ul>
            {(["missions", "jobs", "lifecycle"] as const).map((page) => (
              <li key={page}>
                <Link href={hrefOf({ page })} className={section === page ? "current" : undefined}>
                  {page.charAt(0).toUpperCase() + page.slice(1)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className={`live live-${socket}`} role="status" data-testid="live-state">
          {socket === "reconnecting" ? "Live updates: reconnecting…" : socket === "connected" ? "Live" : ""}
        </span>
        {mode === "all" && !apiKey ? null : <KeyForm />}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "missions":
      return <MissionsPage />;
    case "jobs":
      return <JobsPage />;
    case "mission":
      return <MissionPage key={route.id} id={route.id} />;
    case "job":
      return <JobPage key={route.id} id={route.id} />;
    case "case":
      return <CasePage key={route.id} id={route.id} />;
    case "lifecycle":
      return <LifecyclePage />;
    case "not-found":
      return (
        <div className="notice" role="alert">
          <p className="notice-title">No page at {route.path}</p>
          <Link href={hrefOf({ page: "missions" })}>Go to the missions</Link>
        </div>
      );
  }
}

function KeyRequired() {
  return (
    <section className="key-required" aria-labelledby="key-heading">
      <h1 id="key-heading">An API key is needed</h1>
      <p>This casebook answers nobody without a key (REQUIRE_AUTH_FOR_QUERIES). Enter one of its API_KEYS.</p>
      <KeyForm prominent />
    </section>
  );
}
