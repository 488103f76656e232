-- Commit order for the change feed, without making writers wait for each other.
--
-- A sequence hands out numbers in the order statements ask for them, not in the order their
-- transactions commit: a reader that resumed after position N could miss a row numbered below N
-- that commits later. The first design made every append take one exclusive lock held to its
-- commit, and sent NOTIFY from the appending transaction; both serialise commits (NOTIFY takes a
-- database-wide lock for the commit, WAL flush included), which halved write throughput.
--
-- Now writers only take the feed's lock in shared mode, before they draw a number, and hold it
-- to their commit: writers never wait for one another. A reader asks for the settled horizon
-- instead: the last number drawn so far, returned once every transaction holding the shared lock
-- at that moment has ended (it waits for the lock in exclusive mode, held only to the end of its
-- own statement). Every
-- number up to the horizon is then committed or rolled back, and a statement that starts after
-- the call sees every committed row up to it; readers read no further than the horizon.
-- Listeners are told of new changes by the writing process once its transaction has committed
-- (a NOTIFY of its own, outside the write), so the write's commit does not pay for it.

DROP TRIGGER "Change_notify" ON "Change";
DROP FUNCTION "casebook_change_notify"();

CREATE OR REPLACE FUNCTION "casebook_change_commit_order"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(7217946512893451001);
  RETURN NULL;
END
$$;

CREATE FUNCTION "casebook_change_horizon"() RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  drawn BIGINT;
BEGIN
  -- A sequence's row is read as it is now, not as of a snapshot: every number handed out so far.
  SELECT CASE WHEN "is_called" THEN "last_value" ELSE "last_value" - 1 END INTO drawn FROM "Change_seq_seq";
  -- Held to the end of the caller's transaction, which is the statement itself when it runs on
  -- its own (as casebook's reads do): a transaction-level lock is let go on an error or a cancel
  -- too, where a session-level one taken and released here would stay held if interrupted.
  PERFORM pg_advisory_xact_lock(7217946512893451001);
  RETURN drawn;
END
$$;

-- The feed's bounds at the settled horizon: the last change up to it (each statement of a
-- volatile function takes a new snapshot, so this one sees what committed during the wait).
CREATE FUNCTION "casebook_change_bounds"(OUT "latest" BIGINT, OUT "prunedThrough" BIGINT) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  settled BIGINT := "casebook_change_horizon"();
BEGIN
  SELECT MAX("seq") INTO "latest" FROM "Change" WHERE "seq" <= settled;
  SELECT "f"."prunedThrough" INTO "prunedThrough" FROM "ChangeFeed" AS "f" WHERE "f"."id" = 1;
END
$$;
