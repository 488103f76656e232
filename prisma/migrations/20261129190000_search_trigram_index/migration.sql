-- Substring search on names and descriptions, served by FTS5 trigram indexes (SQLite 3.34 or
-- later). Each index is an external-content table over its entity table: it stores only the
-- trigrams, keyed by the entity's rowid, and reads texts from the entity table itself. Triggers
-- keep it in step in the same transaction as every insert, delete (cascades included) and change
-- of the searched texts; a change of status or anything else does not touch it. Prisma's schema
-- cannot declare these, so they are written here by hand (test/db/schema-matches-model.test.ts
-- lists them). A future migration that redefines one of these tables (and so renumbers rowids)
-- must end with the index's 'rebuild' command.

CREATE VIRTUAL TABLE "Mission_search" USING fts5(
  "name", "description", content = 'Mission', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0'
);
CREATE VIRTUAL TABLE "Job_search" USING fts5(
  "name", content = 'Job', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0'
);
CREATE VIRTUAL TABLE "Case_search" USING fts5(
  "name", "description", content = 'Case', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 0'
);

CREATE TRIGGER "Mission_search_insert" AFTER INSERT ON "Mission" BEGIN
  INSERT INTO "Mission_search" ("rowid", "name", "description") VALUES (new."rowid", new."name", new."description");
END;
CREATE TRIGGER "Mission_search_delete" AFTER DELETE ON "Mission" BEGIN
  INSERT INTO "Mission_search" ("Mission_search", "rowid", "name", "description")
    VALUES ('delete', old."rowid", old."name", old."description");
END;
CREATE TRIGGER "Mission_search_update" AFTER UPDATE OF "name", "description" ON "Mission" BEGIN
  INSERT INTO "Mission_search" ("Mission_search", "rowid", "name", "description")
    VALUES ('delete', old."rowid", old."name", old."description");
  INSERT INTO "Mission_search" ("rowid", "name", "description") VALUES (new."rowid", new."name", new."description");
END;

CREATE TRIGGER "Job_search_insert" AFTER INSERT ON "Job" BEGIN
  INSERT INTO "Job_search" ("rowid", "name") VALUES (new."rowid", new."name");
END;
CREATE TRIGGER "Job_search_delete" AFTER DELETE ON "Job" BEGIN
  INSERT INTO "Job_search" ("Job_search", "rowid", "name") VALUES ('delete', old."rowid", old."name");
END;
CREATE TRIGGER "Job_search_update" AFTER UPDATE OF "name" ON "Job" BEGIN
  INSERT INTO "Job_search" ("Job_search", "rowid", "name") VALUES ('delete', old."rowid", old."name");
  INSERT INTO "Job_search" ("rowid", "name") VALUES (new."rowid", new."name");
END;

CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" BEGIN
  INSERT INTO "Case_search" ("rowid", "name", "description") VALUES (new."rowid", new."name", new."description");
END;
CREATE TRIGGER "Case_search_delete" AFTER DELETE ON "Case" BEGIN
  INSERT INTO "Case_search" ("Case_search", "rowid", "name", "description")
    VALUES ('delete', old."rowid", old."name", old."description");
END;
CREATE TRIGGER "Case_search_update" AFTER UPDATE OF "name", "description" ON "Case" BEGIN
  INSERT INTO "Case_search" ("Case_search", "rowid", "name", "description")
    VALUES ('delete', old."rowid", old."name", old."description");
  INSERT INTO "Case_search" ("rowid", "name", "description") VALUES (new."rowid", new."name", new."description");
END;

-- Back-fill: index the rows already there.
INSERT INTO "Mission_search" ("Mission_search") VALUES ('rebuild');
INSERT INTO "Job_search" ("Job_search") VALUES ('rebuild');
INSERT INTO "Case_search" ("Case_search") VALUES ('rebuild');
