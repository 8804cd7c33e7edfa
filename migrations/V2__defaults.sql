-- The defaults a new Jira Cloud site ships with, with Jira's ids, keys and colour names.

INSERT INTO status_categories (id, key, name, color_name) VALUES
    (1, 'undefined', 'No Category', 'medium-gray'),
    (2, 'new', 'To Do', 'blue-gray'),
    (4, 'indeterminate', 'In Progress', 'yellow'),
    (3, 'done', 'Done', 'green');

INSERT INTO statuses (id, name, description, category_id) VALUES
    (10000, 'To Do', 'This item has not been started.', 2),
    (3, 'In Progress', 'This issue is being actively worked on at the moment by the assignee.', 4),
    (10002, 'In Review', 'This item is being reviewed.', 4),
    (10001, 'Done', 'This item is complete.', 3);

INSERT INTO priorities (id, name, description, status_color, icon, is_default) VALUES
    (1, 'Highest', 'This problem will block progress.', '#d04437', 'highest.svg', 0),
    (2, 'High', 'Serious problem that could block progress.', '#f15C75', 'high.svg', 0),
    (3, 'Medium', 'Has the potential to affect progress.', '#f79232', 'medium.svg', 1),
    (4, 'Low', 'Minor problem or easily worked around.', '#707070', 'low.svg', 0),
    (5, 'Lowest', 'Trivial problem with little or no impact on progress.', '#999999', 'lowest.svg', 0);

INSERT INTO resolutions (id, name, description, is_default) VALUES
    (10000, 'Done', 'Work has been completed on this issue.', 1),
    (10001, 'Won''t Do', 'This issue won''t be actioned.', 0),
    (10002, 'Duplicate', 'The problem is a duplicate of an existing issue.', 0),
    (10003, 'Cannot Reproduce', 'All attempts at reproducing this issue failed, or not enough information was available to reproduce the issue.', 0);

INSERT INTO issue_types (id, name, description, subtask, hierarchy_level, avatar_id) VALUES
    (10000, 'Epic', 'A big user story that needs to be broken down.', 0, 1, 10307),
    (10001, 'Task', 'A small, distinct piece of work.', 0, 0, 10318),
    (10002, 'Sub-task', 'A small piece of work that''s part of a larger task.', 1, -1, 10316),
    (10003, 'Story', 'Functionality or a feature expressed as a user goal.', 0, 0, 10315),
    (10004, 'Bug', 'A problem or error.', 0, 0, 10303);

INSERT INTO workflows (id, name) VALUES (1, 'Software Simplified Workflow');
-- Global transitions: every status can move to every other one, as Jira's simplified workflow.
INSERT INTO workflow_transitions (id, workflow_id, name, from_status, to_status) VALUES
    (11, 1, 'To Do', NULL, 10000),
    (21, 1, 'In Progress', NULL, 3),
    (31, 1, 'In Review', NULL, 10002),
    (41, 1, 'Done', NULL, 10001);

INSERT INTO issue_link_types (id, name, inward, outward) VALUES
    (10000, 'Blocks', 'is blocked by', 'blocks'),
    (10001, 'Cloners', 'is cloned by', 'clones'),
    (10002, 'Duplicate', 'is duplicated by', 'duplicates'),
    (10003, 'Relates', 'relates to', 'relates to');

INSERT INTO groups (id, name) VALUES (1, 'jira-administrators'), (2, 'jira-users');

INSERT INTO global_grants (permission, group_name) VALUES
    ('ADMINISTER', 'jira-administrators'),
    ('SYSTEM_ADMIN', 'jira-administrators'),
    ('USER_PICKER', 'jira-users'),
    ('CREATE_SHARED_OBJECTS', 'jira-users'),
    ('MANAGE_GROUP_FILTER_SUBSCRIPTIONS', 'jira-users'),
    ('BULK_CHANGE', 'jira-users');

INSERT INTO project_roles (id, name, description) VALUES
    (10002, 'Administrators', 'A project role that represents administrators in a project'),
    (10003, 'Members', 'A project role that represents members in a project'),
    (10004, 'Viewers', 'A project role that represents viewers in a project');

