// What each GraphQL request carries. Built fresh per request: loaders cache only within it.
import { randomUUID } from "node:crypto";
import type { Services } from "../services/services.js";
import { createLoaders, type Loaders } from "./loaders.js";

export interface GraphQLContext {
  services: Services;
  loaders: Loaders;
  requestId: string;
}

export function createContext(services: Services, requestId: string = randomUUID()): GraphQLContext {
  return { services, loaders: createLoaders(services), requestId };
}
