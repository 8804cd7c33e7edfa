"""Compatibility proof: the unmodified `atlassian-python-api` client's `ServiceDesk` class
(PyPI `atlassian-python-api`, `atlassian.ServiceDesk`) against Tessera's
`/rest/servicedeskapi`.

The module gets one real `tessera serve` process (the `server` fixture in conftest.py).
Setup that JSM's API has no call for (making a service project, users, the agent role)
goes through `atlassian.Jira`; everything else goes through `ServiceDesk` as scripts
written for Jira Service Management do. Each test makes its own desk (a random project
key) and its own people, so the tests do not depend on each other's data.

`ServiceDesk` answers decoded JSON and raises `requests.HTTPError` for 4xx/5xx answers,
with JSM's `errorMessage` as the text.

Run: `TESSERA_BIN=target/debug/tessera python3 -m pytest -q tests/compat/test_atlassian_service_desk.py`
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest
import requests
from atlassian import Jira, ServiceDesk

from tessera_server import ADMIN_USER, Server, rand_project_key, rand_suffix


@dataclass
class Person:
    name: str
    sd: ServiceDesk


@dataclass
class Desk:
    key: str
    id: str
    agent: Person
    c1: Person
    c2: Person


def sd_client(server: Server, user: str, password: str) -> ServiceDesk:
    return ServiceDesk(url=server.url, username=user, password=password, timeout=30)


@pytest.fixture(scope="module")
def jira(server: Server) -> Jira:
    return Jira(url=server.url, username=ADMIN_USER, password=server.admin_password, timeout=30)


@pytest.fixture(scope="module")
def admin(server: Server) -> ServiceDesk:
    return sd_client(server, ADMIN_USER, server.admin_password)


def new_person(jira: Jira, server: Server, prefix: str) -> Person:
    name = prefix + rand_suffix()
    password = secrets.token_urlsafe(12)
    jira.user_create(
        username=name,
        email=f"{name}@example.com",
        display_name=f"User {name}",
        password=password,
    )
    return Person(name, sd_client(server, name, password))


def role_id(jira: Jira, name: str) -> int:
    roles = jira.get("rest/api/2/role")
    return next(r["id"] for r in roles if r["name"] == name)


@pytest.fixture
def desk(jira: Jira, admin: ServiceDesk, server: Server) -> Desk:
    """A service project (its desk comes with it), an agent and two customers."""
    key = rand_project_key()
    jira.create_project_from_raw_json(
        {"key": key, "name": f"Desk {key}", "projectTypeKey": "service_desk", "lead": ADMIN_USER}
    )
    found = [d for d in admin.get_service_desks() if d["projectKey"] == key]
    assert len(found) == 1, found
    desk_id = found[0]["id"]
    agent = new_person(jira, server, "sda")
    c1, c2 = new_person(jira, server, "sdc"), new_person(jira, server, "sdc")
    team = role_id(jira, "Service Desk Team")
    jira.post(f"rest/api/2/project/{key}/role/{team}", data={"user": [agent.name]})
    admin.add_customers(desk_id, list_of_usernames=[c1.name, c2.name])
    return Desk(key, desk_id, agent, c1, c2)


def request_type_id(sd: ServiceDesk, desk_id: str, name: str) -> str:
    types = sd.get_request_types(desk_id)
    values = types["values"] if isinstance(types, dict) else types
    return next(t["id"] for t in values if t["name"] == name)


def raise_request(d: Desk, who: Person, summary: str, rt_name: str = "Get IT help", **extra):
    rt = request_type_id(who.sd, d.id, rt_name)
    created = who.sd.create_customer_request(
        d.id, rt, {"summary": summary, "description": f"about {summary}", **extra}
    )
    assert created["issueKey"].startswith(d.key + "-"), created
    return created


def status_code(err: pytest.ExceptionInfo) -> int:
    assert err.value.response is not None, err.value
    return err.value.response.status_code


# --- desks and request types ------------------------------------------------------------


def test_info_desks_and_desk_by_id(admin: ServiceDesk, desk: Desk):
    info = admin.get_info()
    assert isinstance(info["version"], str) and info["version"]

    mine = desk.c1.sd.get_service_desks()
    assert [d["projectKey"] for d in mine] == [desk.key]
    one = desk.c1.sd.get_service_desk_by_id(desk.id)
    assert one["id"] == desk.id
    assert one["projectKey"] == desk.key
    assert one["projectName"] == f"Desk {desk.key}"

    # Bounded paging: one page of one desk.
    page = admin.get_service_desks(limit=1, fetch_all=False)
    assert len(page) == 1


def test_request_types_and_fields(desk: Desk):
    types = desk.c1.sd.get_request_types(desk.id)
    names = [t["name"] for t in types["values"]]
    assert "Get IT help" in names
    rt = next(t for t in types["values"] if t["name"] == "Get IT help")
    assert rt["serviceDeskId"] == desk.id
    one = desk.c1.sd.get_request_type(desk.id, rt["id"])
    assert one["name"] == "Get IT help"
    fields = desk.c1.sd.get_request_type_fields(desk.id, rt["id"])
    ids = [f["fieldId"] for f in fields["requestTypeFields"]]
    assert "summary" in ids


def test_create_request_type(admin: ServiceDesk, jira: Jira, desk: Desk):
    task = next(t for t in jira.get("rest/api/2/issuetype") if t["name"] == "Task")
    made = admin.create_request_type(desk.id, task["id"], "Order coffee", "Beans", "Say how much")
    assert made["name"] == "Order coffee"
    assert made["description"] == "Beans"
    assert made["helpText"] == "Say how much"
    assert made["issueTypeId"] == task["id"]
    assert "Order coffee" in [t["name"] for t in admin.get_request_types(desk.id)["values"]]
    # A customer cannot make request types.
    with pytest.raises(requests.HTTPError) as err:
        desk.c1.sd.create_request_type(desk.id, task["id"], "Nope", "", "")
    assert status_code(err) == 403


# --- requests -----------------------------------------------------------------------------


def test_create_and_get_customer_request(desk: Desk):
    created = raise_request(desk, desk.c1, "Printer on fire")
    key = created["issueKey"]
    got = desk.c1.sd.get_customer_request(key)
    assert got["issueKey"] == key
    assert got["reporter"]["name"] == desk.c1.name
    summary = next(f for f in got["requestFieldValues"] if f["fieldId"] == "summary")
    assert summary["value"] == "Printer on fire"
    assert desk.c1.sd.get_customer_request_status(key)
    assert key in [r["issueKey"] for r in desk.c1.sd.get_my_customer_requests()]

    # The other customer does not see it; the agent does.
    with pytest.raises(requests.HTTPError) as err:
        desk.c2.sd.get_customer_request(key)
    assert status_code(err) == 404
    assert desk.agent.sd.get_customer_request(key)["issueKey"] == key


def test_raise_on_behalf_and_participants(desk: Desk):
    rt = request_type_id(desk.agent.sd, desk.id, "Get IT help")
    created = desk.agent.sd.create_customer_request(
        desk.id,
        rt,
        {"summary": "for a customer"},
        raise_on_behalf_of=desk.c1.name,
        request_participants=[desk.c2.name],
    )
    key = created["issueKey"]
    assert created["reporter"]["name"] == desk.c1.name
    names = [p["name"] for p in desk.c1.sd.get_request_participants(key)]
    assert names == [desk.c2.name]
    # A participant sees the request.
    assert desk.c2.sd.get_customer_request(key)["issueKey"] == key

    desk.agent.sd.remove_request_participants(key, users_list=[desk.c2.name])
    assert desk.c1.sd.get_request_participants(key) == []
    added = desk.c1.sd.add_request_participants(key, users_list=[desk.c2.name])
    assert [p["name"] for p in added["values"]] == [desk.c2.name]


def test_comments_public_and_internal(desk: Desk):
    key = raise_request(desk, desk.c1, "comments")["issueKey"]
    public = desk.c1.sd.create_request_comment(key, "It smokes", public=True)
    assert public["body"] == "It smokes"
    assert public["public"] is True
    internal = desk.agent.sd.create_request_comment(key, "Call the fire brigade", public=False)
    assert internal["public"] is False

    agent_sees = [c["body"] for c in desk.agent.sd.get_request_comments(key)]
    assert agent_sees == ["It smokes", "Call the fire brigade"]
    customer_sees = [c["body"] for c in desk.c1.sd.get_request_comments(key)]
    assert customer_sees == ["It smokes"]
    only_internal = desk.agent.sd.get_request_comments(key, public=False, internal=True)
    assert [c["body"] for c in only_internal] == ["Call the fire brigade"]
    one = desk.c1.sd.get_request_comment_by_id(key, public["id"])
    assert one["body"] == "It smokes"
    with pytest.raises(requests.HTTPError) as err:
        desk.c1.sd.get_request_comment_by_id(key, internal["id"])
    assert status_code(err) == 404
    # A customer cannot write internal comments.
    with pytest.raises(requests.HTTPError):
        desk.c1.sd.create_request_comment(key, "sneaky", public=False)


def test_transitions(desk: Desk):
    key = raise_request(desk, desk.c1, "transitions")["issueKey"]
    transitions = desk.agent.sd.get_customer_transitions(key)
    values = transitions["values"] if isinstance(transitions, dict) else transitions
    assert values, transitions
    before = desk.agent.sd.get_customer_request_status(key)
    target = values[0]
    desk.agent.sd.perform_transition(key, target["id"], comment="moving on")
    after = desk.agent.sd.get_customer_request_status(key)
    assert after != before
    bodies = [c["body"] for c in desk.c1.sd.get_request_comments(key)]
    assert "moving on" in bodies
    # An unknown transition is refused.
    with pytest.raises(requests.HTTPError) as err:
        desk.agent.sd.perform_transition(key, "999999")
    assert status_code(err) == 400


def test_approvals(desk: Desk):
    created = raise_request(
        desk, desk.c1, "a new laptop", "Request new hardware", approvers=[desk.c2.name]
    )
    key = created["issueKey"]
    approvals = desk.c2.sd.get_approvals(key)
    assert len(approvals) == 1
    approval = approvals[0]
    assert approval["finalDecision"] == "pending"
    assert approval["approvers"][0]["approver"]["name"] == desk.c2.name
    assert desk.c2.sd.get_approval_by_id(key, approval["id"])["id"] == approval["id"]
    # Only an approver decides.
    with pytest.raises(requests.HTTPError):
        desk.c1.sd.answer_approval(key, approval["id"], "approve")
    decided = desk.c2.sd.answer_approval(key, approval["id"], "approve")
    assert decided["finalDecision"] == "approved"
    assert decided["approvers"][0]["approverDecision"] == "approved"


def test_sla(desk: Desk):
    key = raise_request(desk, desk.c1, "slow printer")["issueKey"]
    slas = desk.agent.sd.get_sla(key)
    names = [s["name"] for s in slas]
    assert "Time to resolution" in names, slas
    one = slas[0]
    assert desk.agent.sd.get_sla_by_id(key, one["id"])["name"] == one["name"]
    assert "ongoingCycle" in one or "completedCycles" in one


# --- organizations and customers ----------------------------------------------------------


def test_organizations(admin: ServiceDesk, desk: Desk):
    name = "Org " + rand_suffix()
    org = admin.create_organization(name)
    assert org["name"] == name
    org_id = org["id"]
    assert admin.get_organization(org_id)["name"] == name
    listed = admin.get_organisations(limit=100)
    assert org_id in [o["id"] for o in listed["values"]]

    admin.add_users_to_organization(org_id, users_list=[desk.c1.name, desk.c2.name])
    members = admin.get_users_in_organization(org_id)
    assert sorted(u["name"] for u in members["values"]) == sorted([desk.c1.name, desk.c2.name])
    admin.remove_users_from_organization(org_id, users_list=[desk.c2.name])
    members = admin.get_users_in_organization(org_id)
    assert [u["name"] for u in members["values"]] == [desk.c1.name]

    admin.add_organization(desk.id, org_id)
    on_desk = admin.get_organisations(desk.id)
    assert [o["id"] for o in on_desk["values"]] == [org_id]
    # A customer lists the organizations they are in.
    assert org_id in [o["id"] for o in desk.c1.sd.get_organisations()["values"]]
    admin.remove_organization(desk.id, org_id)
    assert admin.get_organisations(desk.id)["values"] == []
    admin.delete_organization(org_id)
    with pytest.raises(requests.HTTPError) as err:
        admin.get_organization(org_id)
    assert status_code(err) == 404


def test_customers(admin: ServiceDesk, desk: Desk):
    email = f"cust-{rand_suffix()}@example.com"
    made = admin.create_customer("Casey Customer", email)
    assert made["emailAddress"] == email
    assert made["displayName"] == "Casey Customer"

    admin.add_customers(desk.id, list_of_accountids=[made["accountId"]])
    customers = admin.get_customers(desk.id)
    emails = [c["emailAddress"] for c in customers["values"]]
    assert email in emails
    found = admin.get_customers(desk.id, query="Casey")
    assert [c["emailAddress"] for c in found["values"]] == [email]
    admin.remove_customers(desk.id, list_of_accountids=[made["accountId"]])
    assert email not in [c["emailAddress"] for c in admin.get_customers(desk.id)["values"]]


# --- queues and attachments -----------------------------------------------------------------


def test_queues_and_their_issues(desk: Desk):
    key = raise_request(desk, desk.c1, "queued")["issueKey"]
    queues = desk.agent.sd.get_queues(desk.id, include_count=True)
    assert queues["values"], queues
    everything = next(q for q in queues["values"] if q["name"] == "All open")
    assert everything["issueCount"] >= 1
    issues = desk.agent.sd.get_issues_in_queue(desk.id, everything["id"])
    assert key in [i["key"] for i in issues["values"]]
    # Queues are for agents.
    with pytest.raises(requests.HTTPError):
        desk.c1.sd.get_queues(desk.id)


def test_attach_temporary_file_then_add_it(desk: Desk, tmp_path):
    key = raise_request(desk, desk.c1, "with a screenshot")["issueKey"]
    path = tmp_path / "screen.txt"
    path.write_bytes(b"pixels")
    temp_id = desk.c1.sd.attach_temporary_file(desk.id, str(path))
    assert isinstance(temp_id, str) and temp_id
    added = desk.c1.sd.add_attachment(key, temp_id, comment="see the file")
    names = [a["filename"] for a in added["attachments"]["values"]]
    assert names == ["screen.txt"]
    bodies = [c["body"] for c in desk.c1.sd.get_request_comments(key)]
    assert any("see the file" in b for b in bodies)
    listed = desk.agent.sd.get(f"rest/servicedeskapi/request/{key}/attachment")
    assert [a["filename"] for a in listed["values"]] == ["screen.txt"]


def test_request_shared_with_an_organization(admin: ServiceDesk, jira: Jira, desk: Desk):
    org = admin.create_organization("Shared " + rand_suffix())
    admin.add_organization(desk.id, org["id"])
    admin.add_users_to_organization(org["id"], users_list=[desk.c1.name, desk.c2.name])
    created = raise_request(desk, desk.c1, "shared printer", organizations=[int(org["id"])])
    key = created["issueKey"]
    shared = next(f for f in created["requestFieldValues"] if f["fieldId"] == "organizations")
    assert [o["id"] for o in shared["value"]] == [org["id"]]
    # The other member sees it in JSM and in Jira's search.
    assert desk.c2.sd.get_customer_request(key)["issueKey"] == key
    c2_jira = Jira(url=jira.url, session=desk.c2.sd.session, timeout=30)
    found = c2_jira.jql(f"project = {desk.key}", fields=["summary"])
    assert [i["key"] for i in found["issues"]] == [key]


def test_comment_attachments_and_content(desk: Desk, tmp_path):
    key = raise_request(desk, desk.c1, "files")["issueKey"]
    path = tmp_path / "log.txt"
    path.write_bytes(b"line 1\n")
    temp_id = desk.c1.sd.attach_temporary_file(desk.id, str(path))
    added = desk.c1.sd.add_attachment(key, temp_id, comment="the log")
    comment_id = added["comment"]["id"]
    listed = desk.agent.sd.get(f"rest/servicedeskapi/request/{key}/comment/{comment_id}/attachment")
    assert [a["filename"] for a in listed["values"]] == ["log.txt"]
    attachment_id = listed["values"][0]["_links"]["jiraRest"].rsplit("/", 1)[1]
    content = desk.c1.sd.get(
        f"rest/servicedeskapi/request/{key}/attachment/{attachment_id}", not_json_response=True
    )
    assert content == b"line 1\n"
