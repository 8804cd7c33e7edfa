-- Users and groups administration (issue 14).

-- A deleted user stays as a row, so the issues, comments, worklogs and history that name
-- them keep a readable former user (Jira DC keeps showing the username); the row can no
-- longer sign in, and lookups by name answer 404.
ALTER TABLE users ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;

-- `mypreferences`: string values per user and key.
CREATE TABLE user_preferences (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Moving a deleted group's role memberships to another group (swapGroup) is an update:
-- it changes who may browse what, like the inserts and deletes already counted.
CREATE TRIGGER acl_actors_update AFTER UPDATE ON project_role_actors BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_members_update AFTER UPDATE ON group_members BEGIN UPDATE acl_version SET version = version + 1; END;
