-- Fewer B-trees to update per written row.
--
-- A change group's items are read together, by group, in `seq` order: keyed by their
-- primary key alone (WITHOUT ROWID) they are one B-tree instead of a table and its key
-- index, and every write touches one tree less.
CREATE TABLE changelog_items_new (
    group_id    INTEGER NOT NULL REFERENCES changelog_groups(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    field       TEXT NOT NULL,
    field_type  TEXT NOT NULL,
    field_id    TEXT NOT NULL,
    from_value  TEXT,
    from_string TEXT,
    to_value    TEXT,
    to_string   TEXT,
    PRIMARY KEY (group_id, seq)
) WITHOUT ROWID;
INSERT INTO changelog_items_new
    SELECT group_id, seq, field, field_type, field_id, from_value, from_string, to_value, to_string
    FROM changelog_items;
DROP TABLE changelog_items;
ALTER TABLE changelog_items_new RENAME TO changelog_items;

-- Only sub-tasks have a parent: the index holds just them, and the many top-level
-- issues cost it nothing. `parent_id = ?` (and the cascade on delete) still use it.
DROP INDEX issues_parent;
CREATE INDEX issues_parent ON issues(parent_id) WHERE parent_id IS NOT NULL;

-- Nothing reads issues in `updated` order from SQLite (search does that from the index);
-- the issue picker finds a project's issues through the (project_id, num) key as well.
DROP INDEX issues_project_updated;
