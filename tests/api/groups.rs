//! Groups: get with member pages, delete with and without `swapGroup`, members paged,
//! the pickers, membership followed by JQL `membersOf()` at once, and the audit log.

use serde_json::{Value, json};
use tessera::domain::audit::AuditQuery;

use crate::common::{ADMIN_PASSWORD, Client, issue, project, server, unique_key, user};

fn admin() -> Client {
    Client::admin()
}

async fn group(prefix: &str) -> String {
    let name = format!("{}-{}", prefix, unique_key("G").to_lowercase());
    admin()
        .post("/rest/api/2/group", json!({"name": name}))
        .await
        .expect(201);
    name
}

async fn add(group: &str, user: &str) {
    admin()
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": user}),
        )
        .await
        .expect(201);
}

/// Audit summaries recorded about `object` (a user or group name).
pub async fn audit_summaries(object: &str) -> Vec<String> {
    let app = &server().app;
    let (_, caller) = app
        .auth
        .login("admin", ADMIN_PASSWORD)
        .await
        .expect("login");
    let (records, _) = app
        .audit
        .records(
            &caller,
            AuditQuery {
                text: None,
                from: None,
                to: None,
                offset: 0,
                limit: 10_000,
            },
        )
        .await
        .expect("records");
    records
        .into_iter()
        .filter(|r| {
            r.entry.object.name == object
                || r.entry.associated_items.iter().any(|a| a.name == object)
        })
        .map(|r| r.entry.summary)
        .collect()
}

