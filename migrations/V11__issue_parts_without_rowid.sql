-- An issue's labels, components and versions are looked up by issue and written many
-- at a time (bulk loads write a million issues' worth). Keyed by their primary key
-- alone (WITHOUT ROWID) each is one B-tree instead of a table plus its key index:
-- a write touches one tree less and a read by issue finds the rows in one place.
CREATE TABLE issue_labels_new (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    label    TEXT NOT NULL,
    PRIMARY KEY (issue_id, label)
) WITHOUT ROWID;
INSERT INTO issue_labels_new (issue_id, label) SELECT issue_id, label FROM issue_labels;
DROP TABLE issue_labels;
ALTER TABLE issue_labels_new RENAME TO issue_labels;
CREATE INDEX issue_labels_label ON issue_labels(label);

CREATE TABLE issue_components_new (
    issue_id     INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, component_id)
) WITHOUT ROWID;
INSERT INTO issue_components_new (issue_id, component_id)
    SELECT issue_id, component_id FROM issue_components;
DROP TABLE issue_components;
ALTER TABLE issue_components_new RENAME TO issue_components;

CREATE TABLE issue_versions_new (
    issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('fix', 'affected')),
    PRIMARY KEY (issue_id, version_id, kind)
) WITHOUT ROWID;
INSERT INTO issue_versions_new (issue_id, version_id, kind)
    SELECT issue_id, version_id, kind FROM issue_versions;
DROP TABLE issue_versions;
ALTER TABLE issue_versions_new RENAME TO issue_versions;