INSERT INTO project_role_default_actors (role_id, actor_type, actor_value) VALUES
    (10002, 'group', 'jira-administrators'),
    (10003, 'group', 'jira-users');

INSERT INTO project_categories (id, name, description) VALUES
    (10000, 'Default', 'Projects without a more specific category');

INSERT INTO permission_schemes (id, name, description) VALUES
    (0, 'Default Permission Scheme', 'This is the default Permission Scheme. Any new projects that are created will be assigned this scheme.');

-- Administrators: every project permission.
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT 0, p.column1, 'projectRole', '10002' FROM (VALUES
    ('ADMINISTER_PROJECTS'), ('BROWSE_PROJECTS'), ('VIEW_DEV_TOOLS'), ('VIEW_READONLY_WORKFLOW'),
    ('CREATE_ISSUES'), ('EDIT_ISSUES'), ('TRANSITION_ISSUES'), ('SCHEDULE_ISSUES'), ('MOVE_ISSUES'),
    ('ASSIGN_ISSUES'), ('ASSIGNABLE_USER'), ('RESOLVE_ISSUES'), ('CLOSE_ISSUES'), ('MODIFY_REPORTER'),
    ('DELETE_ISSUES'), ('LINK_ISSUES'), ('SET_ISSUE_SECURITY'), ('VIEW_VOTERS_AND_WATCHERS'),
    ('MANAGE_WATCHERS'), ('ADD_COMMENTS'), ('EDIT_ALL_COMMENTS'), ('EDIT_OWN_COMMENTS'),
    ('DELETE_ALL_COMMENTS'), ('DELETE_OWN_COMMENTS'), ('CREATE_ATTACHMENTS'),
    ('DELETE_ALL_ATTACHMENTS'), ('DELETE_OWN_ATTACHMENTS'), ('WORK_ON_ISSUES'),
    ('EDIT_OWN_WORKLOGS'), ('EDIT_ALL_WORKLOGS'), ('DELETE_OWN_WORKLOGS'), ('DELETE_ALL_WORKLOGS')
) AS p;

-- Members: everyday work, but no deleting others' content and no project administration.
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT 0, p.column1, 'projectRole', '10003' FROM (VALUES
    ('BROWSE_PROJECTS'), ('VIEW_DEV_TOOLS'), ('VIEW_READONLY_WORKFLOW'), ('CREATE_ISSUES'),
    ('EDIT_ISSUES'), ('TRANSITION_ISSUES'), ('SCHEDULE_ISSUES'), ('MOVE_ISSUES'), ('ASSIGN_ISSUES'),
    ('ASSIGNABLE_USER'), ('RESOLVE_ISSUES'), ('CLOSE_ISSUES'), ('LINK_ISSUES'),
    ('VIEW_VOTERS_AND_WATCHERS'), ('MANAGE_WATCHERS'), ('ADD_COMMENTS'), ('EDIT_OWN_COMMENTS'),
    ('DELETE_OWN_COMMENTS'), ('CREATE_ATTACHMENTS'), ('DELETE_OWN_ATTACHMENTS'), ('WORK_ON_ISSUES'),
    ('EDIT_OWN_WORKLOGS'), ('DELETE_OWN_WORKLOGS')
) AS p;

-- Viewers: read and discuss.
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param)
SELECT 0, p.column1, 'projectRole', '10004' FROM (VALUES
    ('BROWSE_PROJECTS'), ('VIEW_VOTERS_AND_WATCHERS'), ('ADD_COMMENTS'), ('EDIT_OWN_COMMENTS'),
    ('DELETE_OWN_COMMENTS')
) AS p;

-- The issue's own people.
INSERT INTO permission_grants (scheme_id, permission, holder_type, holder_param) VALUES
    (0, 'EDIT_ISSUES', 'reporter', NULL),
    (0, 'ADMINISTER_PROJECTS', 'projectLead', NULL);
