import { Query, Resolver } from "type-graphql";
import {
  ANOMALY_STATUSES,
  LIFECYCLE,
  lifecycleMermaid,
  RUNNING_STATUSES,
  TERMINAL_STATUSES,
} from "../../domain/lifecycle.js";
import { Lifecycle } from "../types/lifecycle.js";

@Resolver(() => Lifecycle)
export class LifecycleResolver {
  @Query(() => Lifecycle, { description: "The state machine every entity follows." })
  lifecycle(): Lifecycle {
    return {
      transitions: LIFECYCLE.map((t) => ({ ...t })),
      runningStatuses: [...RUNNING_STATUSES],
      terminalStatuses: [...TERMINAL_STATUSES],
      anomalyStatuses: [...ANOMALY_STATUSES],
      mermaid: lifecycleMermaid(),
    };
  }
}
