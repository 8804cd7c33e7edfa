//! Issue links and link types, watchers and votes: the operations, their error paths,
//! the `issuelinks`/`watches`/`votes` fields, the changelog and the JQL fields.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, user};

const ISSUE: &str = "/rest/api/2/issue";

fn admin() -> Client {
    Client::admin()
}

async fn search_keys(c: &Client, jql: &str) -> Vec<String> {
    let r = c
        .post(
            "/rest/api/2/search",
            json!({"jql": jql, "maxResults": 100, "fields": ["summary"]}),
        )
        .await
        .expect(200);
    let mut keys: Vec<String> = r.body["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["key"].as_str().expect("key").to_string())
        .collect();
    keys.sort();
    keys
}

async fn fields(c: &Client, key: &str, which: &str) -> Value {
    c.get(&format!("{ISSUE}/{key}?fields={which}"))
        .await
        .expect(200)
        .body["fields"]
        .clone()
}

async fn link_items(key: &str) -> Vec<Value> {
    let r = admin()
        .get(&format!("{ISSUE}/{key}/changelog"))
        .await
        .expect(200);
    r.body["values"]
        .as_array()
        .expect("values")
        .iter()
        .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
        .filter(|i| i["field"] == "Link")
        .collect()
}

/// Takes `jira-users` out of the project's Members role and makes `user` a Viewer:
/// browse and comment, but no linking and no managing watchers.
async fn make_viewer(project: &str, user: &str) {
    admin()
        .delete(&format!(
            "/rest/api/2/project/{project}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    admin()
        .post(
            &format!("/rest/api/2/project/{project}/role/10004"),
            json!({"user": [user]}),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn link_types_crud_and_errors() {
    let name = format!("Depends{}", std::process::id());
    let r = admin()
        .post(
            "/rest/api/2/issueLinkType",
            json!({"name": name, "inward": "is needed by", "outward": "needs"}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().expect("id").to_string();
    assert_eq!(r.body["outward"], "needs");
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/issueLinkType/{id}"))
    );
    // The catalog is reloaded: the list and the single GET see it.
    let list = admin().get("/rest/api/2/issueLinkType").await.expect(200);
    assert!(
        list.body["issueLinkTypes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id.as_str())
    );
    // Duplicate names and empty descriptions are 400s.
    let r = admin()
        .post(
            "/rest/api/2/issueLinkType",
            json!({"name": name.to_lowercase(), "inward": "a", "outward": "b"}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("already exists"));
    let r = admin()
        .post(
            "/rest/api/2/issueLinkType",
            json!({"name": "NoDescriptions"}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("inward"));

    let r = admin()
        .put(
            &format!("/rest/api/2/issueLinkType/{id}"),
            json!({"outward": "requires"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["outward"], "requires");
    assert_eq!(r.body["inward"], "is needed by");
    let r = admin()
        .get(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(200);
    assert_eq!(r.body["outward"], "requires");
    admin()
        .put("/rest/api/2/issueLinkType/abc", json!({"name": "x"}))
        .await
        .expect(400);
    admin()
        .put("/rest/api/2/issueLinkType/999999", json!({"name": "x"}))
        .await
        .expect(404);

    // Only administrators change link types.
    let (u, pw) = user("ltyp").await;
    let them = Client::basic(&u, &pw);
    them.post(
        "/rest/api/2/issueLinkType",
        json!({"name": "Mine", "inward": "a", "outward": "b"}),
    )
    .await
    .expect(403);
    them.delete(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(403);
    Client::anonymous()
        .post(
            "/rest/api/2/issueLinkType",
            json!({"name": "Anon", "inward": "a", "outward": "b"}),
        )
        .await
        .expect(401);

    admin()
        .delete(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(404);
    admin()
        .delete(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn linking_issues_shows_links_on_both_sides_with_changelog() {
    let p = project("LNK").await;
    let a = issue(&p, "Blocker").await;
    let b = issue(&p, "Blocked").await;
    let before = fields(&admin(), &a, "updated").await["updated"].clone();
    // inwardIssue is the source: A blocks B.
    let r = admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b},
                   "comment": {"body": "Linked related issue!"}}),
        )
        .await
        .expect(201);
    assert!(r.text.is_empty(), "201 with an empty body: {}", r.text);
    let location = r.headers["location"].to_str().unwrap().to_string();
    let link_id = location.rsplit('/').next().unwrap().to_string();

    let fa = fields(&admin(), &a, "issuelinks,updated,comment").await;
    let links = fa["issuelinks"].as_array().expect("links");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["id"], link_id.as_str());
    assert_eq!(links[0]["type"]["name"], "Blocks");
    assert_eq!(links[0]["type"]["outward"], "blocks");
    assert_eq!(links[0]["outwardIssue"]["key"], b.as_str());
    assert_eq!(links[0]["outwardIssue"]["fields"]["summary"], "Blocked");
    assert_eq!(
        links[0]["outwardIssue"]["fields"]["status"]["name"],
        "To Do"
    );
    assert_eq!(
        links[0]["outwardIssue"]["fields"]["issuetype"]["name"],
        "Task"
    );
    assert!(links[0]["outwardIssue"]["fields"]["priority"]["name"].is_string());
    assert!(links[0].get("inwardIssue").is_none());
    assert_ne!(fa["updated"], before, "linking bumps updated");
    assert_eq!(
        fa["comment"]["comments"][0]["body"],
        "Linked related issue!"
    );

    let fb = fields(&admin(), &b, "issuelinks").await;
    assert_eq!(fb["issuelinks"][0]["inwardIssue"]["key"], a.as_str());
    assert!(fb["issuelinks"][0].get("outwardIssue").is_none());

    // Jira records a "Link" item on both issues.
    let items = link_items(&a).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["to"], b.as_str());
    assert_eq!(items[0]["toString"], format!("This issue blocks {b}"));
    let items = link_items(&b).await;
    assert_eq!(
        items[0]["toString"],
        format!("This issue is blocked by {a}")
    );

    // GET issueLink echoes the sides as posted.
    let r = admin()
        .get(&format!("/rest/api/2/issueLink/{link_id}"))
        .await
        .expect(200);
    assert_eq!(r.body["inwardIssue"]["key"], a.as_str());
    assert_eq!(r.body["outwardIssue"]["key"], b.as_str());
    assert_eq!(r.body["type"]["id"], "10000");

    // Search: issueLinkType by description and by name.
    assert_eq!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = blocks")
        )
        .await,
        vec![a.clone()]
    );
    assert_eq!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = \"is blocked by\"")
        )
        .await,
        vec![b.clone()]
    );
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = Blocks")
        )
        .await,
        both
    );

    // Delete: gone from both, "Link" items with from values.
    admin()
        .delete(&format!("/rest/api/2/issueLink/{link_id}"))
        .await
        .expect(204);
    assert_eq!(
        fields(&admin(), &a, "issuelinks").await["issuelinks"],
        json!([])
    );
    assert_eq!(
        fields(&admin(), &b, "issuelinks").await["issuelinks"],
        json!([])
    );
    let items = link_items(&a).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["from"], b.as_str());
    assert!(items[1]["to"].is_null());
    admin()
        .get(&format!("/rest/api/2/issueLink/{link_id}"))
        .await
        .expect(404);
    admin()
        .delete(&format!("/rest/api/2/issueLink/{link_id}"))
        .await
        .expect(404);
    assert!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = blocks")
        )
        .await
        .is_empty()
    );
}

