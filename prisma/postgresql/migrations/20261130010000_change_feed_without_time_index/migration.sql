-- Pruning the change feed finds the first change to keep by walking the log in position order
-- (times follow positions closely), so the index on "at" is not needed: it cost every write an
-- index insert for a statement that runs every few minutes.
DROP INDEX "Change_at_idx";
