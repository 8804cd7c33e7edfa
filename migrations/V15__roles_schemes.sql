-- Project roles and permission schemes become editable (issue 14). Every change that
-- can alter who holds which permission bumps the ACL counter (V5), so cached answers
-- are dropped on the next request. V5 covers actors, group members, grants and
-- projects; these cover the rest: renamed or removed roles (their actors cascade),
-- removed schemes (their grants cascade) and global grants. (Updated actors are V14's.)
CREATE TRIGGER acl_roles_delete AFTER DELETE ON project_roles BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_schemes_delete AFTER DELETE ON permission_schemes BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_global_insert AFTER INSERT ON global_grants BEGIN UPDATE acl_version SET version = version + 1; END;
CREATE TRIGGER acl_global_delete AFTER DELETE ON global_grants BEGIN UPDATE acl_version SET version = version + 1; END;
