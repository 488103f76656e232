-- Substring search (ILIKE '%text%') on names and descriptions, served by pg_trgm's GIN indexes.
-- Prisma's schema cannot declare these without the same index on SQLite, so they are written
-- here by hand (test/db/postgres/schema-matches-model.test.ts lists them). Where the extension
-- cannot be created (not installed, or not allowed), the indexes are left out and search scans.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): search runs without trigram indexes', SQLERRM;
END
$$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX "Mission_name_trgm_idx" ON "Mission" USING gin ("name" gin_trgm_ops);
    CREATE INDEX "Mission_description_trgm_idx" ON "Mission" USING gin ("description" gin_trgm_ops);
    CREATE INDEX "Job_name_trgm_idx" ON "Job" USING gin ("name" gin_trgm_ops);
    CREATE INDEX "Case_name_trgm_idx" ON "Case" USING gin ("name" gin_trgm_ops);
    CREATE INDEX "Case_description_trgm_idx" ON "Case" USING gin ("description" gin_trgm_ops);
  END IF;
END
$$;
