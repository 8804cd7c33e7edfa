"""Compatibility proof: python `jira` on its Data Center 9 code paths against Tessera.

Tessera says it is Jira Data Center 9.12, so the client takes the paths it keeps for a
self-hosted server of version 9 or later: list parameters sent repeated
(`fields=summary&fields=comment`), create metadata per project
(`issue/createmeta/{project}/issuetypes[/{id}]`) instead of the removed `createmeta`,
and the issue type looked up through `project?expand=issueTypes` in `create_issue`.

Run: `TESSERA_BIN=target/debug/tessera python3 -m pytest -q tests/compat/test_python_jira_dc.py`
"""

from __future__ import annotations

import pytest
from jira import JIRA
from jira.exceptions import JIRAError

from tessera_server import ADMIN_USER, Server, rand_project_key


@pytest.fixture(scope="module")
def jira(server: Server) -> JIRA:
    return JIRA(
        server=server.url,
        max_retries=0,
        basic_auth=(ADMIN_USER, server.admin_password),
    )


@pytest.fixture
def project_key(jira: JIRA) -> str:
    key = rand_project_key()
    jira.create_project(key, f"Project {key}")
    return key


def test_the_client_sees_data_center_9(jira: JIRA):
    assert not jira._is_cloud
    assert jira._version >= (9, 0, 0)
    # The global createmeta is gone on Data Center 9: the client refuses to call it.
    with pytest.raises(JIRAError):
        jira.createmeta()


def test_search_with_a_list_of_fields(jira: JIRA, project_key: str):
    issue = jira.create_issue(
        project=project_key, summary="Listed", issuetype={"name": "Task"}
    )
    jira.add_comment(issue, "first")
    hits = jira.search_issues(
        f"project = {project_key}", fields=["summary", "comment"], expand="names"
    )
    assert [h.key for h in hits] == [issue.key]
    raw = hits[0].raw["fields"]
    assert sorted(raw) == ["comment", "summary"]
    assert raw["comment"]["comments"][0]["body"] == "first"


def test_project_issue_types_and_fields(jira: JIRA, project_key: str):
    types = jira.project_issue_types(project_key)
    names = [t.name for t in types]
    assert "Task" in names and "Bug" in names
    assert types.total == len(types)
    task = next(t for t in types if t.name == "Task")
    assert jira.project_issue_types(project_key, maxResults=1)[0].name == types[0].name

    fields = jira.project_issue_fields(project_key, task.id)
    by_id = {f.fieldId: f for f in fields}
    assert by_id["summary"].required is True
    assert by_id["summary"].name == "Summary"
    assert by_id["issuetype"].allowedValues[0].id == task.id
    assert by_id["project"].required is True
    assert by_id["description"].required is False


def test_create_issue_by_type_name_and_project_key(jira: JIRA, project_key: str):
    # A string issue type and project make the client resolve both through the server.
    issue = jira.create_issue(project=project_key, summary="By name", issuetype="Bug")
    assert issue.fields.issuetype.name == "Bug"
    assert issue.fields.project.key == project_key
    created = jira.create_issues(
        [{"project": project_key, "summary": "Bulk", "issuetype": "Task"}]
    )
    assert created[0]["error"] is None, created
    assert created[0]["issue"].fields.summary == "Bulk"
