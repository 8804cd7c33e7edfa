-- Jira Service Management (issue 13): a service desk belongs to a project of type
-- `service_desk`; its requests are that project's issues. Agents hold the project role
-- "Service Desk Team", customers "Service Desk Customers" (as Jira Server names them).
-- Customers reach the project through their role's grants, and `service/levels.rs`
-- restricts a customer-only caller to their own requests, the ones they participate in
-- and the ones shared with their organizations.

-- The two roles, by kind, so a role renamed by an administrator keeps its meaning.
CREATE TABLE sd_roles (
    kind    TEXT PRIMARY KEY,
    role_id INTEGER NOT NULL REFERENCES project_roles(id) ON DELETE CASCADE
) WITHOUT ROWID;

INSERT INTO project_roles (id, name, description)
SELECT (SELECT max(id) + 1 FROM project_roles), 'Service Desk Team',
       'Agents: work on the requests of a service desk'
WHERE NOT EXISTS (SELECT 1 FROM project_roles WHERE lower(name) = 'service desk team');
INSERT INTO project_roles (id, name, description)
SELECT (SELECT max(id) + 1 FROM project_roles), 'Service Desk Customers',
       'Customers: raise requests and see their own'
WHERE NOT EXISTS (SELECT 1 FROM project_roles WHERE lower(name) = 'service desk customers');
INSERT INTO sd_roles (kind, role_id)
SELECT 'agent', id FROM project_roles WHERE lower(name) = 'service desk team';
INSERT INTO sd_roles (kind, role_id)
SELECT 'customer', id FROM project_roles WHERE lower(name) = 'service desk customers';

-- Agents: the members' everyday work, and raising requests on behalf of customers.
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT 0, p.column1, 'projectRole', (SELECT CAST(role_id AS TEXT) FROM sd_roles WHERE kind = 'agent')
FROM (VALUES
    ('BROWSE_PROJECTS'), ('VIEW_READONLY_WORKFLOW'), ('CREATE_ISSUES'), ('EDIT_ISSUES'),
    ('TRANSITION_ISSUES'), ('SCHEDULE_ISSUES'), ('ASSIGN_ISSUES'), ('ASSIGNABLE_USER'),
    ('RESOLVE_ISSUES'), ('CLOSE_ISSUES'), ('MODIFY_REPORTER'), ('LINK_ISSUES'),
    ('VIEW_VOTERS_AND_WATCHERS'), ('MANAGE_WATCHERS'), ('ADD_COMMENTS'), ('EDIT_OWN_COMMENTS'),
    ('DELETE_OWN_COMMENTS'), ('CREATE_ATTACHMENTS'), ('DELETE_OWN_ATTACHMENTS'),
    ('WORK_ON_ISSUES'), ('EDIT_OWN_WORKLOGS'), ('DELETE_OWN_WORKLOGS')
) AS p
WHERE EXISTS (SELECT 1 FROM permission_schemes WHERE id = 0);

-- Customers: browse (narrowed per issue by levels.rs), raise, comment and attach.
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT 0, p.column1, 'projectRole', (SELECT CAST(role_id AS TEXT) FROM sd_roles WHERE kind = 'customer')
FROM (VALUES ('BROWSE_PROJECTS'), ('CREATE_ISSUES'), ('ADD_COMMENTS'), ('CREATE_ATTACHMENTS')) AS p
WHERE EXISTS (SELECT 1 FROM permission_schemes WHERE id = 0);

CREATE TABLE sd_desks (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL UNIQUE REFERENCES projects(id) ON DELETE CASCADE
);

