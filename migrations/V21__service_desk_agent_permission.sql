-- Service Desk Agent (SERVICEDESK_AGENT), the permission Jira Service Management checks
-- for working a desk's queues and answering its customers: held by the Service Desk Team
-- role, and wherever Administer Projects is (project administrators work their desks).
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT DISTINCT scheme_id, 'SERVICEDESK_AGENT', holder_type, holder_param
FROM permission_grants
WHERE permission = 'ADMINISTER_PROJECTS'
   OR (holder_type = 'projectRole'
       AND holder_param = (SELECT CAST(role_id AS TEXT) FROM sd_roles WHERE kind = 'agent')
       AND permission = 'BROWSE_PROJECTS');