fn names(page: &Value) -> Vec<String> {
    page["values"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| u["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn get_group_pages_its_members_with_expand() {
    let g = group("get").await;
    let mut members = Vec::new();
    for _ in 0..3 {
        let (u, _) = user("gm").await;
        add(&g, &u).await;
        members.push(u);
    }
    members.sort();
    let r = admin()
        .get(&format!("/rest/api/2/group?groupname={g}"))
        .await
        .expect(200);
    assert_eq!(r.body["name"], json!(g));
    assert_eq!(r.body["users"]["size"], json!(3));
    assert_eq!(r.body["users"]["items"], json!([]), "{}", r.text);

    let r = admin()
        .get(&format!("/rest/api/2/group?groupname={g}&expand=users"))
        .await
        .expect(200);
    assert_eq!(r.body["users"]["items"].as_array().map(Vec::len), Some(3));
    let r = admin()
        .get(&format!(
            "/rest/api/2/group?groupname={g}&expand=users[1:1]"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["users"]["items"][0]["name"], json!(members[1]));
    assert_eq!(r.body["users"]["start-index"], json!(1));
    assert_eq!(r.body["users"]["end-index"], json!(1));

    admin()
        .get("/rest/api/2/group?groupname=no-such-group-x")
        .await
        .expect(404)
        .jira_error();
    admin()
        .get("/rest/api/2/group")
        .await
        .expect(400)
        .jira_error();
    admin()
        .get(&format!(
            "/rest/api/2/group?groupname={g}&expand=users[5:1]"
        ))
        .await
        .expect(400)
        .jira_error();
    let (plain, pw) = user("gplain").await;
    Client::basic(&plain, &pw)
        .get(&format!("/rest/api/2/group?groupname={g}"))
        .await
        .expect(403)
        .jira_error();
    Client::anonymous()
        .get(&format!("/rest/api/2/group?groupname={g}"))
        .await
        .expect(401);
}

#[tokio::test]
async fn group_members_are_paged_by_username_and_hide_inactive_users() {
    let g = group("mem").await;
    let mut members = Vec::new();
    for _ in 0..5 {
        let (u, _) = user("pm").await;
        add(&g, &u).await;
        members.push(u);
    }
    members.sort();
    let r = admin()
        .get(&format!(
            "/rest/api/2/group/member?groupname={g}&startAt=2&maxResults=2"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(5));
    assert_eq!(r.body["startAt"], json!(2));
    assert_eq!(r.body["maxResults"], json!(2));
    assert_eq!(r.body["isLast"], json!(false));
    assert!(r.body["nextPage"].as_str().unwrap().contains("startAt=4"));
    assert_eq!(names(&r.body), members[2..4].to_vec());

    // Deactivate one: gone unless includeInactiveUsers.
    admin()
        .put(
            &format!("/rest/api/2/user?username={}", members[0]),
            json!({"active": false}),
        )
        .await
        .expect(200);
    let r = admin()
        .get(&format!("/rest/api/2/group/member?groupname={g}"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(4));
    assert!(!names(&r.body).contains(&members[0]));
    assert_eq!(r.body["isLast"], json!(true));
    let r = admin()
        .get(&format!(
            "/rest/api/2/group/member?groupname={g}&includeInactiveUsers=true"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(5));

    // maxResults is capped at 50.
    let r = admin()
        .get(&format!(
            "/rest/api/2/group/member?groupname={g}&maxResults=500"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["maxResults"], json!(50));
    admin()
        .get("/rest/api/2/group/member?groupname=nope-nope")
        .await
        .expect(404)
        .jira_error();
    admin()
        .get(&format!(
            "/rest/api/2/group/member?groupname={g}&startAt=-1"
        ))
        .await
        .expect(400)
        .jira_error();
    let (plain, pw) = user("mplain").await;
    Client::basic(&plain, &pw)
        .get(&format!("/rest/api/2/group/member?groupname={g}"))
        .await
        .expect(403)
        .jira_error();
}

#[tokio::test]
async fn removing_a_member_answers_200_and_is_audited() {
    let g = group("rm").await;
    let (u, _) = user("rmu").await;
    add(&g, &u).await;
    let r = admin()
        .delete(&format!(
            "/rest/api/2/group/user?groupname={g}&username={u}"
        ))
        .await
        .expect(200);
    assert!(r.text.is_empty(), "{}", r.text);
    let summaries = audit_summaries(&g).await;
    for s in [
        "Group created",
        "User added to group",
        "User removed from group",
    ] {
        assert!(
            summaries.iter().any(|x| x == s),
            "{s} missing: {summaries:?}"
        );
    }
}

#[tokio::test]
async fn members_of_follows_membership_at_once() {
    let key = project("MOF").await;
    let g = group("mof").await;
    let (u, _) = user("mofu").await;
    let k = issue(&key, "assigned to a member").await;
    admin()
        .put(
            &format!("/rest/api/2/issue/{k}/assignee"),
            json!({"name": u}),
        )
        .await
        .expect(204);
    let jql = format!("project = {key} AND assignee in membersOf(\"{g}\")");
    let found = |r: &Value| -> Vec<String> {
        r["issues"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["key"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let search = |jql: String| async move {
        admin()
            .post("/rest/api/2/search", json!({"jql": jql}))
            .await
            .expect(200)
            .body
    };
    assert!(found(&search(jql.clone()).await).is_empty());
    add(&g, &u).await;
    assert_eq!(found(&search(jql.clone()).await), vec![k.clone()]);
    admin()
        .delete(&format!(
            "/rest/api/2/group/user?groupname={g}&username={u}"
        ))
        .await
        .expect(200);
    assert!(found(&search(jql).await).is_empty());
}

#[tokio::test]
async fn deleting_a_group_with_swap_moves_its_grants_and_restrictions() {
    let key = project("SWP").await;
    let old = group("old").await;
    let new = group("new").await;
    let (u, pw) = user("swpu").await;
    add(&old, &u).await;
    add(&new, &u).await;
    add(&old, "admin").await;
    add(&new, "admin").await;
    let k = issue(&key, "restricted").await;
    let c = admin()
        .post(
            &format!("/rest/api/2/issue/{k}/comment"),
            json!({"body": "for the group", "visibility": {"type": "group", "value": old}}),
        )
        .await
        .expect(201);
    let cid = c.body["id"].as_str().unwrap().to_string();

    admin()
        .delete(&format!(
            "/rest/api/2/group?groupname={old}&swapGroup=no-such-grp"
        ))
        .await
        .expect(400)
        .jira_error();
    admin()
        .delete(&format!(
            "/rest/api/2/group?groupname={old}&swapGroup={old}"
        ))
        .await
        .expect(400)
        .jira_error();
    let (plain, ppw) = user("swplain").await;
    Client::basic(&plain, &ppw)
        .delete(&format!("/rest/api/2/group?groupname={old}"))
        .await
        .expect(403)
        .jira_error();

    admin()
        .delete(&format!(
            "/rest/api/2/group?groupname={old}&swapGroup={new}"
        ))
        .await
        .expect(200);
    admin()
        .get(&format!("/rest/api/2/group?groupname={old}"))
        .await
        .expect(404);
    let r = admin()
        .get(&format!("/rest/api/2/issue/{k}/comment/{cid}"))
        .await
        .expect(200);
    assert_eq!(r.body["visibility"]["value"], json!(new), "{}", r.text);
    // The member of the swap group still sees the comment.
    let r = Client::basic(&u, &pw)
        .get(&format!("/rest/api/2/issue/{k}/comment"))
        .await;
    if r.status == 200 {
        assert!(r.text.contains("for the group"), "{}", r.text);
    }
    assert!(
        audit_summaries(&old)
            .await
            .iter()
            .any(|s| s == "Group deleted")
    );
    admin()
        .delete(&format!("/rest/api/2/group?groupname={old}"))
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn deleting_a_group_without_swap_keeps_restricted_comments_hidden() {
    let key = project("NSW").await;
    let g = group("gone").await;
    add(&g, "admin").await;
    let k = issue(&key, "restricted").await;
    let c = admin()
        .post(
            &format!("/rest/api/2/issue/{k}/comment"),
            json!({"body": "secret words", "visibility": {"type": "group", "value": g}}),
        )
        .await
        .expect(201);
    let cid = c.body["id"].as_str().unwrap().to_string();
    admin()
        .delete(&format!("/rest/api/2/group?groupname={g}"))
        .await
        .expect(200);
    // Nobody is in the deleted group any more: the comment is hidden, not made public.
    admin()
        .get(&format!("/rest/api/2/issue/{k}/comment/{cid}"))
        .await
        .expect(404);
    let r = admin()
        .get(&format!("/rest/api/2/issue/{k}"))
        .await
        .expect(200);
    assert!(!r.text.contains("secret words"), "{}", r.text);
    admin()
        .delete("/rest/api/2/group?groupname=jira-administrators")
        .await
        .expect(400)
        .jira_error();
}

#[tokio::test]
async fn group_pickers_match_exclude_and_highlight() {
    let tag = unique_key("pk").to_lowercase();
    for s in ["alpha", "beta", "gamma"] {
        admin()
            .post("/rest/api/2/group", json!({"name": format!("{tag}-{s}")}))
            .await
            .expect(201);
    }
    let (u, pw) = user("pku").await;
    let me = Client::basic(&u, &pw);
    let r = me
        .get(&format!(
            "/rest/api/2/groups/picker?query={tag}&exclude={tag}-beta"
        ))
        .await
        .expect(200);
    let got: Vec<&str> = r.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, vec![format!("{tag}-alpha"), format!("{tag}-gamma")]);
    assert_eq!(r.body["total"], json!(2));
    assert_eq!(
        r.body["groups"][0]["html"],
        json!(format!("<b>{tag}</b>-alpha"))
    );
    let r = me
        .get(&format!(
            "/rest/api/2/groups/picker?query={tag}&maxResults=1"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["groups"].as_array().map(Vec::len), Some(1));
    assert_eq!(r.body["header"], json!("Showing 1 of 3 matching groups"));
    // userName: only that user's groups.
    add(&format!("{tag}-beta"), &u).await;
    let r = me
        .get(&format!(
            "/rest/api/2/groups/picker?query={tag}&userName={u}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["total"], json!(1));
    Client::anonymous()
        .get("/rest/api/2/groups/picker?query=a")
        .await
        .expect(401);

    let r = me
        .get(&format!(
            "/rest/api/2/groupuserpicker?query={u}&showAvatar=true"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["users"]["users"][0]["name"], json!(u), "{}", r.text);
    assert!(r.body["users"]["users"][0]["avatarUrl"].is_string());
    assert!(r.body["groups"]["groups"].is_array());
    let r = me
        .get(&format!("/rest/api/2/groupuserpicker?query={tag}"))
        .await
        .expect(200);
    assert_eq!(r.body["groups"]["total"], json!(3));
    Client::anonymous()
        .get("/rest/api/2/groupuserpicker?query=a")
        .await
        .expect(401);
}
