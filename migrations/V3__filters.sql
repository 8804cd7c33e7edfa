-- Saved filters (JQL under a name), their favourites and share permissions, and the
-- issue navigator's column layouts (per filter, per user, and the system default).

CREATE TABLE filters (
    id          INTEGER PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    jql         TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    UNIQUE (owner_id, name)
);

CREATE TABLE filter_favourites (
    filter_id INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (filter_id, user_id)
);
CREATE INDEX filter_favourites_user ON filter_favourites(user_id);

-- One row per share. Which parameter columns are set depends on the type:
-- group: group_id; project: project_id; projectRole: project_id and role_id; user: user_id.
CREATE TABLE filter_shares (
    id         INTEGER PRIMARY KEY,
    filter_id  INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    share_type TEXT NOT NULL CHECK (share_type IN ('global', 'authenticated', 'group', 'project', 'projectRole', 'user')),
    group_id   INTEGER REFERENCES groups(id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    role_id    INTEGER REFERENCES project_roles(id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE
);
CREATE INDEX filter_shares_filter ON filter_shares(filter_id);

CREATE TABLE filter_columns (
    filter_id INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    field_id  TEXT NOT NULL,
    PRIMARY KEY (filter_id, position)
);

CREATE TABLE user_columns (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    field_id TEXT NOT NULL,
    PRIMARY KEY (user_id, position)
);

-- The scope each user chose for new filters (GET/PUT filter/defaultShareScope); users
-- without a row get the site default below.
CREATE TABLE user_share_scopes (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    scope   TEXT NOT NULL CHECK (scope IN ('GLOBAL', 'AUTHENTICATED', 'PRIVATE'))
);

-- The site default share scope for new filters: GLOBAL, AUTHENTICATED or PRIVATE.
INSERT INTO settings (key, value) VALUES ('filter.default_share_scope', 'PRIVATE');
