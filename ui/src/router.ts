// The dashboard's pages are plain paths under /ui/ (the server answers each with index.html), so
// every view has a URL to bookmark and the back button works.
import { useEffect, useState } from "react";

export type Route =
  | { page: "missions" }
  | { page: "jobs" }
  | { page: "mission"; id: string }
  | { page: "job"; id: string }
  | { page: "case"; id: string }
  | { page: "lifecycle" }
  | { page: "not-found"; path: string };

const BASE = "/ui/";

function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\//, "");
  const [first, second, ...more] = rest.split("/").filter((part) => part.length > 0);
  if (first === undefined) return { page: "missions" };
  if (more.length === 0 && second === undefined) {
    if (first === "jobs") return { page: "jobs" };
    if (first === "lifecycle") return { page: "lifecycle" };
  }
  if (more.length === 0 && second !== undefined) {
    const id = decodeURIComponent(second);
    if (first === "missions") return { page: "mission", id };
    if (first === "jobs") return { page: "job", id };
    if (first === "cases") return { page: "case", id };
  }
  return { page: "not-found", path: pathname };
}

export function hrefOf(route: Exclude<Route, { page: "not-found" }>): string {
  switch (route.page) {
    case "missions":
      return BASE;
    case "jobs":
    case "lifecycle":
      return `${BASE}${route.page}`;
    case "mission":
    case "job":
    case "case":
      return `${BASE}${route.page === "mission" ? "missions" : route.page === "job" ? "jobs" : "cases"}/${encodeURIComponent(route.id)}`;
  }
}

export function navigate(href: string): void {
  if (href === window.location.pathname) return;
  window.history.pushState(null, "", href);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.pathname));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(window.location.pathname));
    window.addEventListener("popstate", onChange);
    return () => window.removeEventListener("popstate", onChange);
  }, []);
  return route;
}
