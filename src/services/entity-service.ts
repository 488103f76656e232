// What every entity type offers the same way: read, list, delete and lifecycle events.
// Create and update differ per type and live in the subclasses.

import type { RecordView } from "../db/record-views.js";
import type { CountedPage, EditNote, EntityFilter, EntityStore, Store } from "../db/store.js";
import type { EntityRecord, EntityRecordByType, EntityType, JsonObject, Page } from "../domain/entities.js";
import { AlreadyExistsError, NotFoundError, VersionConflictError } from "../domain/errors.js";
import { refuseIfFinished } from "../domain/finished-rules.js";
import type { EntityEvent, EntityStatus } from "../domain/lifecycle.js";
import { INITIAL_STATUS } from "../domain/lifecycle.js";
import { refuseRunningDelete } from "./delete-rules.js";
import type { EventOptions } from "./event-options.js";
import type { Clock, LifecycleService } from "./lifecycle-service.js";
import { entityPageRequest, type ListArgs, listFilter } from "./list-args.js";
import { entityId, lookupText, newMetadata, optionalVersion, requiredText } from "./validation.js";

export type { ListArgs } from "./list-args.js";

export abstract class EntityService<T extends EntityType> {
  constructor(
    protected readonly store: Store,
    readonly entityType: T,
    protected readonly lifecycle: LifecycleService,
    protected readonly clock: Clock,
  ) {}

  /** This type's entities in `store` (the root store, or a transaction's). */
  protected repoIn(store: Store): EntityStore<T> {
    return store.entities[this.entityType];
  }

  protected get repo(): EntityStore<T> {
    return this.repoIn(this.store);
  }

  /** The entity, or null when the id names nothing (reads never throw NOT_FOUND). */
  async get(id: string): Promise<EntityRecordByType[T] | null> {
    return (await this.repo.findById(id)) ?? null;
  }

  /** Entities by id, as read-only views (see db/record-views.ts): what GraphQL's loaders read. */
  async getMany(ids: readonly string[]): Promise<Map<string, RecordView<T>>> {
    return this.repo.findByIds(ids);
  }

  /** A page of the list; `own` is the filter of the type's own arguments (its parent). */
  async list(args: ListArgs, own: EntityFilter = {}): Promise<Page<EntityRecordByType[T]>> {
    return this.repo.list({ ...listFilter(args), ...own }, entityPageRequest(this.entityType, args));
  }

  async count(args: ListArgs, own: EntityFilter = {}): Promise<number> {
    return this.repo.count({ ...listFilter(args), ...own });
  }

  /**
   * A page (when `withPage`) and the status counts of the list's filter (when `withCounts`),
   * read in one snapshot; the arguments are checked either way.
   */
  async listCounted(
    args: ListArgs,
    own: EntityFilter,
    want: { withPage: boolean; withCounts: boolean },
  ): Promise<CountedPage<EntityRecordByType[T]>> {
    return this.repo.listCounted({ ...listFilter(args), ...own }, entityPageRequest(this.entityType, args), want);
  }

  /** The filter of the type's own list arguments (a job's mission, a case's job): none here. */
  ownFilter(_args: object): EntityFilter {
    return {};
  }

  /**
   * True when something was deleted; its children and transitions go with it (ON DELETE CASCADE).
   * Running work (the entity, or a job or case under it) is deleted only with `force`.
   */
  async delete(id: string, force?: boolean | null): Promise<boolean> {
    lookupText(id, "id");
    if (force === true) return this.repo.delete(id, this.clock());
    return this.store.transaction(async (tx) => {
      const entity = await this.repoIn(tx).findById(id, { lock: true });
      if (!entity) return false;
      await refuseRunningDelete(tx, this.entityType, entity);
      return this.repoIn(tx).delete(id, this.clock());
    });
  }

  async handleEvent(id: string, event: EntityEvent, options?: EventOptions | null): Promise<EntityRecordByType[T]> {
    return this.lifecycle.apply(this.store, this.entityType, id, { event }, options ?? {});
  }

  async transition(id: string, to: EntityStatus, options?: EventOptions | null): Promise<EntityRecordByType[T]> {
    return this.lifecycle.apply(this.store, this.entityType, id, { to }, options ?? {});
  }

  /** The fields every new entity starts with: checked id and name, STOPPED at version 0. */
  protected newEntity(
    input: { id?: string | null; name: string; metadata?: JsonObject | null },
    idPrefix: string,
  ): EntityRecord {
    const now = this.clock();
    return {
      id: entityId(input.id, idPrefix),
      name: requiredText(input.name, "name"),
      status: INITIAL_STATUS,
      version: 0,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      awaitingUntil: null,
      metadata: newMetadata(input.metadata),
    };
  }

  /**
   * Inserts a new record in the transaction `tx`, refusing an id that is taken. The check comes
   * first so that its error wins over others the caller checks after it; the insert refuses a
   * duplicate that a concurrent writer committed in between just the same.
   */
  protected async insertNew(tx: Store, record: EntityRecordByType[T], actor: string | null = null): Promise<void> {
    if (await this.repoIn(tx).exists(record.id)) throw new AlreadyExistsError(this.entityType, record.id);
    await this.repoIn(tx).insert(record, actor);
  }

  /**
   * Applies an edit of non-status fields: checks existence and `expectedVersion`, writes the
   * changed fields and bumps the version. An edit that changes nothing writes nothing.
   */
  protected applyEdit(
    id: string,
    changes: Partial<EntityRecordByType[T]>,
    expectedVersionArg: number | null | undefined,
  ): Promise<EntityRecordByType[T]> {
    const expectedVersion = optionalVersion(expectedVersionArg);
    lookupText(id, "id");
    return this.store.transaction(async (tx) => {
      const entity = await this.requireExisting(tx, id);
      refuseIfFinished(this.entityType, entity, "it takes no more edits");
      if (expectedVersion !== undefined && entity.version !== expectedVersion) {
        throw new VersionConflictError(this.entityType, id, expectedVersion, entity.version);
      }
      return this.writeEdit(tx, entity, changes);
    });
  }

  /** Writes the defined fields of `changes` onto an entity read (and locked) in the transaction `tx`. */
  protected async writeEdit(
    tx: Store,
    entity: EntityRecordByType[T],
    changes: Partial<EntityRecordByType[T]>,
    note?: EditNote,
  ): Promise<EntityRecordByType[T]> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(defined).length === 0) return entity;
    const at = this.clock();
    if (
      !(await this.repoIn(tx).update(entity.id, defined as Partial<EntityRecordByType[T]>, at, entity.version, note))
    ) {
      throw new Error(`${this.entityType} "${entity.id}" changed during its own update`);
    }
    return { ...entity, ...defined, version: entity.version + 1, updatedAt: at };
  }

  /** The entity, locked until the transaction `tx` ends, or NOT_FOUND. */
  protected async requireExisting(tx: Store, id: string): Promise<EntityRecordByType[T]> {
    const entity = await this.repoIn(tx).findById(id, { lock: true });
    if (!entity) throw new NotFoundError(this.entityType, id);
    return entity;
  }
}
