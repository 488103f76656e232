// A top-level list (missions, jobs, cases): its page and its counts, as the selection asks. When
// both are asked for they are read in one snapshot (EntityStore.listCounted), so that totalCount
// and statusCounts are those of the rows a walk of the pages sees.
import type { GraphQLResolveInfo } from "graphql";
import type { EntityType } from "../../domain/entities.js";
import type { EntityService } from "../../services/entity-service.js";
import type { ListArgs } from "../../services/list-args.js";
import type { GraphQLContext } from "../context.js";
import { selectsCounts, selectsPage } from "../page-selection.js";
import { toConnection } from "../types/connection-value.js";
import { statusCountList, sumOfCounts } from "../types/status-count.js";

export async function topLevelList<T extends EntityType>(
  service: EntityService<T>,
  args: ListArgs,
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
) {
  const withPage = selectsPage(info);
  const withCounts = selectsCounts(info);
  // Arguments are as valid, or not, whatever is selected.
  if (!withPage) ctx.services.checkPageArgs({ of: "children", entityType: service.entityType }, args);
  const own = service.ownFilter(args);
  const { page, statusCounts } = await service.listCounted(args, own, { withPage, withCounts });
  return toConnection(
    page,
    () => (statusCounts ? sumOfCounts(statusCounts) : service.count(args, own)),
    () => statusCountList(statusCounts ?? new Map()),
  );
}
