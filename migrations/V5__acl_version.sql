-- A counter bumped by every change that can alter who may browse which project, so
-- permission results can be cached and revalidated with one read.
CREATE TABLE acl_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO acl_version (id, version) VALUES (1, 0);

CREATE TRIGGER acl_projects_insert AFTER INSERT ON projects BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_projects_update AFTER UPDATE ON projects BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_projects_delete AFTER DELETE ON projects BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_actors_insert AFTER INSERT ON project_role_actors BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_actors_delete AFTER DELETE ON project_role_actors BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_members_insert AFTER INSERT ON group_members BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_members_delete AFTER DELETE ON group_members BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_grants_insert AFTER INSERT ON permission_grants BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_grants_update AFTER UPDATE ON permission_grants BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_grants_delete AFTER DELETE ON permission_grants BEGIN UPDATE acl_version SET version = version + 1; END;
