// Live updates: one subscription to the change feed for the whole page, started from the feed's
// end as read when the page opens. A change says what moved; each view on screen that it
// concerns reads itself again (a burst of changes makes one read per view, not one per change).
import { createContext, useContext, useEffect, useMemo, useRef } from "react";
import { useQuery, useSubscription } from "urql";
import { explain } from "./errors";
import { LatestChangeCursorDocument, LiveChangesDocument, type LiveChangesSubscription } from "./generated/graphql";

export type LiveChange = LiveChangesSubscription["changes"];
/** A change, or "everything" when changes may have been missed and every view should read again. */
type Notice = LiveChange | "everything";
type Listener = (notice: Notice) => void;

/** How long a view waits after a change it concerns, gathering more, before it reads again. */
const REFRESH_AFTER_MS = 150;

class LiveChanges {
  private readonly listeners = new Set<Listener>();

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(notice: Notice): void {
    for (const listener of this.listeners) listener(notice);
  }
}

const LiveContext = createContext<LiveChanges>(new LiveChanges());

/** Follows the change feed and tells the views below it; renders nothing of its own. */
export function LiveFeed({ children }: { children: React.ReactNode }) {
  const changes = useMemo(() => new LiveChanges(), []);
  // Mounted before the page's views, so the feed's end is asked for before their state is: a
  // change in between is received (and read twice) rather than missed.
  const [start, readStartAgain] = useQuery({ query: LatestChangeCursorDocument, requestPolicy: "network-only" });
  const after = start.data ? start.data.latestChangeCursor : undefined;
  const [followed] = useSubscription(
    { query: LiveChangesDocument, variables: { after: after ?? null }, pause: start.data === undefined },
    (_previous: LiveChangesSubscription | undefined, next: LiveChangesSubscription) => {
      changes.tell(next.changes);
      return next;
    },
  );
  const expired = followed.error !== undefined && explain(followed.error).code === "CURSOR_EXPIRED";
  useEffect(() => {
    if (!expired) return;
    // The feed no longer holds where this page stopped: read everything again, then follow the
    // feed from its end as it is now.
    changes.tell("everything");
    readStartAgain({ requestPolicy: "network-only" });
  }, [expired, changes, readStartAgain]);
  return <LiveContext.Provider value={changes}>{children}</LiveContext.Provider>;
}

/**
 * Calls `refresh` soon after a change that `concerns` this view (and after anything that may
 * have been missed). `concerns` and `refresh` may be new functions on every render.
 */
export function useLiveRefresh(concerns: (change: LiveChange) => boolean, refresh: () => void): void {
  const changes = useContext(LiveContext);
  const latest = useRef({ concerns, refresh });
  latest.current = { concerns, refresh };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopListening = changes.listen((notice) => {
      if (notice !== "everything" && !latest.current.concerns(notice)) return;
      timer ??= setTimeout(() => {
        timer = undefined;
        latest.current.refresh();
      }, REFRESH_AFTER_MS);
    });
    return () => {
      stopListening();
      clearTimeout(timer);
    };
  }, [changes]);
}
