-- Remote links of versions: an arbitrary JSON document per (version, global id), as
-- Jira stores them (`version/{id}/remotelink`).
CREATE TABLE version_remote_links (
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    global_id  TEXT NOT NULL,
    -- The client's JSON object, with its globalId.
    link       TEXT NOT NULL,
    PRIMARY KEY (version_id, global_id)
);
CREATE INDEX version_remote_links_global ON version_remote_links(global_id);
