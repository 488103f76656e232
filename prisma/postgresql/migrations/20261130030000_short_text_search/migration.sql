-- Search for texts of one or two characters, which have no trigram for pg_trgm's indexes to look
-- up. Each entity table has a "_short_search" table beside it, holding each row's searched texts
-- (name, and description where there is one, joined by a line feed) under a GIN index of their
-- grams: the characters and the pairs of neighbouring characters, lowercased, each as a number
-- (its gram code). A text of one or two characters is then one element to look up
-- (casebook_search_grams("texts") @> ARRAY[…]) and ILIKE decides, as for longer texts. casebook
-- reads the elements' frequencies from the index's statistics to tell a common text from a rare.
--
-- The index is beside the entity, not on it: a change of status writes a new version of the
-- entity's row, and with it an entry in every one of its indexes; this table is written only when
-- a searched text is (a trigger on insert and on change of the texts), and its rows go with the
-- entity's (ON DELETE CASCADE). It holds the texts, not their grams: a text takes a byte or so a
-- character, its distinct grams up to 8 bytes a character as an array. Written here by hand, as
-- Prisma's schema cannot declare them (test/db/postgres/schema-matches-model.test.ts lists them).

-- The gram code of a character: its code point. Of a pair: a negative number made of the low
-- 15 bits of the first code point and the low 16 of the second. Two pairs of characters beyond
-- those bits may share a code: a search for one then also reads the rows of the other, which
-- ILIKE leaves out; a row is never missed.
CREATE FUNCTION casebook_search_gram_code(gram text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN length(gram) = 1 THEN ascii(gram)
    ELSE -1 - (((ascii(gram) & 32767) << 16) | (ascii(substr(gram, 2)) & 65535)) END
$$;

-- The gram codes of a text, lowercased: the text cut into its characters once (string_to_array
-- with no delimiter), each appended with its pair's (an append to an array variable is in place).
-- Repeats stay: the GIN index keeps one entry of each code.
CREATE FUNCTION casebook_search_grams(text_value text) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  grams integer[] := '{}';
  previous integer;
  code integer;
  "character" text;
BEGIN
  FOREACH "character" IN ARRAY string_to_array(lower(text_value), NULL) LOOP
    code := ascii("character");
    grams := grams || code;
    IF previous IS NOT NULL THEN
      grams := grams || (-1 - (((previous & 32767) << 16) | (code & 65535)));
    END IF;
    previous := code;
  END LOOP;
  RETURN grams;
END
$$;

CREATE TABLE "Mission_short_search" (
    "id" TEXT NOT NULL,
    "texts" TEXT NOT NULL,
    CONSTRAINT "Mission_short_search_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Mission_short_search_id_fkey" FOREIGN KEY ("id") REFERENCES "Mission"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Mission_short_search_grams_idx" ON "Mission_short_search" USING gin (casebook_search_grams("texts"));

CREATE FUNCTION casebook_mission_short_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Mission_short_search" ("id", "texts") VALUES (NEW."id", NEW."name" || coalesce(E'\n' || NEW."description", ''))
  ON CONFLICT ("id") DO UPDATE SET "texts" = EXCLUDED."texts";
  RETURN NULL;
END
$$;
CREATE TRIGGER "Mission_short_search_insert" AFTER INSERT ON "Mission" FOR EACH ROW EXECUTE FUNCTION casebook_mission_short_search();
CREATE TRIGGER "Mission_short_search_update" AFTER UPDATE OF "name", "description" ON "Mission" FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."description" IS DISTINCT FROM NEW."description") EXECUTE FUNCTION casebook_mission_short_search();

-- Back-fill: the rows already there.
INSERT INTO "Mission_short_search" ("id", "texts") SELECT "id", "name" || coalesce(E'\n' || "description", '') FROM "Mission";
ANALYZE "Mission_short_search";

CREATE TABLE "Job_short_search" (
    "id" TEXT NOT NULL,
    "texts" TEXT NOT NULL,
    CONSTRAINT "Job_short_search_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Job_short_search_id_fkey" FOREIGN KEY ("id") REFERENCES "Job"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Job_short_search_grams_idx" ON "Job_short_search" USING gin (casebook_search_grams("texts"));

CREATE FUNCTION casebook_job_short_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Job_short_search" ("id", "texts") VALUES (NEW."id", NEW."name")
  ON CONFLICT ("id") DO UPDATE SET "texts" = EXCLUDED."texts";
  RETURN NULL;
END
$$;
CREATE TRIGGER "Job_short_search_insert" AFTER INSERT ON "Job" FOR EACH ROW EXECUTE FUNCTION casebook_job_short_search();
CREATE TRIGGER "Job_short_search_update" AFTER UPDATE OF "name" ON "Job" FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name") EXECUTE FUNCTION casebook_job_short_search();

-- Back-fill: the rows already there.
INSERT INTO "Job_short_search" ("id", "texts") SELECT "id", "name" FROM "Job";
ANALYZE "Job_short_search";

CREATE TABLE "Case_short_search" (
    "id" TEXT NOT NULL,
    "texts" TEXT NOT NULL,
    CONSTRAINT "Case_short_search_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Case_short_search_id_fkey" FOREIGN KEY ("id") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "Case_short_search_grams_idx" ON "Case_short_search" USING gin (casebook_search_grams("texts"));

CREATE FUNCTION casebook_case_short_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Case_short_search" ("id", "texts") VALUES (NEW."id", NEW."name" || coalesce(E'\n' || NEW."description", ''))
  ON CONFLICT ("id") DO UPDATE SET "texts" = EXCLUDED."texts";
  RETURN NULL;
END
$$;
CREATE TRIGGER "Case_short_search_insert" AFTER INSERT ON "Case" FOR EACH ROW EXECUTE FUNCTION casebook_case_short_search();
CREATE TRIGGER "Case_short_search_update" AFTER UPDATE OF "name", "description" ON "Case" FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."description" IS DISTINCT FROM NEW."description") EXECUTE FUNCTION casebook_case_short_search();

-- Back-fill: the rows already there.
INSERT INTO "Case_short_search" ("id", "texts") SELECT "id", "name" || coalesce(E'\n' || "description", '') FROM "Case";
ANALYZE "Case_short_search";
