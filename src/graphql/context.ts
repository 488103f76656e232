// What each GraphQL request carries. Built fresh per request: loaders cache only within it.
import { randomUUID } from "node:crypto";
import type { ChangeFilter, ChangeRecord } from "../domain/changes.js";
import type { Services } from "../services/services.js";
import { createLoaders, type Loaders } from "./loaders.js";

export interface GraphQLContext {
  services: Services;
  loaders: Loaders;
  requestId: string;
  /**
   * Response keys of the mutation fields this request has written (committed), in order: a
   * document's mutations run one after another, each in its own transaction (mutation-progress.ts).
   */
  written: string[];
  /** Over WebSocket only: starts a live subscription to the change feed (server/subscriptions.ts). */
  live?: {
    subscribe(after: number, filter: ChangeFilter): AsyncIterableIterator<ChangeRecord>;
  };
}

export function createContext(services: Services, requestId: string = randomUUID()): GraphQLContext {
  return { services, loaders: createLoaders(services), requestId, written: [] };
}
