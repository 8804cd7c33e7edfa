-- What hangs off an issue besides comments: links between issues, watchers and votes.

-- One directed link: `source_id` <outward description> `dest_id` ("A blocks B"). The
-- source shows the link as `outwardIssue`, the destination as `inwardIssue`.
CREATE TABLE issue_links (
    id           INTEGER PRIMARY KEY,
    link_type_id INTEGER NOT NULL REFERENCES issue_link_types(id) ON DELETE CASCADE,
    source_id    INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    dest_id      INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    created      INTEGER NOT NULL,
    UNIQUE (link_type_id, source_id, dest_id)
);
CREATE INDEX issue_links_source ON issue_links(source_id);
CREATE INDEX issue_links_dest ON issue_links(dest_id);

CREATE TABLE issue_watchers (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX issue_watchers_user ON issue_watchers(user_id);

CREATE TABLE issue_votes (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX issue_votes_user ON issue_votes(user_id);
