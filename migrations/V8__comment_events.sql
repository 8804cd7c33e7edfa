-- Edits and deletions of comments, for the issue's activity stream (the v1 surface).
-- Every other event is already recorded where it happens: the issue row (created), the
-- comments table (created) and the changelog (fields, transitions, attachments, links).
CREATE TABLE comment_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    comment_id INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- 'updated' or 'deleted'
    kind       TEXT NOT NULL,
    occurred   INTEGER NOT NULL
);
CREATE INDEX comment_events_issue ON comment_events(issue_id, id);