#[tokio::test]
async fn link_errors_and_permissions() {
    let p = project("LNKE").await;
    let a = issue(&p, "One").await;
    let b = issue(&p, "Two").await;
    // Type by id, issues by id.
    let ida = admin().get(&format!("{ISSUE}/{a}")).await.body["id"].clone();
    let idb = admin().get(&format!("{ISSUE}/{b}")).await.body["id"].clone();
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"id": "10003"}, "inwardIssue": {"id": ida}, "outwardIssue": {"id": idb}}),
        )
        .await
        .expect(201);
    assert_eq!(
        fields(&admin(), &a, "issuelinks").await["issuelinks"][0]["type"]["name"],
        "Relates"
    );
    let r = admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Nope"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}}),
        )
        .await
        .expect(404);
    assert!(r.jira_error().contains("Nope"));
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": "NOPE-1"}}),
        )
        .await
        .expect(404);
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}}),
        )
        .await
        .expect(400);
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"inwardIssue": {"key": a}, "outwardIssue": {"key": b}}),
        )
        .await
        .expect(400);
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": a}}),
        )
        .await
        .expect(400);
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}, "comment": {"body": " "}}),
        )
        .await
        .expect(400);
    admin()
        .post("/rest/api/2/issueLink", json!([1]))
        .await
        .expect(400);
    admin().get("/rest/api/2/issueLink/abc").await.expect(400);
    admin()
        .get("/rest/api/2/issueLink/999999")
        .await
        .expect(404);

    // A viewer browses but may not link (Jira answers 401), nor delete links.
    let (u, pw) = user("lnkv").await;
    make_viewer(&p, &u).await;
    let them = Client::basic(&u, &pw);
    let r = them
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}}),
        )
        .await
        .expect(401);
    assert!(r.jira_error().contains("link"));
    let link_id = fields(&admin(), &a, "issuelinks").await["issuelinks"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    them.get(&format!("/rest/api/2/issueLink/{link_id}"))
        .await
        .expect(200);
    them.delete(&format!("/rest/api/2/issueLink/{link_id}"))
        .await
        .expect(401);

    // Someone who cannot browse the other issue sees neither the link nor the issue.
    let q = project("LNKQ").await;
    let hidden = issue(&q, "Hidden").await;
    admin()
        .delete(&format!(
            "/rest/api/2/project/{q}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": hidden}}),
        )
        .await
        .expect(201);
    assert_eq!(
        fields(&admin(), &a, "issuelinks").await["issuelinks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        fields(&them, &a, "issuelinks").await["issuelinks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (m, mpw) = user("lnkm").await;
    let member = Client::basic(&m, &mpw);
    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10003"),
            json!({"user": [m]}),
        )
        .await
        .expect(200);
    member
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": b}, "outwardIssue": {"key": hidden}}),
        )
        .await
        .expect(404);
    member
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Duplicate"}, "inwardIssue": {"key": b}, "outwardIssue": {"key": a}}),
        )
        .await
        .expect(201);
    Client::anonymous()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}}),
        )
        .await
        .expect(401);
}