CREATE TABLE sd_request_type_groups (
    id       INTEGER PRIMARY KEY,
    desk_id  INTEGER NOT NULL REFERENCES sd_desks(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX sd_request_type_groups_desk ON sd_request_type_groups(desk_id);

CREATE TABLE sd_request_types (
    id            INTEGER PRIMARY KEY,
    desk_id       INTEGER NOT NULL REFERENCES sd_desks(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    help_text     TEXT NOT NULL,
    issue_type_id INTEGER NOT NULL,
    icon_id       INTEGER NOT NULL,
    position      INTEGER NOT NULL
);
CREATE INDEX sd_request_types_desk ON sd_request_types(desk_id);

CREATE TABLE sd_request_type_group_members (
    request_type_id INTEGER NOT NULL REFERENCES sd_request_types(id) ON DELETE CASCADE,
    group_id        INTEGER NOT NULL REFERENCES sd_request_type_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (request_type_id, group_id)
) WITHOUT ROWID;

-- The fields a customer fills, in order: the Jira field behind each, and how the portal
-- labels it. `valid_values` is a JSON array of [value, label] pairs (empty: free input).
CREATE TABLE sd_request_type_fields (
    request_type_id INTEGER NOT NULL REFERENCES sd_request_types(id) ON DELETE CASCADE,
    field_id        TEXT NOT NULL,
    position        INTEGER NOT NULL,
    label           TEXT NOT NULL,
    help            TEXT NOT NULL,
    required        INTEGER NOT NULL,
    valid_values    TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (request_type_id, field_id)
) WITHOUT ROWID;

-- An issue raised through the desk: its request type.
CREATE TABLE sd_requests (
    issue_id        INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    desk_id         INTEGER NOT NULL REFERENCES sd_desks(id) ON DELETE CASCADE,
    request_type_id INTEGER NOT NULL,
    channel         TEXT NOT NULL
);
CREATE INDEX sd_requests_desk ON sd_requests(desk_id);

CREATE TABLE sd_participants (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, user_id)
) WITHOUT ROWID;
CREATE INDEX sd_participants_user ON sd_participants(user_id);

CREATE TABLE sd_organizations (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created INTEGER NOT NULL
);

CREATE TABLE sd_org_members (
    org_id  INTEGER NOT NULL REFERENCES sd_organizations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, user_id)
) WITHOUT ROWID;
CREATE INDEX sd_org_members_user ON sd_org_members(user_id);

CREATE TABLE sd_desk_orgs (
    desk_id INTEGER NOT NULL REFERENCES sd_desks(id) ON DELETE CASCADE,
    org_id  INTEGER NOT NULL REFERENCES sd_organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (desk_id, org_id)
) WITHOUT ROWID;

-- Requests shared with an organization (Jira's "Organizations" field).
CREATE TABLE sd_request_orgs (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    org_id   INTEGER NOT NULL REFERENCES sd_organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (issue_id, org_id)
) WITHOUT ROWID;
CREATE INDEX sd_request_orgs_org ON sd_request_orgs(org_id);

-- Queues: saved JQL over the desk's project, with the columns agents see.
CREATE TABLE sd_queues (
    id       INTEGER PRIMARY KEY,
    desk_id  INTEGER NOT NULL REFERENCES sd_desks(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    jql      TEXT NOT NULL,
    fields   TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX sd_queues_desk ON sd_queues(desk_id);

-- SLA goals: a target duration, started at creation and stopped by the event named.
CREATE TABLE sd_sla_goals (
    id          INTEGER PRIMARY KEY,
    desk_id     INTEGER NOT NULL REFERENCES sd_desks(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    goal_millis INTEGER NOT NULL,
    start_on    TEXT NOT NULL,
    stop_on     TEXT NOT NULL,
    position    INTEGER NOT NULL
);

-- A user's explicit choice about a request's notifications (absent: the default).
CREATE TABLE sd_subscriptions (
    issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subscribed INTEGER NOT NULL,
    PRIMARY KEY (issue_id, user_id)
) WITHOUT ROWID;

-- Customer satisfaction: one rating per request.
CREATE TABLE sd_feedback (
    issue_id INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    rating   INTEGER NOT NULL,
    comment  TEXT,
    created  INTEGER NOT NULL
);

-- Attachments added as internal (for agents only); the rest are public.
CREATE TABLE sd_internal_attachments (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE
);

-- Approvals: a request raised with approvers waits for one of them to decide; the
-- decision moves it along the workflow.
CREATE TABLE sd_approvals (
    id        INTEGER PRIMARY KEY,
    issue_id  INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    decision  TEXT,
    created   INTEGER NOT NULL,
    completed INTEGER
);
CREATE INDEX sd_approvals_issue ON sd_approvals(issue_id);

CREATE TABLE sd_approvers (
    approval_id INTEGER NOT NULL REFERENCES sd_approvals(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    decision    TEXT,
    PRIMARY KEY (approval_id, user_id)
) WITHOUT ROWID;
CREATE INDEX sd_approvers_user ON sd_approvers(user_id);
