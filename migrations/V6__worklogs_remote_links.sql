-- Worklogs (time logged on an issue), their deletion feed, and remote issue links.

CREATE TABLE worklogs (
    id               INTEGER PRIMARY KEY,
    issue_id         INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    author_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    update_author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    comment          TEXT NOT NULL DEFAULT '',
    started          INTEGER NOT NULL,
    time_spent       INTEGER NOT NULL,
    created          INTEGER NOT NULL,
    updated          INTEGER NOT NULL,
    visibility_type  TEXT,
    visibility_value TEXT
);
CREATE INDEX worklogs_issue ON worklogs(issue_id, started, id);
CREATE INDEX worklogs_updated ON worklogs(updated, id);
CREATE INDEX worklogs_author ON worklogs(author_id);

-- For `GET worklog/deleted`: every deleted worklog, also those removed with their issue.
CREATE TABLE worklog_deletions (
    worklog_id INTEGER PRIMARY KEY,
    issue_id   INTEGER NOT NULL,
    deleted    INTEGER NOT NULL
);
CREATE INDEX worklog_deletions_time ON worklog_deletions(deleted, worklog_id);

CREATE TRIGGER worklogs_deleted AFTER DELETE ON worklogs BEGIN
    INSERT OR REPLACE INTO worklog_deletions (worklog_id, issue_id, deleted)
    VALUES (old.id, old.issue_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
    DELETE FROM entity_properties WHERE entity_type = 'worklog' AND entity_id = old.id;
END;

-- A link from an issue to something outside Tessera. `url` and `title` are plain
-- columns: they are also what a web link is.
CREATE TABLE remote_links (
    id                INTEGER PRIMARY KEY,
    issue_id          INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    global_id         TEXT,
    url               TEXT NOT NULL,
    title             TEXT NOT NULL,
    summary           TEXT,
    relationship      TEXT,
    application_type  TEXT,
    application_name  TEXT,
    icon_url          TEXT,
    icon_title        TEXT,
    icon_link         TEXT,
    status_resolved   INTEGER,
    status_icon_url   TEXT,
    status_icon_title TEXT,
    status_icon_link  TEXT,
    created           INTEGER NOT NULL,
    updated           INTEGER NOT NULL
);
CREATE INDEX remote_links_issue ON remote_links(issue_id, id);
CREATE UNIQUE INDEX remote_links_global ON remote_links(issue_id, global_id) WHERE global_id IS NOT NULL;
