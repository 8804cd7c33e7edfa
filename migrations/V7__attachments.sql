-- Attachments. Content is stored once per SHA-256 under `attachments/<first two hex>/<hash>`
-- in the data directory; `attachment_blobs.refs` counts the attachments that use it
-- (kept by the triggers below, also when an issue's attachments go with the issue).
-- A blob whose count reaches 0 is removed, with its file, by the service.

CREATE TABLE attachment_blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL,
    refs   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachment_blobs_unreferenced ON attachment_blobs(refs) WHERE refs <= 0;

CREATE TABLE attachments (
    id        INTEGER PRIMARY KEY,
    issue_id  INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- The cleaned display name; never used as a path.
    filename  TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size      INTEGER NOT NULL,
    sha256    TEXT NOT NULL REFERENCES attachment_blobs(sha256),
    created   INTEGER NOT NULL
);
CREATE INDEX attachments_issue ON attachments(issue_id, id);
CREATE INDEX attachments_blob ON attachments(sha256);

CREATE TRIGGER attachments_ref AFTER INSERT ON attachments BEGIN
    UPDATE attachment_blobs SET refs = refs + 1 WHERE sha256 = new.sha256;
END;

CREATE TRIGGER attachments_unref AFTER DELETE ON attachments BEGIN
    UPDATE attachment_blobs SET refs = refs - 1 WHERE sha256 = old.sha256;
END;
