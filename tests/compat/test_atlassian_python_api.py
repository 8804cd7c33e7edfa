"""Compatibility proof: the unmodified `atlassian-python-api` client (PyPI
`atlassian-python-api`, class `atlassian.Jira`) against Tessera.

The module gets one real `tessera serve` process (the `server` fixture in conftest.py:
a fresh data directory, a free loopback port) and drives it only through the public
`atlassian.Jira` client, the way scripts written for Jira Server/Data Center (and, with
an API token, Jira Cloud) do. Each test works in its own project (a random key), so the
tests do not depend on each other's data.

`atlassian.Jira` answers decoded JSON (dicts and lists) and raises
`requests.HTTPError` for every 4xx/5xx answer, with Jira's `errorMessages` as the text.

Run: `TESSERA_BIN=target/debug/tessera python3 -m pytest -q tests/compat`
"""

from __future__ import annotations

import io
import re
import secrets

import pytest
import requests
from atlassian import Jira

from tessera_server import (
    ADMIN_EMAIL,
    ADMIN_USER,
    MISSING_ISSUE_MESSAGE,
    Server,
    rand_project_key,
    rand_suffix,
)

PAT_TOKENS = "rest/pat/latest/tokens"


def client(server: Server, **kwargs) -> Jira:
    """An `atlassian.Jira` client; retries stay off (the library's default)."""
    return Jira(url=server.url, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def jira(server: Server) -> Jira:
    return client(server, username=ADMIN_USER, password=server.admin_password)


def create_project(jira: Jira) -> str:
    key = rand_project_key()
    created = jira.create_project_from_raw_json(
        {
            "key": key,
            "name": f"Project {key}",
            "projectTypeKey": "software",
            "lead": ADMIN_USER,
        }
    )
    assert created["key"] == key
    return key


@pytest.fixture
def project_key(jira: Jira) -> str:
    return create_project(jira)


def new_issue(jira: Jira, project_key: str, summary: str = "an issue", **fields) -> str:
    created = jira.issue_create(
        fields={
            "project": {"key": project_key},
            "summary": summary,
            "issuetype": {"name": "Task"},
            **fields,
        }
    )
    assert re.fullmatch(rf"{project_key}-\d+", created["key"]), created
    return created["key"]


def new_user(jira: Jira) -> str:
    name = "apa" + rand_suffix()
    created = jira.user_create(
        username=name,
        email=f"{name}@example.com",
        display_name=f"User {name}",
        password=secrets.token_urlsafe(12),
    )
    assert created["name"] == name
    return name


def http_status(err: pytest.ExceptionInfo) -> int:
    assert err.value.response is not None, f"HTTPError without a response: {err.value}"
    return err.value.response.status_code


# --- connecting -------------------------------------------------------------------------


def test_basic_auth_server_info_and_myself(jira: Jira, server: Server):
    info = jira.get_server_info()
    assert isinstance(info["versionNumbers"], list) and info["versionNumbers"]
    assert all(isinstance(n, int) for n in info["versionNumbers"])
    assert isinstance(info["version"], str) and info["version"]

    me = jira.myself()
    assert me["name"] == ADMIN_USER
    assert me["emailAddress"] == ADMIN_EMAIL
    assert me["active"] is True

    # Basic auth with the email address instead of the username.
    by_email = client(server, username=ADMIN_EMAIL, password=server.admin_password)
    assert by_email.myself()["name"] == ADMIN_USER


def test_wrong_password_is_http_error_401(server: Server):
    wrong = client(server, username=ADMIN_USER, password="wrong-" + rand_suffix())
    with pytest.raises(requests.HTTPError) as err:
        wrong.myself()
    assert http_status(err) == 401


def test_api_token_auth_cloud_and_data_center_style(jira: Jira, server: Server, project_key: str):
    name = "apa-" + rand_suffix()
    created = jira.post(PAT_TOKENS, data={"name": name})
    assert created["name"] == name
    token = created["rawToken"]
    assert isinstance(token, str) and len(token) >= 20
    assert token != server.admin_password
    listed = jira.get(PAT_TOKENS)
    mine = [t for t in listed if t["id"] == created["id"]]
    assert len(mine) == 1 and mine[0]["name"] == name
    assert "rawToken" not in mine[0]  # the secret is shown once only

    key = new_issue(jira, project_key, "seen through a token")

    # Jira Cloud style: HTTP Basic with the account and the API token.
    cloud_user = client(server, username=ADMIN_USER, password=token)
    assert cloud_user.myself()["name"] == ADMIN_USER
    assert cloud_user.get_issue(key)["fields"]["summary"] == "seen through a token"

    # The cloud flavour of the client: email + token, and its JQL goes to the v3
    # enhanced search (`GET /rest/api/3/search/jql`).
    cloud = client(server, username=ADMIN_EMAIL, password=token, cloud=True)
    assert cloud.myself()["name"] == ADMIN_USER
    found = cloud.jql(f"project = {project_key}", fields=["summary"])
    assert [i["key"] for i in found["issues"]] == [key]
    assert found["issues"][0]["fields"]["summary"] == "seen through a token"

    # Jira Data Center style: the personal access token as a Bearer token.
    bearer = client(server, token=token)
    assert bearer.myself()["name"] == ADMIN_USER
    assert bearer.get_issue(key)["key"] == key

    wrong = client(server, token=token + "x")
    with pytest.raises(requests.HTTPError) as err:
        wrong.myself()
    assert http_status(err) == 401

    # A revoked token stops working.
    jira.delete(f"{PAT_TOKENS}/{created['id']}")
    assert created["id"] not in [t["id"] for t in jira.get(PAT_TOKENS)]
    with pytest.raises(requests.HTTPError) as err:
        client(server, token=token).myself()
    assert http_status(err) == 401


# --- projects and issues ----------------------------------------------------------------


def test_create_project(jira: Jira):
    key = rand_project_key()
    name = f"APA {key}"

    created = jira.create_project_from_raw_json(
        {"key": key, "name": name, "projectTypeKey": "software", "lead": ADMIN_USER}
    )

    assert created["key"] == key
    assert str(created["id"]).isdigit()
    project = jira.project(key)
    assert project["key"] == key
    assert project["name"] == name
    assert str(project["id"]) == str(created["id"])
    assert project["lead"]["name"] == ADMIN_USER
    assert key in [p["key"] for p in jira.projects()]


def test_create_issue_and_get_it(jira: Jira, project_key: str):
    created = jira.issue_create(
        fields={
            "project": {"key": project_key},
            "summary": "Printer on fire",
            "description": "Smoke from *tray 2*",
            "issuetype": {"name": "Bug"},
            "priority": {"name": "High"},
            "labels": ["a", "b"],
        }
    )
    key = created["key"]
    assert re.fullmatch(rf"{project_key}-\d+", key), key
    assert str(created["id"]).isdigit()

    issue = jira.get_issue(key)
    f = issue["fields"]
    assert issue["key"] == key
    assert str(issue["id"]) == str(created["id"])
    assert f["project"]["key"] == project_key
    assert f["summary"] == "Printer on fire"
    assert f["description"] == "Smoke from *tray 2*"
    assert f["issuetype"]["name"] == "Bug"
    assert f["priority"]["name"] == "High"
    assert sorted(f["labels"]) == ["a", "b"]
    assert f["status"]["name"] == "To Do"
    assert f["reporter"]["name"] == ADMIN_USER
    assert f["resolution"] is None

    # The other read paths of the client.
    assert jira.issue(key)["fields"]["summary"] == "Printer on fire"
    assert jira.get_issue(key, fields=["summary"])["fields"] == {"summary": "Printer on fire"}
    assert jira.issue_field_value(key, "priority")["name"] == "High"
    assert jira.get_issue_status(key) == "To Do"
    assert jira.issue_exists(key) is True


def test_update_issue_fields(jira: Jira, project_key: str):
    key = new_issue(jira, project_key, "old", description="d1", labels=["a", "b"])

    # PUT /issue/{key}?notifyUsers=true {"fields": {...}}
    jira.update_issue_field(key, {"summary": "new", "labels": ["x"]})
    f = jira.get_issue(key)["fields"]
    assert f["summary"] == "new"
    assert f["labels"] == ["x"]
    assert f["description"] == "d1"

    # issue_update sends {"fields": ..., "notifyUsers": "true"} in the body.
    jira.issue_update(key, fields={"description": "d2"})
    f = jira.get_issue(key)["fields"]
    assert f["description"] == "d2"
    assert f["summary"] == "new"

    # Field operations through `update`.
    jira.edit_issue(key, {"labels": [{"add": "y"}], "summary": [{"set": "newer"}]})
    f = jira.get_issue(key)["fields"]
    assert sorted(f["labels"]) == ["x", "y"]
    assert f["summary"] == "newer"

    jira.label_issue(key, ["z"])
    jira.unlabel_issue(key, ["x"])
    assert sorted(jira.get_issue(key)["fields"]["labels"]) == ["y", "z"]


def test_comments(jira: Jira, project_key: str):
    key = new_issue(jira, project_key)

    added = jira.issue_add_comment(key, "hello from atlassian-python-api")
    assert str(added["id"]).isdigit()
    assert added["body"] == "hello from atlassian-python-api"
    assert added["author"]["name"] == ADMIN_USER

    comments = jira.issue_get_comments(key)
    assert comments["total"] == 1
    assert [c["id"] for c in comments["comments"]] == [added["id"]]
    assert comments["comments"][0]["body"] == "hello from atlassian-python-api"

    edited = jira.issue_edit_comment(key, added["id"], "edited")
    assert edited["body"] == "edited"
    assert [c["body"] for c in jira.issue_get_comments(key)["comments"]] == ["edited"]


def test_transitions_to_done_and_back(jira: Jira, project_key: str):
    key = new_issue(jira, project_key)

    transitions = jira.get_issue_transitions(key)
    # The client turns ids into ints and keeps the target status name.
    assert {t["name"]: (t["id"], t["to"]) for t in transitions} == {
        "In Progress": (21, "In Progress"),
        "In Review": (31, "In Review"),
        "Done": (41, "Done"),
    }
    assert jira.get_transition_id_to_status_name(key, "Done") == 41

    # set_issue_status looks the transition up by target status and posts its id as a
    # JSON number: {"transition": {"id": 41}}.
    jira.set_issue_status(key, "Done")
    f = jira.get_issue(key)["fields"]
    assert f["status"]["name"] == "Done"
    assert f["status"]["statusCategory"]["key"] == "done"
    assert f["resolution"] is not None and f["resolution"]["name"] == "Done"
    assert jira.get_issue_status(key) == "Done"
    assert "Done" not in [t["to"] for t in jira.get_issue_transitions(key)]

    jira.issue_transition(key, "To Do")
    f = jira.get_issue(key)["fields"]
    assert f["status"]["name"] == "To Do"
    assert f["resolution"] is None


def test_assign_and_unassign(jira: Jira, project_key: str):
    bob = new_user(jira)
    key = new_issue(jira, project_key)

    jira.assign_issue(key, bob)  # PUT /issue/{key}/assignee {"name": bob}
    assignee = jira.get_issue(key)["fields"]["assignee"]
    assert assignee is not None
    assert assignee["name"] == bob
    assert assignee["displayName"] == f"User {bob}"

    jira.assign_issue(key, None)  # {"name": null}
    assert jira.get_issue(key)["fields"]["assignee"] is None


def test_jql_search(jira: Jira, project_key: str):
    keys = [
        new_issue(jira, project_key, "alpha one", labels=["red"]),
        new_issue(jira, project_key, "beta two", labels=["blue"]),
        new_issue(jira, project_key, "gamma three", labels=["red"]),
    ]

    found = jira.jql(f"project = {project_key} ORDER BY key ASC")
    assert found["total"] == 3
    assert [i["key"] for i in found["issues"]] == keys
    assert found["issues"][0]["fields"]["summary"] == "alpha one"

    page = jira.jql(f"project = {project_key} ORDER BY key ASC", fields=["summary"], start=1, limit=1)
    assert page["startAt"] == 1
    assert page["maxResults"] == 1
    assert page["total"] == 3
    assert [i["key"] for i in page["issues"]] == [keys[1]]
    assert set(page["issues"][0]["fields"]) == {"summary"}

    red = jira.jql(f"project = {project_key} AND labels = red ORDER BY key DESC", fields="key")
    assert [i["key"] for i in red["issues"]] == [keys[2], keys[0]]

    text = jira.jql(f'project = {project_key} AND summary ~ "beta"', fields="summary")
    assert [i["key"] for i in text["issues"]] == [keys[1]]

    # Without a limit the client follows the pages to the end; with one it stops there.
    everything = jira.jql_get_list_of_tickets(f"project = {project_key} ORDER BY key ASC")
    assert [i["key"] for i in everything] == keys
    first_two = jira.jql_get_list_of_tickets(f"project = {project_key} ORDER BY key ASC", limit=2)
    assert [i["key"] for i in first_two] == keys[:2]

    with pytest.raises(requests.HTTPError) as err:
        jira.jql(f"project = {project_key} AND")
    assert http_status(err) == 400


# --- remote links, attachments, worklogs, watchers, issue links --------------------------


def test_remote_links(jira: Jira, project_key: str):
    key = new_issue(jira, project_key, "remote link")
    global_id = "system=https://example.com&id=1"

    created = jira.create_or_update_issue_remote_links(
        key,
        "https://example.com/ticket/1",
        "Ticket 1",
        global_id=global_id,
        relationship="relates to",
        application={"type": "com.example", "name": "Example"},
    )
    assert str(created["id"]).isdigit()

    links = jira.get_issue_remote_links(key)
    assert len(links) == 1
    link = links[0]
    assert link["id"] == created["id"]
    assert link["globalId"] == global_id
    assert link["relationship"] == "relates to"
    assert link["application"]["name"] == "Example"
    assert link["object"]["url"] == "https://example.com/ticket/1"
    assert link["object"]["title"] == "Ticket 1"
    assert link["object"]["status"]["resolved"] is False

    # With globalId Jira answers the one matching link as an object.
    assert jira.get_issue_remote_links(key, global_id=global_id)["id"] == created["id"]

    # The same globalId updates the link instead of adding one.
    again = jira.create_or_update_issue_remote_links(
        key, "https://example.com/ticket/1", "Ticket 1 (renamed)", global_id=global_id
    )
    assert again["id"] == created["id"]
    assert [l["object"]["title"] for l in jira.get_issue_remote_links(key)] == ["Ticket 1 (renamed)"]

    jira.update_issue_remote_link_by_id(key, created["id"], "https://example.com/ticket/2", "Ticket 2")
    fetched = jira.get_issue_remote_link_by_id(key, created["id"])
    assert fetched["object"]["url"] == "https://example.com/ticket/2"
    assert fetched["object"]["title"] == "Ticket 2"

    jira.delete_issue_remote_link_by_id(key, created["id"])
    assert jira.get_issue_remote_links(key) == []


def test_attachments(jira: Jira, project_key: str, tmp_path):
    key = new_issue(jira, project_key, "attachments")

    path = tmp_path / "notes.txt"
    data = b"attached by atlassian-python-api\n"
    path.write_bytes(data)
    uploaded = jira.add_attachment(key, str(path))
    assert isinstance(uploaded, list) and len(uploaded) == 1
    att = uploaded[0]
    assert att["filename"] == "notes.txt"
    assert att["size"] == len(data)
    assert str(att["id"]).isdigit()
    assert att["author"]["name"] == ADMIN_USER

    meta = jira.get_attachment(att["id"])
    assert meta["filename"] == "notes.txt"
    assert meta["size"] == len(data)
    assert jira.get_attachment_content(att["id"]) == data

    blob = io.BytesIO(b"\x00\x01binary\xff")
    blob.name = "blob.bin"  # requests takes the multipart file name from `.name`
    second = jira.add_attachment_object(key, blob)
    assert [a["filename"] for a in second] == ["blob.bin"]
    assert second[0]["size"] == len(b"\x00\x01binary\xff")

    on_issue = jira.get_attachments_ids_from_issue(key)
    assert sorted(a["filename"] for a in on_issue) == ["blob.bin", "notes.txt"]

    jira.remove_attachment(att["id"])
    with pytest.raises(requests.HTTPError) as err:
        jira.get_attachment(att["id"])
    assert http_status(err) == 404
    assert [a["filename"] for a in jira.get_attachments_ids_from_issue(key)] == ["blob.bin"]


def test_worklog(jira: Jira, project_key: str):
    key = new_issue(jira, project_key, "log work")

    logged = jira.issue_worklog(key, "2026-01-05T09:00:00.000+0000", 5400, comment="pairing")
    assert str(logged["id"]).isdigit()
    assert logged["timeSpentSeconds"] == 5400
    assert logged["timeSpent"] == "1h 30m"
    assert logged["comment"] == "pairing"
    assert logged["started"].startswith("2026-01-05T09:00:00.000")
    assert logged["author"]["name"] == ADMIN_USER

    jira.issue_worklog(key, "2026-01-06T10:00:00.000+0000", 1800)

    logs = jira.issue_get_worklog(key)
    assert logs["total"] == 2
    assert [w["timeSpentSeconds"] for w in logs["worklogs"]] == [5400, 1800]
    assert logs["worklogs"][0]["id"] == logged["id"]

    tt = jira.get_issue(key, fields="timetracking")["fields"]["timetracking"]
    assert tt["timeSpentSeconds"] == 7200


def test_watchers(jira: Jira, project_key: str):
    key = new_issue(jira, project_key, "watch me")
    watchers = jira.issue_get_watchers(key)
    # The reporter watches automatically.
    assert watchers["watchCount"] == 1
    assert [w["name"] for w in watchers["watchers"]] == [ADMIN_USER]

    name = new_user(jira)
    jira.issue_add_watcher(key, name)  # POST /issue/{key}/watchers with the JSON string "name"
    watchers = jira.issue_get_watchers(key)
    assert watchers["watchCount"] == 2
    assert sorted(w["name"] for w in watchers["watchers"]) == sorted([ADMIN_USER, name])

    jira.issue_delete_watcher(key, user=name)  # DELETE ...?username=name
    assert [w["name"] for w in jira.issue_get_watchers(key)["watchers"]] == [ADMIN_USER]


def test_issue_links(jira: Jira, project_key: str):
    blocker = new_issue(jira, project_key, "blocker")
    blocked = new_issue(jira, project_key, "blocked")
    assert "Blocks" in jira.get_issue_link_types_names()

    jira.create_issue_link(
        {"type": {"name": "Blocks"}, "inwardIssue": {"key": blocker}, "outwardIssue": {"key": blocked}}
    )

    # Jira's convention: the inward issue of the request is the one that "blocks".
    links = jira.get_issue(blocker, fields="issuelinks")["fields"]["issuelinks"]
    assert len(links) == 1
    assert links[0]["type"]["name"] == "Blocks"
    assert links[0]["outwardIssue"]["key"] == blocked
    back = jira.get_issue(blocked, fields="issuelinks")["fields"]["issuelinks"]
    assert [l["inwardIssue"]["key"] for l in back] == [blocker]

    link = jira.get_issue_link(links[0]["id"])
    assert link["outwardIssue"]["key"] == blocked
    assert link["inwardIssue"]["key"] == blocker

    jira.remove_issue_link(links[0]["id"])
    assert jira.get_issue(blocker, fields="issuelinks")["fields"]["issuelinks"] == []


# --- deleting and missing issues ----------------------------------------------------------


def test_delete_issue(jira: Jira, project_key: str):
    key = new_issue(jira, project_key, "to be deleted")
    assert jira.issue_exists(key) is True

    jira.delete_issue(key)

    assert jira.issue_exists(key) is False
    assert jira.issue_deleted(key) is True
    with pytest.raises(requests.HTTPError) as err:
        jira.get_issue(key)
    assert http_status(err) == 404


def test_missing_issue_is_http_error_404(jira: Jira):
    with pytest.raises(requests.HTTPError) as err:
        jira.get_issue("NOPE-999999")
    assert http_status(err) == 404
    assert MISSING_ISSUE_MESSAGE in str(err.value)
    assert MISSING_ISSUE_MESSAGE in err.value.response.json()["errorMessages"]
