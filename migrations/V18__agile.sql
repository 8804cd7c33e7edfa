-- Jira Software: boards over saved filters, their sprints, and board/sprint properties.
-- Sprint membership, ranks, epic names and story points are not here: they are the
-- values of the Jira Software custom fields seeded below (issue_field_values), so the
-- issue view, the edit screens and the search index see them like any other field.

CREATE TABLE agile_boards (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('scrum', 'kanban')),
    filter_id  INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    -- The board's location (the project it was made for), when it has one.
    project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    owner_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created    INTEGER NOT NULL
);
CREATE INDEX agile_boards_filter ON agile_boards(filter_id);
CREATE INDEX agile_boards_project ON agile_boards(project_id);

CREATE TABLE agile_sprints (
    id            INTEGER PRIMARY KEY,
    board_id      INTEGER NOT NULL REFERENCES agile_boards(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    goal          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL CHECK (state IN ('future', 'active', 'closed')),
    start_date    INTEGER,
    end_date      INTEGER,
    complete_date INTEGER,
    -- Order of the board's sprints (swap exchanges two).
    sequence      INTEGER NOT NULL
);
CREATE INDEX agile_sprints_board ON agile_sprints(board_id, sequence);

CREATE TABLE agile_properties (
    entity    TEXT NOT NULL CHECK (entity IN ('board', 'sprint')),
    entity_id INTEGER NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, key)
) WITHOUT ROWID;

-- The Jira Software fields, with Jira's names and types. Ids continue the custom field
-- numbering (next_id keeps its sequence past them).
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Sprint', 'Jira Software sprint field', 'gh-sprint' FROM custom_fields;
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Epic Link', 'Choose an epic to assign this issue to.', 'gh-epic-link' FROM custom_fields;
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Epic Name', 'Provide a short name to identify this epic.', 'gh-epic-label' FROM custom_fields;
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Epic Status', 'Epic Status field for JIRA Software use only.', 'gh-epic-status' FROM custom_fields;
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Epic Colour', 'Epic Colour field for JIRA Software use only.', 'gh-epic-color' FROM custom_fields;
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Rank', 'Global rank field for JIRA Software use only.', 'gh-lexo-rank' FROM custom_fields;
INSERT INTO custom_fields (id, name, description, kind)
SELECT max(10000, coalesce(max(id), 0) + 1), 'Story Points', 'Measurement of complexity and/or size of a requirement.', 'float' FROM custom_fields;

INSERT INTO custom_field_options (id, field_id, value)
SELECT max(10000, coalesce((SELECT max(id) FROM custom_field_options), 0) + 1), id, 'To Do' FROM custom_fields WHERE kind = 'gh-epic-status';
INSERT INTO custom_field_options (id, field_id, value)
SELECT max(10000, coalesce((SELECT max(id) FROM custom_field_options), 0) + 1), id, 'In Progress' FROM custom_fields WHERE kind = 'gh-epic-status';
INSERT INTO custom_field_options (id, field_id, value)
SELECT max(10000, coalesce((SELECT max(id) FROM custom_field_options), 0) + 1), id, 'Done' FROM custom_fields WHERE kind = 'gh-epic-status';

-- Ranks are compared by value: the last rank, the next one after a rank (one seek each).
CREATE INDEX issue_field_values_by_value ON issue_field_values(field_id, json_extract(value, '$.v'));

-- Manage Sprints, held where Administer Projects is (as Jira's upgrade grants it).
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT scheme_id, 'MANAGE_SPRINTS_PERMISSION', holder_type, holder_param
FROM permission_grants WHERE permission = 'ADMINISTER_PROJECTS';

-- Software projects that were given their board (made lazily, once: a board deleted
-- afterwards stays deleted).
CREATE TABLE agile_project_boards_made (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE
);

-- Issues that exist already are ranked in id order, below every rank handed out later
-- (new ranks start at "i..."; these are "h" and eight digits).
INSERT OR IGNORE INTO issue_field_values (issue_id, field_id, value)
SELECT i.id, f.id, json_object('t', 'text', 'v', 'h' || printf('%08d', ROW_NUMBER() OVER (ORDER BY i.id)))
FROM issues i, custom_fields f WHERE f.kind = 'gh-lexo-rank';
