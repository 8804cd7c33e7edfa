-- The audit log: one row per administrative change (users, groups, roles, schemes,
-- project settings, permissions, tokens). Author and object are kept as text, not
-- foreign keys, so a record outlives the user or object it names.
CREATE TABLE audit_records (
    id INTEGER PRIMARY KEY,
    created INTEGER NOT NULL,
    author_key TEXT,
    remote_address TEXT,
    category TEXT NOT NULL,
    summary TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    object_name TEXT NOT NULL,
    object_parent_id TEXT,
    object_parent_name TEXT
);
CREATE INDEX audit_records_created ON audit_records (created);

CREATE TABLE audit_changed_values (
    record_id INTEGER NOT NULL REFERENCES audit_records (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    field_name TEXT NOT NULL,
    changed_from TEXT,
    changed_to TEXT,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;

CREATE TABLE audit_associated_items (
    record_id INTEGER NOT NULL REFERENCES audit_records (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    type_name TEXT NOT NULL,
    item_id TEXT NOT NULL,
    item_name TEXT NOT NULL,
    parent_id TEXT,
    parent_name TEXT,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;
