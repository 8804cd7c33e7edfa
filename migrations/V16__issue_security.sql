-- Issue security: schemes of levels, each level with its members; a project uses at
-- most one scheme, and an issue of that project has at most one of its levels. An
-- issue with a level is visible only to the level's members.
CREATE TABLE issue_security_schemes (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description      TEXT NOT NULL DEFAULT '',
    default_level_id INTEGER
);

CREATE TABLE issue_security_levels (
    id          INTEGER PRIMARY KEY,
    scheme_id   INTEGER NOT NULL REFERENCES issue_security_schemes(id) ON DELETE CASCADE,
    name        TEXT NOT NULL COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (scheme_id, name)
);

-- holder_type as Jira names them: user (account id), group (name), projectRole (role
-- id), reporter, assignee, projectLead, applicationRole (any logged-in user), anyone.
CREATE TABLE issue_security_members (
    id           INTEGER PRIMARY KEY,
    level_id     INTEGER NOT NULL REFERENCES issue_security_levels(id) ON DELETE CASCADE,
    holder_type  TEXT NOT NULL,
    holder_param TEXT
);
CREATE INDEX issue_security_members_level ON issue_security_members(level_id);

CREATE TABLE project_issue_security (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    scheme_id  INTEGER NOT NULL REFERENCES issue_security_schemes(id)
) WITHOUT ROWID;

ALTER TABLE issues ADD COLUMN security_level_id INTEGER REFERENCES issue_security_levels(id) ON DELETE SET NULL;

-- Ids as Jira's start: schemes and levels at 10000.
INSERT INTO issue_security_schemes (id, name, description)
    VALUES (10000, 'Default', 'No security levels until an administrator adds some.');

CREATE TRIGGER acl_security_members_insert AFTER INSERT ON issue_security_members BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_security_members_delete AFTER DELETE ON issue_security_members BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_security_project_insert AFTER INSERT ON project_issue_security BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_security_project_update AFTER UPDATE ON project_issue_security BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_security_project_delete AFTER DELETE ON project_issue_security BEGIN UPDATE acl_version SET version = version + 1; END;
