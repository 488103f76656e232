-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('CREATED', 'UPDATED', 'STEP_ADDED', 'TRANSITIONED', 'DELETED');

-- CreateTable
CREATE TABLE "Change" (
    "seq" BIGSERIAL NOT NULL,
    "entityType" "EntityType" NOT NULL,
    "entityId" TEXT NOT NULL,
    "missionId" TEXT,
    "jobId" TEXT,
    "kind" "ChangeKind" NOT NULL,
    "status" "EntityStatus",
    "version" INTEGER,
    "event" "EntityEvent",
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "ChangeFeed" (
    "id" INTEGER NOT NULL,
    "prunedThrough" BIGINT NOT NULL,

    CONSTRAINT "ChangeFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Change_at_idx" ON "Change"("at");


-- Commit order for the change feed. A sequence hands out numbers in the order statements ask
-- for them, not in the order their transactions commit, so a reader that resumes after position
-- N could miss a row numbered below N that commits later. Every insert into "Change" first takes
-- a transaction-level advisory lock, held until its transaction ends: the next writer's numbers
-- are drawn only after the holder has committed (or rolled back), so positions are handed out in
-- commit order. The lock is taken by a statement-level trigger, which runs before the statement
-- draws any number.
CREATE FUNCTION "casebook_change_commit_order"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7217946512893451001);
  RETURN NULL;
END
$$;

CREATE TRIGGER "Change_commit_order" BEFORE INSERT ON "Change"
  FOR EACH STATEMENT EXECUTE FUNCTION "casebook_change_commit_order"();

-- Tells every listening process the last position a statement appended; NOTIFY is delivered when
-- the transaction commits, and only then. The payload is the position alone (well under NOTIFY's
-- 8,000 bytes): listeners read the rows themselves.
CREATE FUNCTION "casebook_change_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq BIGINT;
BEGIN
  SELECT MAX("seq") INTO last_seq FROM "appended";
  IF last_seq IS NOT NULL THEN
    PERFORM pg_notify('casebook_changes', last_seq::text);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Change_notify" AFTER INSERT ON "Change"
  REFERENCING NEW TABLE AS "appended"
  FOR EACH STATEMENT EXECUTE FUNCTION "casebook_change_notify"();
