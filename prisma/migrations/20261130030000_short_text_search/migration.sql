-- Search for texts of one or two characters, which have no trigram for the "_search" indexes to
-- look up. Each "_short_search" index holds every text spaced out by the unit separator
-- (U+001F): "Case 7" is indexed as "\x1fC\x1fa\x1fs\x1fe\x1f \x1f7\x1f", whose trigrams are
-- each character alone ("\x1fa\x1f") and each pair of neighbours ("a\x1fs"). A text of one or
-- two characters is then exactly one trigram to look up. The index folds case as the trigram
-- indexes do, and keeps no positions and no copy of the texts (detail=none, contentless): it
-- only answers which rows may hold a character or a pair, and LIKE decides, as for longer texts.
--
-- The spaced-out text is computed in SQL, so that every writer keeps the index (casebook, Prisma
-- Studio, the sqlite3 shell). json_each walks an array of as many elements as the text has
-- characters (zeroblob and hex make it), in order, and group_concat joins the characters substr
-- picks in that order. substr walks a text from its start, so a text longer than 128 characters
-- is first cut into chunks of 128 (held in a JSON array) and characters are picked from each
-- chunk: a description of 100,000 characters takes tens of milliseconds, not seconds.
-- Triggers keep the index in the same transaction as every insert, delete (cascades included)
-- and change of the searched texts, as for the trigram indexes; a contentless index is told what
-- a deleted row held, so the old texts are spaced out again. Like those, these are written here
-- by hand (test/db/schema-matches-model.test.ts lists them).

CREATE VIRTUAL TABLE "Mission_short_search" USING fts5(
  "name", "description", content = '', detail = none, tokenize = 'trigram case_sensitive 0'
);

CREATE VIRTUAL TABLE "Job_short_search" USING fts5(
  "name", content = '', detail = none, tokenize = 'trigram case_sensitive 0'
);

CREATE VIRTUAL TABLE "Case_short_search" USING fts5(
  "name", "description", content = '', detail = none, tokenize = 'trigram case_sensitive 0'
);

CREATE TRIGGER "Mission_short_search_insert" AFTER INSERT ON "Mission" BEGIN
  INSERT INTO "Mission_short_search" ("rowid", "name", "description") VALUES (new."rowid",
    CASE WHEN length(new."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(new."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;
CREATE TRIGGER "Mission_short_search_delete" AFTER DELETE ON "Mission" BEGIN
  INSERT INTO "Mission_short_search" ("Mission_short_search", "rowid", "name", "description") VALUES ('delete', old."rowid",
    CASE WHEN length(old."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(old."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;
CREATE TRIGGER "Mission_short_search_update" AFTER UPDATE OF "name", "description" ON "Mission" BEGIN
  INSERT INTO "Mission_short_search" ("Mission_short_search", "rowid", "name", "description") VALUES ('delete', old."rowid",
    CASE WHEN length(old."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(old."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
  INSERT INTO "Mission_short_search" ("rowid", "name", "description") VALUES (new."rowid",
    CASE WHEN length(new."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(new."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;

CREATE TRIGGER "Job_short_search_insert" AFTER INSERT ON "Job" BEGIN
  INSERT INTO "Job_short_search" ("rowid", "name") VALUES (new."rowid",
    CASE WHEN length(new."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;
CREATE TRIGGER "Job_short_search_delete" AFTER DELETE ON "Job" BEGIN
  INSERT INTO "Job_short_search" ("Job_short_search", "rowid", "name") VALUES ('delete', old."rowid",
    CASE WHEN length(old."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;
CREATE TRIGGER "Job_short_search_update" AFTER UPDATE OF "name" ON "Job" BEGIN
  INSERT INTO "Job_short_search" ("Job_short_search", "rowid", "name") VALUES ('delete', old."rowid",
    CASE WHEN length(old."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
  INSERT INTO "Job_short_search" ("rowid", "name") VALUES (new."rowid",
    CASE WHEN length(new."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;

CREATE TRIGGER "Case_short_search_insert" AFTER INSERT ON "Case" BEGIN
  INSERT INTO "Case_short_search" ("rowid", "name", "description") VALUES (new."rowid",
    CASE WHEN length(new."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(new."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;
CREATE TRIGGER "Case_short_search_delete" AFTER DELETE ON "Case" BEGIN
  INSERT INTO "Case_short_search" ("Case_short_search", "rowid", "name", "description") VALUES ('delete', old."rowid",
    CASE WHEN length(old."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(old."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;
CREATE TRIGGER "Case_short_search_update" AFTER UPDATE OF "name", "description" ON "Case" BEGIN
  INSERT INTO "Case_short_search" ("Case_short_search", "rowid", "name", "description") VALUES ('delete', old."rowid",
    CASE WHEN length(old."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(old."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(old."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(old."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(old."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(old."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
  INSERT INTO "Case_short_search" ("rowid", "name", "description") VALUES (new."rowid",
    CASE WHEN length(new."name") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
    CASE WHEN length(new."description") <= 128 THEN
      (SELECT char(31) || group_concat(substr(new."description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length(new."description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr(new."description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length(new."description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END);
END;

-- Back-fill: index the rows already there.
INSERT INTO "Mission_short_search" ("rowid", "name", "description") SELECT "rowid",
  CASE WHEN length("name") <= 128 THEN
      (SELECT char(31) || group_concat(substr("name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length("name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr("name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length("name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
  CASE WHEN length("description") <= 128 THEN
      (SELECT char(31) || group_concat(substr("description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length("description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr("description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length("description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END
FROM "Mission";
INSERT INTO "Job_short_search" ("rowid", "name") SELECT "rowid",
  CASE WHEN length("name") <= 128 THEN
      (SELECT char(31) || group_concat(substr("name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length("name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr("name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length("name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END
FROM "Job";
INSERT INTO "Case_short_search" ("rowid", "name", "description") SELECT "rowid",
  CASE WHEN length("name") <= 128 THEN
      (SELECT char(31) || group_concat(substr("name", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length("name"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr("name", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length("name") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END,
  CASE WHEN length("description") <= 128 THEN
      (SELECT char(31) || group_concat(substr("description", "key" + 1, 1), char(31)) || char(31)
        FROM json_each('[' || substr(replace(hex(zeroblob(length("description"))), '00', ',0'), 2) || ']'))
    ELSE
      (SELECT char(31) || group_concat((SELECT group_concat(substr("chunk"."value", "at"."key" + 1, 1), char(31))
          FROM json_each('[' || substr(replace(hex(zeroblob(128)), '00', ',0'), 2) || ']') AS "at" WHERE "at"."key" < length("chunk"."value")), char(31)) || char(31)
        FROM json_each((SELECT json_group_array(substr("description", "key" * 128 + 1, 128))
          FROM json_each('[' || substr(replace(hex(zeroblob((length("description") + 127) / 128)), '00', ',0'), 2) || ']'))) AS "chunk")
    END
FROM "Case";

-- A future migration that redefines an entity table (and so renumbers rowids) must empty its
-- index (INSERT INTO "Case_short_search" ("Case_short_search") VALUES ('delete-all')) and fill
-- it again as the back-fill above does.
