-- Tessera schema, version 1. Forward-only: later changes are new V<n>__*.sql files.
-- Times are INTEGER milliseconds since the Unix epoch, UTC.
-- Numeric ids start at 10000 like Jira's, so clients that expect 5-digit ids see familiar values.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    account_id          TEXT NOT NULL UNIQUE,
    username            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT,
    active              INTEGER NOT NULL DEFAULT 1,
    time_zone           TEXT NOT NULL DEFAULT 'UTC',
    locale              TEXT NOT NULL DEFAULT 'en_US',
    created             INTEGER NOT NULL
);

CREATE TABLE groups (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE group_members (
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    digest      BLOB NOT NULL UNIQUE,
    scopes      TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    expires     INTEGER,
    last_used   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sessions (
    digest   BLOB PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created  INTEGER NOT NULL,
    expires  INTEGER NOT NULL
);

CREATE TABLE status_categories (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    color_name TEXT NOT NULL
);

CREATE TABLE statuses (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    category_id INTEGER NOT NULL REFERENCES status_categories(id)
);

CREATE TABLE priorities (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description  TEXT NOT NULL DEFAULT '',
    status_color TEXT NOT NULL,
    icon         TEXT NOT NULL,
    is_default   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE resolutions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    is_default  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE issue_types (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description     TEXT NOT NULL DEFAULT '',
    subtask         INTEGER NOT NULL DEFAULT 0,
    hierarchy_level INTEGER NOT NULL DEFAULT 0,
    avatar_id       INTEGER NOT NULL DEFAULT 10318
);

-- One workflow for now; transitions with from_status NULL are global ("from any status").
CREATE TABLE workflows (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE workflow_transitions (
    id          INTEGER NOT NULL,
    workflow_id INTEGER NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    from_status INTEGER REFERENCES statuses(id),
    to_status   INTEGER NOT NULL REFERENCES statuses(id),
    PRIMARY KEY (workflow_id, id, from_status)
);

CREATE TABLE issue_link_types (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    inward  TEXT NOT NULL,
    outward TEXT NOT NULL
);

CREATE TABLE project_roles (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT ''
);

-- Actors every new project starts with, per role (Jira's "default members").
CREATE TABLE project_role_default_actors (
    role_id     INTEGER NOT NULL REFERENCES project_roles(id) ON DELETE CASCADE,
    actor_type  TEXT NOT NULL CHECK (actor_type IN ('user', 'group')),
    actor_value TEXT NOT NULL,
    PRIMARY KEY (role_id, actor_type, actor_value)
);

CREATE TABLE permission_schemes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE permission_grants (
    id           INTEGER PRIMARY KEY,
    scheme_id    INTEGER NOT NULL REFERENCES permission_schemes(id) ON DELETE CASCADE,
    permission   TEXT NOT NULL,
    holder_type  TEXT NOT NULL,
    holder_param TEXT
);
CREATE INDEX permission_grants_scheme ON permission_grants(scheme_id);

-- Global permissions (ADMINISTER, CREATE_PROJECT, USER_PICKER...) granted to groups.
CREATE TABLE global_grants (
    permission TEXT NOT NULL,
    group_name TEXT NOT NULL,
    PRIMARY KEY (permission, group_name)
);

CREATE TABLE project_categories (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE projects (
    id                   INTEGER PRIMARY KEY,
    key                  TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description          TEXT NOT NULL DEFAULT '',
    lead_id              INTEGER NOT NULL REFERENCES users(id),
    project_type_key     TEXT NOT NULL DEFAULT 'software',
    assignee_type        TEXT NOT NULL DEFAULT 'UNASSIGNED',
    url                  TEXT NOT NULL DEFAULT '',
    category_id          INTEGER REFERENCES project_categories(id) ON DELETE SET NULL,
    permission_scheme_id INTEGER NOT NULL REFERENCES permission_schemes(id),
    workflow_id          INTEGER NOT NULL REFERENCES workflows(id),
    issue_counter        INTEGER NOT NULL DEFAULT 0,
    created              INTEGER NOT NULL
);

CREATE TABLE project_role_actors (
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    role_id     INTEGER NOT NULL REFERENCES project_roles(id) ON DELETE CASCADE,
    actor_type  TEXT NOT NULL CHECK (actor_type IN ('user', 'group')),
    actor_value TEXT NOT NULL,
    PRIMARY KEY (project_id, role_id, actor_type, actor_value)
);

CREATE TABLE components (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    lead_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    assignee_type TEXT NOT NULL DEFAULT 'PROJECT_DEFAULT',
    UNIQUE (project_id, name)
);

CREATE TABLE versions (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    archived     INTEGER NOT NULL DEFAULT 0,
    released     INTEGER NOT NULL DEFAULT 0,
    start_date   TEXT,
    release_date TEXT,
    sequence     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, name)
);

CREATE TABLE custom_fields (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL
);

CREATE TABLE custom_field_options (
    id       INTEGER PRIMARY KEY,
    field_id INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value    TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    UNIQUE (field_id, value)
);

CREATE TABLE issues (
    id                 INTEGER PRIMARY KEY,
    project_id         INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    num                INTEGER NOT NULL,
    key                TEXT NOT NULL UNIQUE,
    issue_type_id      INTEGER NOT NULL REFERENCES issue_types(id),
    status_id          INTEGER NOT NULL REFERENCES statuses(id),
    priority_id        INTEGER REFERENCES priorities(id),
    resolution_id      INTEGER REFERENCES resolutions(id),
    summary            TEXT NOT NULL,
    description        TEXT,
    environment        TEXT,
    assignee_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reporter_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    creator_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    parent_id          INTEGER REFERENCES issues(id) ON DELETE CASCADE,
    due_date           TEXT,
    original_estimate  INTEGER,
    remaining_estimate INTEGER,
    time_spent         INTEGER,
    created            INTEGER NOT NULL,
    updated            INTEGER NOT NULL,
    resolution_date    INTEGER,
    status_changed     INTEGER NOT NULL,
    UNIQUE (project_id, num)
);
CREATE INDEX issues_parent ON issues(parent_id);
CREATE INDEX issues_project_updated ON issues(project_id, updated);

CREATE TABLE issue_labels (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    label    TEXT NOT NULL,
    PRIMARY KEY (issue_id, label)
);
CREATE INDEX issue_labels_label ON issue_labels(label);

CREATE TABLE issue_components (
    issue_id     INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, component_id)
);

CREATE TABLE issue_versions (
    issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('fix', 'affected')),
    PRIMARY KEY (issue_id, version_id, kind)
);

-- Custom field values as JSON in a canonical shape per field kind.
CREATE TABLE issue_field_values (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES custom_fields(id) ON DELETE CASCADE,
    value    TEXT NOT NULL,
    PRIMARY KEY (issue_id, field_id)
);

CREATE TABLE comments (
    id                INTEGER PRIMARY KEY,
    issue_id          INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    author_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    update_author_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body              TEXT NOT NULL,
    created           INTEGER NOT NULL,
    updated           INTEGER NOT NULL,
    visibility_type   TEXT,
    visibility_value  TEXT
);
CREATE INDEX comments_issue ON comments(issue_id, created);

CREATE TABLE changelog_groups (
    id        INTEGER PRIMARY KEY,
    issue_id  INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created   INTEGER NOT NULL
);
CREATE INDEX changelog_groups_issue ON changelog_groups(issue_id, id);

CREATE TABLE changelog_items (
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
);

-- Entity properties of every kind (issue, comment, project, user, ...), one table, one semantics.
CREATE TABLE entity_properties (
    entity_type TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, key)
);

-- Every write to an issue appends here in the same transaction; the search indexer drains it.
CREATE TABLE outbox (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id INTEGER NOT NULL,
    created  INTEGER NOT NULL
);
