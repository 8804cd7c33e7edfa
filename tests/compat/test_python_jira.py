"""Compatibility proof: the unmodified python `jira` client (PyPI `jira`) against Tessera.

The module starts one real `tessera serve` process on a fresh data directory and a
free port, then drives it only through the public `jira.JIRA` client, the way
scripts written for Jira Server/Data Center do. Each test works in its own
project (a random key), so the tests do not depend on each other's data.

Binary: `$TESSERA_BIN`, else `target/debug/tessera` under the repository root.
Run: `TESSERA_BIN=target/debug/tessera python3 -m pytest -q tests/compat`
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess

import pytest
from jira import JIRA
from jira.exceptions import JIRAError

# The `server` fixture (one real `tessera serve` per module) is in conftest.py.
from tessera_server import (
    ADMIN_EMAIL,
    ADMIN_USER,
    MISSING_ISSUE_MESSAGE,
    Server,
    rand_project_key,
    rand_suffix,
)


def client(server: Server, **auth) -> JIRA:
    """A `jira.JIRA` client with retries off: a failing call fails at once, with no back-off."""
    return JIRA(server=server.url, max_retries=0, **auth)


@pytest.fixture(scope="module")
def jira(server: Server) -> JIRA:
    return client(server, basic_auth=(ADMIN_USER, server.admin_password))


@pytest.fixture
def project_key(jira: JIRA) -> str:
    key = rand_project_key()
    jira.create_project(key, f"Project {key}")
    return key


def new_issue(jira: JIRA, project_key: str, summary: str = "an issue"):
    return jira.create_issue(project=project_key, summary=summary, issuetype={"name": "Task"})


# --- tests -------------------------------------------------------------------------------


def test_connect_server_info_and_myself(jira: JIRA):
    info = jira.server_info()
    assert isinstance(info["versionNumbers"], list) and info["versionNumbers"]
    assert all(isinstance(n, int) for n in info["versionNumbers"])

    me = jira.myself()
    assert me["name"] == ADMIN_USER
    assert me["emailAddress"] == ADMIN_EMAIL
    assert jira.current_user() == ADMIN_USER


def test_create_project(jira: JIRA):
    key = rand_project_key()
    name = f"Compat {key}"

    created = jira.create_project(key, name)

    assert created["key"] == key
    assert str(created["id"]).isdigit()
    project = jira.project(key)
    assert project.key == key
    assert project.name == name
    assert str(project.id) == str(created["id"])
    assert key in [p.key for p in jira.projects()]


def test_create_issue_and_read_it_back(jira: JIRA, project_key: str):
    issue = jira.create_issue(
        project=project_key,
        summary="Printer on fire",
        description="Smoke from *tray 2*",
        issuetype={"name": "Bug"},
        priority={"name": "High"},
        labels=["a", "b"],
    )
    assert re.fullmatch(rf"{project_key}-\d+", issue.key), issue.key
    assert issue.id.isdigit()

    fetched = jira.issue(issue.key)
    f = fetched.fields
    assert fetched.key == issue.key
    assert fetched.id == issue.id
    assert f.project.key == project_key
    assert f.summary == "Printer on fire"
    assert f.description == "Smoke from *tray 2*"
    assert f.issuetype.name == "Bug"
    assert f.priority.name == "High"
    assert sorted(f.labels) == ["a", "b"]
    assert f.status.name == "To Do"
    assert f.reporter.name == ADMIN_USER
    assert f.resolution is None


def test_update_issue(jira: JIRA, project_key: str):
    issue = jira.create_issue(
        project=project_key,
        summary="old",
        description="d1",
        issuetype={"name": "Task"},
        labels=["a", "b"],
    )

    # Keyword arguments: strings go to `fields`, lists go to `update` as Jira field
    # operations (a bare string in that list is a 400 on real Jira, so the list holds
    # an operation, as python-jira's own docs show).
    issue.update(summary="new", labels=[{"set": ["x"]}])
    assert issue.fields.summary == "new"  # the client reloads the issue after PUT
    fetched = jira.issue(issue.key)
    assert fetched.fields.summary == "new"
    assert fetched.fields.labels == ["x"]
    assert fetched.fields.description == "d1"

    issue.update(fields={"description": "d2"})
    fetched = jira.issue(issue.key)
    assert fetched.fields.description == "d2"
    assert fetched.fields.summary == "new"
    assert fetched.fields.labels == ["x"]

    # The documented way to replace labels: a plain list in `fields`.
    issue.update(fields={"labels": ["y", "z"]})
    assert sorted(jira.issue(issue.key).fields.labels) == ["y", "z"]


def test_comments_crud(jira: JIRA, project_key: str):
    issue = new_issue(jira, project_key)

    added = jira.add_comment(issue, "hello")
    assert added.body == "hello"
    assert added.id.isdigit()

    comments = jira.comments(issue)
    assert len(comments) == 1
    assert comments[0].id == added.id

    c = jira.comment(issue.key, added.id)
    assert c.body == "hello"
    assert c.author.name == ADMIN_USER

    c.update(body="edited")
    assert c.body == "edited"
    assert jira.comment(issue.key, added.id).body == "edited"
    assert [x.body for x in jira.comments(issue)] == ["edited"]

    c.delete()
    assert jira.comments(issue) == []
    with pytest.raises(JIRAError) as err:
        jira.comment(issue.key, added.id)
    assert err.value.status_code == 404


def test_transitions(jira: JIRA, project_key: str):
    issue = new_issue(jira, project_key)

    available = {t["name"]: t["id"] for t in jira.transitions(issue)}
    # Default workflow: global transitions, each unavailable from its own status.
    assert available == {"In Progress": "21", "In Review": "31", "Done": "41"}

    jira.transition_issue(issue, "Done")
    f = jira.issue(issue.key).fields
    assert f.status.name == "Done"
    assert f.status.statusCategory.key == "done"
    assert f.resolution is not None and f.resolution.name == "Done"
    assert "Done" not in [t["name"] for t in jira.transitions(issue)]

    jira.transition_issue(issue, "To Do")
    f = jira.issue(issue.key).fields
    assert f.status.name == "To Do"
    assert f.status.statusCategory.key == "new"
    assert f.resolution is None


def test_assign_and_unassign(jira: JIRA, project_key: str):
    suffix = rand_suffix()
    bob = f"bob_{suffix}"
    resp = jira._session.post(
        jira._get_url("user"),
        data=json.dumps(
            {
                "name": bob,
                "emailAddress": f"{bob}@example.com",
                "displayName": "Bob",
                "password": f"pw-{suffix}",
            }
        ),
    )
    assert resp.status_code == 201
    assert resp.json()["name"] == bob

    issue = new_issue(jira, project_key)
    assert jira.assign_issue(issue, bob)
    assignee = jira.issue(issue.key).fields.assignee
    assert assignee is not None
    assert assignee.name == bob
    assert assignee.displayName == "Bob"

    jira.assign_issue(issue, None)
    assert jira.issue(issue.key).fields.assignee is None


def test_delete_issue(jira: JIRA, project_key: str):
    issue = new_issue(jira, project_key)
    key = issue.key
    assert jira.issue(key).key == key

    issue.delete()

    with pytest.raises(JIRAError) as err:
        jira.issue(key)
    assert err.value.status_code == 404


def test_missing_issue_is_404_with_jira_message(jira: JIRA):
    with pytest.raises(JIRAError) as err:
        jira.issue("NOPE-999999")
    assert err.value.status_code == 404
    assert MISSING_ISSUE_MESSAGE in (err.value.text or "")


def test_api_token_auth(server: Server):
    result = subprocess.run(
        [
            str(server.binary),
            "token",
            "create",
            "--user",
            ADMIN_USER,
            "--label",
            "ci",
            "--data-dir",
            str(server.data_dir),
        ],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"token create failed:\n{result.stdout}\n{result.stderr}"
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert lines, f"token create printed nothing on stdout; stderr:\n{result.stderr}"
    token = lines[-1]
    assert token != server.admin_password

    # Jira Cloud style: HTTP Basic with email and API token.
    cloud_style = client(server, basic_auth=(ADMIN_EMAIL, token))
    assert cloud_style.myself()["name"] == ADMIN_USER

    # Jira Data Center style: personal access token as a Bearer token.
    bearer = client(server, token_auth=token)
    assert bearer.myself()["name"] == ADMIN_USER

    # The token is a secret of its own: a wrong one is refused.
    wrong_bearer = client(server, token_auth=token + "x", get_server_info=False)
    with pytest.raises(JIRAError) as err:
        wrong_bearer.myself()
    assert err.value.status_code == 401


def test_wrong_password_is_401(server: Server):
    wrong = client(
        server, basic_auth=(ADMIN_USER, "wrong-" + rand_suffix()), get_server_info=False
    )
    with pytest.raises(JIRAError) as err:
        wrong.myself()
    assert err.value.status_code == 401


def second_user(jira: JIRA, server: Server) -> tuple[str, JIRA]:
    """A fresh user (a member of every project through jira-users) and their client."""
    name = "compat" + rand_suffix().lower()
    password = secrets.token_urlsafe(12)
    jira.add_user(name, f"{name}@example.com", password=password, fullname=f"User {name}")
    return name, client(server, basic_auth=(name, password))


def test_watchers(jira: JIRA, server: Server, project_key: str):
    issue = new_issue(jira, project_key, "watch me")
    # The reporter watches automatically.
    assert [w.name for w in jira.watchers(issue).watchers] == [ADMIN_USER]

    name, _ = second_user(jira, server)
    jira.add_watcher(issue.key, name)
    watchers = jira.watchers(issue)
    assert watchers.watchCount == 2
    assert sorted(w.name for w in watchers.watchers) == sorted([ADMIN_USER, name])
    assert jira.issue(issue.key).fields.watches.watchCount == 2

    jira.remove_watcher(issue.key, name)
    assert [w.name for w in jira.watchers(issue).watchers] == [ADMIN_USER]


def test_votes(jira: JIRA, server: Server, project_key: str):
    issue = new_issue(jira, project_key, "vote for me")
    # Nobody votes for their own issue.
    with pytest.raises(JIRAError) as err:
        jira.add_vote(issue.key)
    assert err.value.status_code == 404

    _, voter = second_user(jira, server)
    voter.add_vote(issue.key)
    votes = jira.votes(issue.key)
    assert votes.votes == 1
    assert jira.issue(issue.key).fields.votes.votes == 1
    voter.remove_vote(issue.key)
    assert jira.votes(issue.key).votes == 0


def test_issue_links(jira: JIRA, project_key: str):
    blocker = new_issue(jira, project_key, "blocker")
    blocked = new_issue(jira, project_key, "blocked")
    assert "Blocks" in [t.name for t in jira.issue_link_types()]

    jira.create_issue_link("Blocks", blocker.key, blocked.key, comment={"body": "linked"})

    links = jira.issue(blocker.key).fields.issuelinks
    assert len(links) == 1
    assert links[0].type.name == "Blocks"
    assert links[0].outwardIssue.key == blocked.key
    back = jira.issue(blocked.key).fields.issuelinks
    assert back[0].inwardIssue.key == blocker.key
    link = jira.issue_link(links[0].id)
    assert link.outwardIssue.key == blocked.key

    jira.delete_issue_link(links[0].id)
    assert jira.issue(blocker.key).fields.issuelinks == []


def test_components(jira: JIRA, project_key: str):
    component = jira.create_component("API", project_key, description="The API")
    assert component.name == "API"
    assert str(component.id).isdigit()
    assert jira.component(component.id).description == "The API"
    assert [c.name for c in jira.project_components(project_key)] == ["API"]

    issue = jira.create_issue(
        project=project_key,
        summary="uses the API",
        issuetype={"name": "Task"},
        components=[{"name": "API"}],
    )
    assert [c.name for c in jira.issue(issue.key).fields.components] == ["API"]
    assert jira.component_count_related_issues(component.id) == 1

    component.delete()
    assert jira.project_components(project_key) == []


def test_versions(jira: JIRA, project_key: str):
    version = jira.create_version("1.0", project_key, description="first", releaseDate="2030-01-31")
    assert version.name == "1.0"
    assert version.released is False
    assert str(version.id).isdigit()
    assert [v.name for v in jira.project_versions(project_key)] == ["1.0"]

    fetched = jira.version(version.id)
    assert fetched.releaseDate == "2030-01-31"
    fetched.update(released=True)
    assert jira.version(version.id).released is True

    issue = jira.create_issue(
        project=project_key,
        summary="ships in 1.0",
        issuetype={"name": "Task"},
        fixVersions=[{"name": "1.0"}],
    )
    assert [v.name for v in jira.issue(issue.key).fields.fixVersions] == ["1.0"]
    assert jira.version_count_related_issues(version.id)["issuesFixedCount"] == 1
    assert jira.version_count_unresolved_issues(version.id) == 1


def test_add_worklog(jira: JIRA, project_key: str):
    import datetime

    issue = new_issue(jira, project_key, "log work")
    issue.update(fields={"timetracking": {"originalEstimate": "4h"}})
    started = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone.utc)
    worklog = jira.add_worklog(issue, timeSpent="1h 30m", comment="pairing", started=started)
    assert worklog.timeSpentSeconds == 5400
    assert worklog.comment == "pairing"
    assert worklog.started.startswith("2026-01-05T09:00:00.000")

    logs = jira.worklogs(issue.key)
    assert [w.id for w in logs] == [worklog.id]
    fetched = jira.worklog(issue.key, worklog.id)
    assert fetched.timeSpent == "1h 30m"

    tt = jira.issue(issue.key).fields.timetracking
    assert tt.timeSpentSeconds == 5400
    assert tt.remainingEstimateSeconds == 4 * 3600 - 5400

    jira.add_worklog(issue, timeSpent="30m", adjustEstimate="new", newEstimate="1h")
    assert jira.issue(issue.key).fields.timetracking.remainingEstimateSeconds == 3600

    fetched.delete()
    assert len(jira.worklogs(issue.key)) == 1


def test_add_remote_link(jira: JIRA, project_key: str):
    issue = new_issue(jira, project_key, "remote link")
    link = jira.add_remote_link(
        issue,
        destination={"url": "https://example.com/ticket/1", "title": "Ticket 1"},
        globalId="system=https://example.com&id=1",
        application={"type": "com.example", "name": "Example"},
        relationship="relates to",
    )
    assert str(link.id).isdigit()

    links = jira.remote_links(issue)
    assert len(links) == 1
    assert links[0].object.url == "https://example.com/ticket/1"
    assert links[0].object.title == "Ticket 1"
    assert links[0].application.name == "Example"

    # The same globalId updates the link instead of adding one.
    jira.add_remote_link(
        issue,
        destination={"url": "https://example.com/ticket/1", "title": "Ticket 1 (renamed)"},
        globalId="system=https://example.com&id=1",
    )
    links = jira.remote_links(issue)
    assert [l.object.title for l in links] == ["Ticket 1 (renamed)"]
    assert jira.remote_link(issue, links[0].id).object.title == "Ticket 1 (renamed)"

    links[0].delete()
    assert jira.remote_links(issue) == []


def test_add_attachment_and_download(jira: JIRA, project_key: str):
    import io

    issue = new_issue(jira, project_key)
    data = b"attached by the python client\n"
    att = jira.add_attachment(issue=issue.key, attachment=io.BytesIO(data), filename="../notes.txt")
    assert att.filename == "notes.txt"
    assert att.size == len(data)
    assert str(att.id).isdigit()

    assert att.get() == data
    assert jira.attachment(att.id).filename == "notes.txt"
    fetched = jira.issue(issue.key, fields="attachment")
    assert [a.filename for a in fetched.fields.attachment] == ["notes.txt"]
    assert fetched.fields.attachment[0].get() == data

    meta = jira.attachment_meta()
    assert meta["enabled"] is True
    assert meta["uploadLimit"] > 0

    jira.delete_attachment(att.id)
    with pytest.raises(JIRAError) as err:
        jira.attachment(att.id)
    assert err.value.status_code == 404
