"""Compatibility proof for the agile API: the unmodified python `jira` client's Jira
Software calls (boards, sprints, the backlog, ranking, epics through Epic Link) against
a real `tessera serve`.

Run: `cargo build --bin tessera && TESSERA_BIN=target/debug/tessera python3 -m pytest -q -p no:cacheprovider tests/compat/test_python_jira_agile.py`
"""

from __future__ import annotations

import pytest
from jira import JIRA
from jira.exceptions import JIRAError

from tessera_server import ADMIN_USER, Server, rand_project_key


@pytest.fixture(scope="module")
def jira(server: Server) -> JIRA:
    return JIRA(server=server.url, max_retries=0, basic_auth=(ADMIN_USER, server.admin_password))


@pytest.fixture
def project_key(jira: JIRA) -> str:
    key = rand_project_key()
    jira.create_project(key, f"Project {key}")
    return key


def new_issue(jira: JIRA, project_key: str, summary: str):
    return jira.create_issue(project=project_key, summary=summary, issuetype={"name": "Task"})


def field_id(jira: JIRA, name: str) -> str:
    return next(f["id"] for f in jira.fields() if f["name"] == name)


def board_keys(jira: JIRA, board_id: int, path: str = "issue") -> list[str]:
    data = jira._get_json(f"board/{board_id}/{path}", base=jira.AGILE_BASE_URL)
    return [i["key"] for i in data["issues"]]


def test_boards_and_create_board(jira: JIRA, project_key: str):
    boards = jira.boards(projectKeyOrID=project_key)
    assert len(boards) == 1
    assert boards[0].type == "scrum"

    f = jira.create_filter(name=f"compat {project_key}", jql=f"project = {project_key} ORDER BY Rank")
    board = jira.create_board(f"Kanban {project_key}", f.id, preset="kanban")
    assert board.name == f"Kanban {project_key}"
    assert board.type == "kanban"
    assert any(b.id == board.id for b in jira.boards(type="kanban"))
    # (`jira.delete_board(id)` builds a Board without its `self` URL and cannot send;
    # the resource's own delete is the working call.)
    board.delete()
    with pytest.raises(JIRAError) as e:
        jira._get_json(f"board/{board.id}", base=jira.AGILE_BASE_URL)
    assert e.value.status_code == 404


def test_sprints_lifecycle_backlog_and_rank(jira: JIRA, project_key: str):
    board = jira.boards(projectKeyOrID=project_key)[0]
    sprint = jira.create_sprint("Sprint A", board.id, goal="ship it")
    assert sprint.state.lower() == "future"
    later = jira.create_sprint("Sprint B", board.id)
    assert [s.name for s in jira.sprints(board.id)] == ["Sprint A", "Sprint B"]
    assert jira.sprint(sprint.id).goal == "ship it"

    a = new_issue(jira, project_key, "a")
    b = new_issue(jira, project_key, "b")
    c = new_issue(jira, project_key, "c")
    jira.add_issues_to_sprint(sprint.id, [a.key, b.key])
    assert {i.key for i in jira.search_issues(f"sprint = {sprint.id}")} == {a.key, b.key}
    assert [i.key for i in jira.search_issues(f"project = {project_key} AND sprint in openSprints() ORDER BY Rank")] == [a.key, b.key]
    sprint_field = field_id(jira, "Sprint")
    assert getattr(jira.issue(a.key).fields, sprint_field)[0].id == sprint.id

    updated = jira.update_sprint(
        sprint.id,
        state="active",
        startDate="2026-01-05T09:00:00.000+0000",
        endDate="2026-01-19T09:00:00.000+0000",
    )
    assert updated["state"] == "active"
    assert updated["name"] == "Sprint A"
    assert [s.id for s in jira.sprints(board.id, state="active")] == [sprint.id]
    with pytest.raises(JIRAError) as e:
        jira.update_sprint(later.id, state="closed")
    assert e.value.status_code == 400

    jira.move_to_backlog([b.key])
    assert board_keys(jira, board.id, "backlog") == [b.key, c.key]

    jira.rank(c.key, next_issue=a.key)
    assert board_keys(jira, board.id) == [c.key, a.key, b.key]
    jira.rank(c.key, prev_issue=b.key)
    assert board_keys(jira, board.id) == [a.key, b.key, c.key]

    # Completing moves the unfinished issue on to the next sprint.
    jira.update_sprint(sprint.id, state="closed")
    assert [i.key for i in jira.search_issues(f"sprint = {later.id}")] == [a.key]


def test_epic_through_epic_link(jira: JIRA, project_key: str):
    epic = jira.create_issue(
        project=project_key,
        summary="The epic",
        issuetype={"name": "Epic"},
        **{field_id(jira, "Epic Name"): "Big"},
    )
    link = field_id(jira, "Epic Link")
    story = jira.create_issue(
        project=project_key, summary="story", issuetype={"name": "Story"}, **{link: epic.key}
    )
    assert getattr(jira.issue(story.key).fields, link) == epic.key
    assert [i.key for i in jira.search_issues(f'"Epic Link" = {epic.key}')] == [story.key]
    other = new_issue(jira, project_key, "other")
    jira.add_issues_to_epic(epic.id, [other.key])
    assert {i.key for i in jira.search_issues(f"parent = {epic.key}")} == {story.key, other.key}
    data = jira._get_json(f"epic/{epic.key}", base=jira.AGILE_BASE_URL)
    assert data["name"] == "Big"
    assert data["done"] is False
