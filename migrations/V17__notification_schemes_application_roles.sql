-- Notification schemes (read over REST, as in Jira Data Center): which recipients each
-- issue event goes to. The events are the ones the tracker records on its issues; the
-- default scheme is Jira's own. Application roles: which groups give a user access to
-- the tracker (every user is put in jira-users, see service/users.rs).
CREATE TABLE issue_event_types (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL
);
INSERT INTO issue_event_types (id, name, description) VALUES
    (1, 'Issue Created', 'This is the ''issue created'' event.'),
    (2, 'Issue Updated', 'This is the ''issue updated'' event.'),
    (3, 'Issue Assigned', 'This is the ''issue assigned'' event.'),
    (4, 'Issue Resolved', 'This is the ''issue resolved'' event.'),
    (5, 'Issue Closed', 'This is the ''issue closed'' event.'),
    (6, 'Issue Commented', 'This is the ''issue commented'' event.'),
    (7, 'Issue Reopened', 'This is the ''issue reopened'' event.'),
    (8, 'Issue Deleted', 'This is the ''issue deleted'' event.'),
    (9, 'Issue Moved', 'This is the ''issue moved'' event.'),
    (10, 'Work Logged On Issue', 'This is the ''work logged on issue'' event.'),
    (13, 'Generic Event', 'This is the ''generic event'' event.'),
    (14, 'Issue Comment Edited', 'This is the ''issue comment edited'' event.'),
    (15, 'Issue Worklog Updated', 'This is the ''issue worklog updated'' event.'),
    (16, 'Issue Worklog Deleted', 'This is the ''issue worklog deleted'' event.'),
    (17, 'Issue Comment Deleted', 'This is the ''issue comment deleted'' event.');

CREATE TABLE notification_schemes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    scheme_id   INTEGER NOT NULL REFERENCES notification_schemes (id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL REFERENCES issue_event_types (id),
    -- Jira's notificationType: CurrentAssignee, Reporter, AllWatchers, ProjectLead,
    -- ComponentLead, CurrentUser, User, Group, ProjectRole, EmailAddress, ...
    type        TEXT NOT NULL,
    parameter   TEXT
);
CREATE INDEX notifications_scheme ON notifications (scheme_id, event_id);

INSERT INTO notification_schemes (id, name, description) VALUES
    (10000, 'Default Notification Scheme', '');
-- Jira's default: the assignee, the reporter and the watchers hear of every event.
INSERT INTO notifications (scheme_id, event_id, type)
    SELECT 10000, e.id, t.type
    FROM issue_event_types e,
         (SELECT 'CurrentAssignee' AS type, 1 AS o UNION ALL SELECT 'Reporter', 2
          UNION ALL SELECT 'AllWatchers', 3) t
    ORDER BY e.id, t.o;

-- The project's scheme; a project without a row uses the default (10000).
CREATE TABLE project_notification_scheme (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    scheme_id  INTEGER NOT NULL REFERENCES notification_schemes (id)
);

CREATE TABLE application_roles (
    key      TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    platform INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE application_role_groups (
    role_key   TEXT NOT NULL REFERENCES application_roles (key) ON DELETE CASCADE,
    group_name TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (role_key, group_name)
) WITHOUT ROWID;
INSERT INTO application_roles (key, name, platform) VALUES ('jira-software', 'Jira Software', 0);
INSERT INTO application_role_groups (role_key, group_name, is_default) VALUES
    ('jira-software', 'jira-users', 1),
    ('jira-software', 'jira-administrators', 0);