#[tokio::test]
async fn deleting_a_link_type_removes_its_links() {
    let p = project("LNKT").await;
    let a = issue(&p, "From").await;
    let b = issue(&p, "To").await;
    let r = admin()
        .post(
            "/rest/api/2/issueLinkType",
            json!({"name": format!("Temp{}", std::process::id()), "inward": "is temp of", "outward": "temps"}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_string();
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"id": id}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}}),
        )
        .await
        .expect(201);
    assert_eq!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = temps")
        )
        .await,
        vec![a.clone()]
    );
    admin()
        .delete(&format!("/rest/api/2/issueLinkType/{id}"))
        .await
        .expect(204);
    assert_eq!(
        fields(&admin(), &a, "issuelinks").await["issuelinks"],
        json!([])
    );
}

#[tokio::test]
async fn watchers_add_list_remove() {
    let p = project("WAT").await;
    let key = issue(&p, "Watch me").await;
    // Reporter and creator (admin) watch automatically.
    let r = admin()
        .get(&format!("{ISSUE}/{key}/watchers"))
        .await
        .expect(200);
    assert_eq!(r.body["watchCount"], 1);
    assert_eq!(r.body["isWatching"], true);
    assert_eq!(r.body["watchers"][0]["name"], "admin");
    assert!(
        r.body["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/issue/{key}/watchers"))
    );
    let f = fields(&admin(), &key, "watches").await;
    assert_eq!(f["watches"]["watchCount"], 1);
    assert_eq!(f["watches"]["isWatching"], true);

    // Add another user with a bare JSON string body.
    let (u, pw) = user("watu").await;
    admin()
        .post(&format!("{ISSUE}/{key}/watchers"), json!(u))
        .await
        .expect(204);
    let them = Client::basic(&u, &pw);
    let f = fields(&them, &key, "watches").await;
    assert_eq!(f["watches"]["watchCount"], 2);
    assert_eq!(f["watches"]["isWatching"], true);
    assert_eq!(
        search_keys(&them, &format!("project = {p} AND watcher = currentUser()")).await,
        vec![key.clone()]
    );
    assert_eq!(
        search_keys(&admin(), &format!("project = {p} AND watchers > 1")).await,
        vec![key.clone()]
    );
    // Adding twice is fine.
    admin()
        .post(&format!("{ISSUE}/{key}/watchers"), json!(u))
        .await
        .expect(204);

    // Remove by username, then by accountId.
    admin()
        .delete(&format!("{ISSUE}/{key}/watchers?username={u}"))
        .await
        .expect(204);
    assert_eq!(
        fields(&them, &key, "watches").await["watches"]["isWatching"],
        false
    );
    // A user may watch and unwatch themselves (no body: the caller).
    them.send(
        reqwest::Method::POST,
        &format!("{ISSUE}/{key}/watchers"),
        None,
    )
    .await
    .expect(204);
    let account = them.get("/rest/api/2/myself").await.body["accountId"]
        .as_str()
        .unwrap()
        .to_string();
    them.delete(&format!("{ISSUE}/{key}/watchers?accountId={account}"))
        .await
        .expect(204);
    assert!(
        search_keys(&them, &format!("project = {p} AND watcher = currentUser()"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn watcher_errors_and_permissions() {
    let p = project("WATE").await;
    let key = issue(&p, "Guarded").await;
    let path = format!("{ISSUE}/{key}/watchers");
    admin()
        .post(&path, json!("no-such-user-x"))
        .await
        .expect(404);
    admin()
        .post(&path, json!({"name": "admin"}))
        .await
        .expect(400);
    admin().delete(&path).await.expect(400);
    admin()
        .delete(&format!("{path}?username=no-such-user-x"))
        .await
        .expect(404);
    admin()
        .get(&format!("{ISSUE}/NOPE-1/watchers"))
        .await
        .expect(404);
    Client::anonymous().get(&path).await.expect(401);

    // A viewer may watch themselves but not manage other watchers (401, as Jira).
    let (u, pw) = user("watv").await;
    make_viewer(&p, &u).await;
    let them = Client::basic(&u, &pw);
    them.post(&path, json!(u)).await.expect(204);
    let r = them.post(&path, json!("admin")).await.expect(401);
    r.jira_error();
    them.delete(&format!("{path}?username=admin"))
        .await
        .expect(401);
    // Viewers hold View Voters and Watchers: the count and the list.
    let r = them.get(&path).await.expect(200);
    assert_eq!(r.body["watchCount"], 2);
    assert_eq!(r.body["isWatching"], true);
    assert_eq!(r.body["watchers"][1]["name"], u.as_str());

    // A user who cannot browse the issue cannot be added.
    let (o, _) = user("wato").await;
    let r = admin().post(&path, json!(o)).await.expect(400);
    assert!(r.jira_error().contains("permission to view"));
}

#[tokio::test]
async fn votes_add_list_remove_and_errors() {
    let p = project("VOT").await;
    let key = issue(&p, "Vote for me").await;
    let path = format!("{ISSUE}/{key}/votes");
    // The reporter (admin) cannot vote.
    let r = admin().post(&path, json!(null)).await.expect(404);
    assert_eq!(
        r.body["errorMessages"],
        json!(["You cannot vote for an issue you have reported."])
    );
    admin().delete(&path).await.expect(404);

    let (u1, pw1) = user("vot").await;
    let (u2, pw2) = user("vot").await;
    let v1 = Client::basic(&u1, &pw1);
    let v2 = Client::basic(&u2, &pw2);
    v1.send(reqwest::Method::POST, &path, None)
        .await
        .expect(204);
    v2.send(reqwest::Method::POST, &path, None)
        .await
        .expect(204);
    // Voting twice counts once.
    v2.send(reqwest::Method::POST, &path, None)
        .await
        .expect(204);
    let r = v1.get(&path).await.expect(200);
    assert_eq!(r.body["votes"], 2);
    assert_eq!(r.body["hasVoted"], true);
    let names: Vec<&str> = r.body["voters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![u1.as_str(), u2.as_str()]);
    let f = fields(&admin(), &key, "votes").await;
    assert_eq!(f["votes"]["votes"], 2);
    assert_eq!(f["votes"]["hasVoted"], false);

    assert_eq!(
        search_keys(&admin(), &format!("project = {p} AND votes > 1")).await,
        vec![key.clone()]
    );
    assert_eq!(
        search_keys(&admin(), &format!("project = {p} AND voter = {u1}")).await,
        vec![key.clone()]
    );
    assert!(
        search_keys(&admin(), &format!("project = {p} AND votes > 2"))
            .await
            .is_empty()
    );

    v1.delete(&path).await.expect(204);
    let r = v1.delete(&path).await.expect(404);
    r.jira_error();
    assert_eq!(fields(&v1, &key, "votes").await["votes"]["votes"], 1);
    assert!(
        search_keys(&admin(), &format!("project = {p} AND voter = {u1}"))
            .await
            .is_empty()
    );

    admin()
        .get(&format!("{ISSUE}/NOPE-1/votes"))
        .await
        .expect(404);
    Client::anonymous()
        .send(reqwest::Method::POST, &path, None)
        .await
        .expect(401);

    // Resolved issues take no new votes.
    admin()
        .post(
            &format!("{ISSUE}/{key}/transitions"),
            json!({"transition": {"id": "41"}}),
        )
        .await
        .expect(204);
    v1.send(reqwest::Method::POST, &path, None)
        .await
        .expect(404);
}

#[tokio::test]
async fn deleting_a_linked_issue_updates_the_other_side() {
    let p = project("LNKD").await;
    let a = issue(&p, "Stays").await;
    let b = issue(&p, "Goes").await;
    admin()
        .post(
            "/rest/api/2/issueLink",
            json!({"type": {"name": "Duplicate"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}}),
        )
        .await
        .expect(201);
    assert_eq!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = duplicates")
        )
        .await,
        vec![a.clone()]
    );
    admin().delete(&format!("{ISSUE}/{b}")).await.expect(204);
    assert_eq!(
        fields(&admin(), &a, "issuelinks").await["issuelinks"],
        json!([])
    );
    assert!(
        search_keys(
            &admin(),
            &format!("project = {p} AND issueLinkType = duplicates")
        )
        .await
        .is_empty()
    );
}
