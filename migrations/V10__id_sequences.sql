-- The next id of each table whose ids the store allocates (Jira-style numeric ids from
-- 10000). Kept apart from the rows so an id is never given twice, even after the row
-- that had it was deleted: an old URL or signed link can never reach a newer object.
CREATE TABLE id_sequences (
    name TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);
