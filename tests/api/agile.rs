//! The agile API's boards and sprints: the board a software project gets, boards over
//! filters, configuration, sprint lifecycle (future → active → closed, with unfinished
//! issues moving on), sprint membership and listings, properties, permissions and errors.

use serde_json::json;

use crate::common::*;

pub const AGILE: &str = "/rest/agile/1.0";

/// The board made for a project (found through `projectKeyOrId`).
pub async fn project_board(admin: &Client, key: &str) -> i64 {
    let r = admin
        .get(&format!("{AGILE}/board?projectKeyOrId={key}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1, "{}", r.text);
    r.body["values"][0]["id"].as_i64().expect("board id")
}

pub async fn sprint(admin: &Client, board: i64, name: &str) -> i64 {
    admin
        .post(
            &format!("{AGILE}/sprint"),
            json!({"name": name, "originBoardId": board, "goal": "ship"}),
        )
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .expect("sprint id")
}

pub fn keys(r: &Reply) -> Vec<String> {
    r.body["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["key"].as_str().expect("key").to_string())
        .collect()
}

pub async fn search_keys(jql: &str) -> Vec<String> {
    let r = Client::admin()
        .post(
            "/rest/api/2/search",
            json!({"jql": jql, "maxResults": 100, "fields": ["summary"]}),
        )
        .await
        .expect(200);
    keys(&r)
}

#[tokio::test]
async fn a_software_project_gets_a_scrum_board_over_its_issues() {
    let admin = Client::admin();
    let key = project("AGB").await;
    let board = project_board(&admin, &key).await;
    let b = admin
        .get(&format!("{AGILE}/board/{board}"))
        .await
        .expect(200);
    assert_eq!(b.body["type"], "scrum");
    assert_eq!(b.body["location"]["projectKey"], key.as_str());
    assert!(
        b.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{AGILE}/board/{board}"))
    );
    // Asking again makes no second board.
    assert_eq!(project_board(&admin, &key).await, board);

    let c = admin
        .get(&format!("{AGILE}/board/{board}/configuration"))
        .await
        .expect(200);
    let columns: Vec<&str> = c.body["columnConfig"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["To Do", "In Progress", "Done"]);
    assert!(
        !c.body["columnConfig"]["columns"][0]["statuses"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(c.body["estimation"]["field"]["displayName"], "Story Points");
    assert!(c.body["ranking"]["rankCustomFieldId"].as_i64().is_some());
    assert!(c.body["filter"]["id"].as_str().is_some());

    let a = issue(&key, "first").await;
    let b2 = issue(&key, "second").await;
    let r = admin
        .get(&format!("{AGILE}/board/{board}/issue"))
        .await
        .expect(200);
    assert_eq!(
        keys(&r),
        [a.clone(), b2.clone()],
        "ranked in creation order"
    );
    assert_eq!(r.body["total"], 2);
    let r = admin
        .get(&format!(
            "{AGILE}/board/{board}/issue?jql=summary~second&fields=summary"
        ))
        .await
        .expect(200);
    assert_eq!(keys(&r), [b2]);
    let p = admin
        .get(&format!("{AGILE}/board/{board}/project"))
        .await
        .expect(200);
    assert_eq!(p.body["values"][0]["key"], key.as_str());
    admin
        .post("/rest/api/2/version", json!({"project": key, "name": "v1"}))
        .await
        .expect(201);
    let v = admin
        .get(&format!("{AGILE}/board/{board}/version"))
        .await
        .expect(200);
    assert_eq!(v.body["values"][0]["name"], "v1");
    assert_eq!(v.body["isLast"], true);
}

#[tokio::test]
async fn boards_over_filters_list_page_and_delete() {
    let admin = Client::admin();
    let key = project("AGF").await;
    let f = admin
        .post(
            "/rest/api/2/filter",
            json!({"name": format!("agile {key}"), "jql": format!("project = {key} ORDER BY Rank")}),
        )
        .await
        .expect(200);
    let filter = f.body["id"].as_str().unwrap().to_string();
    let name = format!("Kanban {key}");
    let r = admin
        .post(
            &format!("{AGILE}/board"),
            json!({"name": name, "type": "kanban", "filterId": filter, "location": {"type": "project", "projectKeyOrId": key}}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["type"], "kanban");
    let list = admin
        .get(&format!(
            "{AGILE}/board?type=kanban&name={name}&maxResults=1"
        ))
        .await
        .expect(200);
    assert_eq!(list.body["values"][0]["id"], id);
    assert_eq!(list.body["maxResults"], 1);
    assert_eq!(list.body["isLast"], true);
    let both = admin
        .get(&format!("{AGILE}/board?projectKeyOrId={key}&maxResults=1"))
        .await
        .expect(200);
    assert_eq!(both.body["total"], 2);
    assert_eq!(both.body["isLast"], false);
    // Kanban boards have no sprints.
    let e = admin
        .get(&format!("{AGILE}/board/{id}/sprint"))
        .await
        .expect(400);
    assert!(
        e.jira_error().contains("does not support sprints"),
        "{}",
        e.text
    );

    // Errors: missing fields, bad type, unknown filter, bad list type.
    let e = admin
        .post(&format!("{AGILE}/board"), json!({"type": "scrum"}))
        .await
        .expect(400);
    let msg = e.jira_error();
    assert!(msg.contains("name") && msg.contains("filterId"), "{msg}");
    admin
        .post(
            &format!("{AGILE}/board"),
            json!({"name": "x", "type": "waterfall", "filterId": filter}),
        )
        .await
        .expect(400);
    admin
        .post(
            &format!("{AGILE}/board"),
            json!({"name": "x", "type": "scrum", "filterId": 99999999}),
        )
        .await
        .expect(400);
    admin
        .get(&format!("{AGILE}/board?type=waterfall"))
        .await
        .expect(400);
    admin
        .get(&format!("{AGILE}/board?projectKeyOrId=NOPE{key}"))
        .await
        .expect(400);

    // A member may see the board but not delete it.
    let (u, pw) = user("agfm").await;
    let member = Client::basic(&u, &pw);
    member.get(&format!("{AGILE}/board/{id}")).await.expect(200);
    let e = member
        .delete(&format!("{AGILE}/board/{id}"))
        .await
        .expect(403);
    e.jira_error();
    admin
        .delete(&format!("{AGILE}/board/{id}"))
        .await
        .expect(204);
    let e = admin.get(&format!("{AGILE}/board/{id}")).await.expect(404);
    assert!(e.jira_error().contains("board"), "{}", e.text);
    admin.get(&format!("{AGILE}/board/abc")).await.expect(404);
    Client::anonymous()
        .get(&format!("{AGILE}/board"))
        .await
        .expect(401);
}

#[tokio::test]
async fn a_private_board_is_hidden_from_others() {
    let admin = Client::admin();
    let f = admin
        .post(
            "/rest/api/2/filter",
            json!({"name": format!("private {}", unique_key("P")), "jql": "order by created"}),
        )
        .await
        .expect(200);
    let r = admin
        .post(
            &format!("{AGILE}/board"),
            json!({"name": "mine", "type": "scrum", "filterId": f.body["id"]}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_i64().unwrap();
    let (u, pw) = user("agpv").await;
    let other = Client::basic(&u, &pw);
    other.get(&format!("{AGILE}/board/{id}")).await.expect(404);
    let list = other
        .get(&format!("{AGILE}/board?maxResults=1000"))
        .await
        .expect(200);
    assert!(
        !list.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["id"] == id),
        "{}",
        list.text
    );
    other
        .post(
            &format!("{AGILE}/sprint"),
            json!({"name": "s", "originBoardId": id}),
        )
        .await
        .expect(404);
}

#[tokio::test]
async fn sprints_run_future_active_closed_and_unfinished_issues_move_on() {
    let admin = Client::admin();
    let key = project("AGS").await;
    let board = project_board(&admin, &key).await;
    let s1 = sprint(&admin, board, "Sprint 1").await;
    let s2 = sprint(&admin, board, "Sprint 2").await;
    let got = admin.get(&format!("{AGILE}/sprint/{s1}")).await.expect(200);
    assert_eq!(got.body["state"], "future");
    assert_eq!(got.body["originBoardId"], board);
    assert_eq!(got.body["goal"], "ship");

    let done = issue(&key, "will be done").await;
    let open = issue(&key, "stays open").await;
    let backlog = issue(&key, "never planned").await;
    admin
        .post(
            &format!("{AGILE}/sprint/{s1}/issue"),
            json!({"issues": [done, open]}),
        )
        .await
        .expect(204);
    let r = admin
        .get(&format!("{AGILE}/sprint/{s1}/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&r), [done.clone(), open.clone()]);
    let r = admin
        .get(&format!("{AGILE}/board/{board}/sprint/{s1}/issue"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 2);
    let r = admin
        .get(&format!("{AGILE}/board/{board}/backlog"))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![backlog.clone()]);
    assert_eq!(
        search_keys(&format!("sprint = {s1} ORDER BY key")).await,
        [done.clone(), open.clone()]
    );
    assert_eq!(
        search_keys(&format!("project = {key} AND sprint in openSprints()"))
            .await
            .len(),
        2
    );
    assert!(
        search_keys(&format!("project = {key} AND sprint in closedSprints()"))
            .await
            .is_empty()
    );
    assert_eq!(
        search_keys(&format!("project = {key} AND sprint = \"Sprint 1\""))
            .await
            .len(),
        2
    );
    // The move is in the issue's history, as Jira records it.
    let h = admin
        .get(&format!("/rest/api/2/issue/{open}?expand=changelog"))
        .await
        .expect(200);
    let item = &h.body["changelog"]["histories"][0]["items"][0];
    assert_eq!(item["field"], "Sprint", "{}", h.text);
    assert_eq!(item["toString"], "Sprint 1");
    assert_eq!(item["to"], s1.to_string());
    // The Sprint field on the issue names the sprint.
    let cf = field_id("Sprint").await;
    let i = admin
        .get(&format!("/rest/api/2/issue/{open}?fields={cf}"))
        .await
        .expect(200);
    assert_eq!(i.body["fields"][&cf][0]["id"], s1);
    assert_eq!(i.body["fields"][&cf][0]["state"], "future");

    // Starting needs dates; a future sprint cannot close.
    let e = admin
        .post(&format!("{AGILE}/sprint/{s1}"), json!({"state": "active"}))
        .await
        .expect(400);
    assert!(e.jira_error().contains("startDate"), "{}", e.text);
    let e = admin
        .post(&format!("{AGILE}/sprint/{s1}"), json!({"state": "closed"}))
        .await
        .expect(400);
    e.jira_error();
    let e = admin
        .post(
            &format!("{AGILE}/sprint/{s1}"),
            json!({"state": "sleeping"}),
        )
        .await
        .expect(400);
    e.jira_error();
    let started = admin
        .post(
            &format!("{AGILE}/sprint/{s1}"),
            json!({"state": "active", "startDate": "2026-01-05T09:00:00.000+0000", "endDate": "2026-01-19T09:00:00.000+0000"}),
        )
        .await
        .expect(200);
    assert_eq!(started.body["state"], "active");
    assert_eq!(
        started.body["goal"], "ship",
        "a partial update keeps the goal"
    );
    assert!(
        started.body["startDate"]
            .as_str()
            .unwrap()
            .starts_with("2026-01-05")
    );
    let active = admin
        .get(&format!("{AGILE}/board/{board}/sprint?state=active"))
        .await
        .expect(200);
    assert_eq!(active.body["values"].as_array().unwrap().len(), 1);
    assert_eq!(active.body["values"][0]["id"], s1);
    let both = admin
        .get(&format!("{AGILE}/board/{board}/sprint?state=future,active"))
        .await
        .expect(200);
    assert_eq!(both.body["total"], 2);
    admin
        .get(&format!("{AGILE}/board/{board}/sprint?state=later"))
        .await
        .expect(400);

    // Finish one issue, then complete the sprint: the open one moves to Sprint 2.
    let t = admin
        .get(&format!("/rest/api/2/issue/{done}/transitions"))
        .await
        .expect(200);
    let to_done = t.body["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["to"]["statusCategory"]["key"] == "done")
        .expect("a transition to done")["id"]
        .clone();
    admin
        .post(
            &format!("/rest/api/2/issue/{done}/transitions"),
            json!({"transition": {"id": to_done}}),
        )
        .await
        .expect(204);
    let closed = admin
        .post(&format!("{AGILE}/sprint/{s1}"), json!({"state": "closed"}))
        .await
        .expect(200);
    assert_eq!(closed.body["state"], "closed");
    assert!(closed.body["completeDate"].is_string());
    let r = admin
        .get(&format!("{AGILE}/sprint/{s2}/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&r), vec![open.clone()]);
    let r = admin
        .get(&format!("{AGILE}/sprint/{s1}/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&r).len(), 2, "the closed sprint keeps its history");
    assert_eq!(
        search_keys(&format!(
            "project = {key} AND sprint in closedSprints() ORDER BY key"
        ))
        .await,
        [done.clone(), open.clone()]
    );
    // A closed sprint cannot be changed or receive issues.
    let e = admin
        .put(&format!("{AGILE}/sprint/{s1}"), json!({"name": "again"}))
        .await
        .expect(400);
    assert!(e.jira_error().contains("closed"), "{}", e.text);
    admin
        .post(
            &format!("{AGILE}/sprint/{s1}/issue"),
            json!({"issues": [backlog]}),
        )
        .await
        .expect(400);
}

#[tokio::test]
async fn sprint_update_delete_swap_backlog_and_errors() {
    let admin = Client::admin();
    let key = project("AGU").await;
    let board = project_board(&admin, &key).await;
    let s1 = sprint(&admin, board, "One").await;
    let s2 = sprint(&admin, board, "Two").await;
    // A full update replaces everything: the goal goes when not given.
    let r = admin
        .put(&format!("{AGILE}/sprint/{s1}"), json!({"name": "Uno"}))
        .await
        .expect(200);
    assert_eq!(r.body["name"], "Uno");
    assert_eq!(r.body["goal"], "");
    // The name stays when a PUT does not give it (clients PUT only what they change).
    let r = admin
        .put(&format!("{AGILE}/sprint/{s1}"), json!({"goal": "no name"}))
        .await
        .expect(200);
    assert_eq!(r.body["name"], "Uno");
    assert_eq!(r.body["goal"], "no name");
    admin
        .post(&format!("{AGILE}/sprint/{s1}"), json!({"name": "  "}))
        .await
        .expect(400);
    admin
        .post(
            &format!("{AGILE}/sprint/{s1}"),
            json!({"completeDate": "2026-01-01T00:00:00.000+0000"}),
        )
        .await
        .expect(400);
    admin
        .post(
            &format!("{AGILE}/sprint/{s1}"),
            json!({"startDate": "soon"}),
        )
        .await
        .expect(400);
    admin
        .post(&format!("{AGILE}/sprint/{s1}"), json!({"startDate": "2026-02-01T00:00:00.000+0000", "endDate": "2026-01-01T00:00:00.000+0000"}))
        .await
        .expect(400);

    // Swap reorders the board's sprints.
    let order = |r: &Reply| -> Vec<i64> {
        r.body["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    };
    let before = admin
        .get(&format!("{AGILE}/board/{board}/sprint"))
        .await
        .expect(200);
    assert_eq!(order(&before), [s1, s2]);
    admin
        .post(
            &format!("{AGILE}/sprint/{s1}/swap"),
            json!({"sprintToSwapWith": s2}),
        )
        .await
        .expect(204);
    let after = admin
        .get(&format!("{AGILE}/board/{board}/sprint"))
        .await
        .expect(200);
    assert_eq!(order(&after), [s2, s1]);
    admin
        .post(&format!("{AGILE}/sprint/{s1}/swap"), json!({}))
        .await
        .expect(400);

    // Moving to another sprint leaves the first; the backlog takes issues out.
    let a = issue(&key, "a").await;
    admin
        .post(
            &format!("{AGILE}/sprint/{s1}/issue"),
            json!({"issues": [a]}),
        )
        .await
        .expect(204);
    admin
        .post(
            &format!("{AGILE}/sprint/{s2}/issue"),
            json!({"issues": [a]}),
        )
        .await
        .expect(204);
    assert!(
        keys(
            &admin
                .get(&format!("{AGILE}/sprint/{s1}/issue"))
                .await
                .expect(200)
        )
        .is_empty()
    );
    admin
        .post(&format!("{AGILE}/backlog/issue"), json!({"issues": [a]}))
        .await
        .expect(204);
    assert!(
        keys(
            &admin
                .get(&format!("{AGILE}/sprint/{s2}/issue"))
                .await
                .expect(200)
        )
        .is_empty()
    );
    assert_eq!(
        keys(
            &admin
                .get(&format!("{AGILE}/board/{board}/backlog"))
                .await
                .expect(200)
        ),
        vec![a.clone()]
    );
    let e = admin
        .post(
            &format!("{AGILE}/backlog/issue"),
            json!({"issues": [format!("{key}-9999")]}),
        )
        .await
        .expect(400);
    assert!(e.jira_error().contains("does not exist"), "{}", e.text);
    let e = admin
        .post(
            &format!("{AGILE}/sprint/{s1}/issue"),
            json!({"issues": ["NOPE-1"]}),
        )
        .await
        .expect(400);
    e.jira_error();

    // Deleting a sprint returns its issues to the backlog.
    admin
        .post(
            &format!("{AGILE}/sprint/{s2}/issue"),
            json!({"issues": [a]}),
        )
        .await
        .expect(204);
    admin
        .delete(&format!("{AGILE}/sprint/{s2}"))
        .await
        .expect(204);
    admin.get(&format!("{AGILE}/sprint/{s2}")).await.expect(404);
    assert!(
        search_keys(&format!("project = {key} AND sprint IS NOT EMPTY"))
            .await
            .is_empty()
    );
    admin
        .delete(&format!("{AGILE}/sprint/{s2}"))
        .await
        .expect(404);

    // Creation errors.
    admin
        .post(&format!("{AGILE}/sprint"), json!({"originBoardId": board}))
        .await
        .expect(400);
    admin
        .post(&format!("{AGILE}/sprint"), json!({"name": "x"}))
        .await
        .expect(400);
    admin
        .post(
            &format!("{AGILE}/sprint"),
            json!({"name": "x", "originBoardId": 99999999}),
        )
        .await
        .expect(404);
    admin
        .get(&format!("{AGILE}/sprint/99999999"))
        .await
        .expect(404);
}

#[tokio::test]
async fn sprint_writes_need_manage_sprints_and_hidden_issues_stay_hidden() {
    let admin = Client::admin();
    let key = project("AGP").await;
    let board = project_board(&admin, &key).await;
    let s = sprint(&admin, board, "Guarded").await;
    let (u, pw) = user("agpm").await;
    let member = Client::basic(&u, &pw);
    // A member sees the sprint, may plan issues into it, but not manage it.
    member.get(&format!("{AGILE}/sprint/{s}")).await.expect(200);
    let e = member
        .post(
            &format!("{AGILE}/sprint"),
            json!({"name": "mine", "originBoardId": board}),
        )
        .await
        .expect(403);
    assert!(e.jira_error().contains("Manage Sprints"), "{}", e.text);
    member
        .post(&format!("{AGILE}/sprint/{s}"), json!({"name": "x"}))
        .await
        .expect(403);
    member
        .delete(&format!("{AGILE}/sprint/{s}"))
        .await
        .expect(403);
    let i = issue(&key, "planned by a member").await;
    member
        .post(&format!("{AGILE}/sprint/{s}/issue"), json!({"issues": [i]}))
        .await
        .expect(204);
    // Granting Manage Sprints to the member's group lets them.
    let scheme = admin
        .post("/rest/api/2/permissionscheme", json!({"name": format!("agile {key}"), "permissions": [
            {"holder": {"type": "group", "parameter": "jira-users"}, "permission": "BROWSE_PROJECTS"},
            {"holder": {"type": "group", "parameter": "jira-users"}, "permission": "MANAGE_SPRINTS_PERMISSION"}]}))
        .await
        .expect(201);
    admin
        .put(
            &format!("/rest/api/2/project/{key}/permissionscheme"),
            json!({"id": scheme.body["id"]}),
        )
        .await
        .expect(200);
    member
        .post(&format!("{AGILE}/sprint/{s}"), json!({"goal": "now mine"}))
        .await
        .expect(200);

    // An issue behind a security level the member is outside of never appears.
    admin
        .put(
            &format!("/rest/api/2/project/{key}/permissionscheme"),
            json!({"id": 0}),
        )
        .await
        .expect(200);
    let r = admin
        .post(
            "/rest/api/2/issuesecurityschemes",
            json!({"name": format!("Sec {key}"), "levels": [{"name": "Secret", "members": [{"type": "group", "parameter": "jira-administrators"}]}]}),
        )
        .await
        .expect(201);
    admin
        .put("/rest/api/2/issuesecurityschemes/project", json!({"projectId": key, "schemeId": r.body["id"].as_str().unwrap().parse::<i64>().unwrap()}))
        .await
        .expect(204);
    let secret = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "secret", "issuetype": {"name": "Task"}, "security": {"name": "Secret"}}}))
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .post(
            &format!("{AGILE}/sprint/{s}/issue"),
            json!({"issues": [secret]}),
        )
        .await
        .expect(204);
    assert_eq!(
        keys(
            &admin
                .get(&format!("{AGILE}/sprint/{s}/issue"))
                .await
                .expect(200)
        )
        .len(),
        2
    );
    let seen = member
        .get(&format!("{AGILE}/sprint/{s}/issue"))
        .await
        .expect(200);
    assert_eq!(keys(&seen), vec![i.clone()]);
    assert_eq!(seen.body["total"], 1);
    let e = member
        .post(
            &format!("{AGILE}/backlog/issue"),
            json!({"issues": [secret]}),
        )
        .await
        .expect(400);
    assert!(e.jira_error().contains("does not exist"), "{}", e.text);
    member
        .get(&format!("{AGILE}/issue/{secret}"))
        .await
        .expect(404);
}

/// The `customfield_N` id of a field by name.
pub async fn field_id(name: &str) -> String {
    let r = Client::admin().get("/rest/api/2/field").await.expect(200);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}
