//! Saved filters: create/get/update/delete, JQL validation, visibility through every share
//! type, owner-only edits, favourites, my/favourite/all lists, filter search, share
//! permissions, filter columns, navigator columns (system default and per user), and the
//! default share scope.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Client, project, unique_key, user};

const GONE: &str = "The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.";

const DEFAULT_COLUMNS: &[&str] = &[
    "issuetype",
    "issuekey",
    "summary",
    "assignee",
    "reporter",
    "priority",
    "status",
    "resolution",
    "created",
    "updated",
    "duedate",
];

fn admin() -> Client {
    Client::admin()
}

/// A fresh user: (username, account id, client).
async fn someone(prefix: &str) -> (String, String, Client) {
    let (name, password) = user(prefix).await;
    let account = admin()
        .get(&format!("/rest/api/2/user?username={name}"))
        .await
        .expect(200)
        .body["accountId"]
        .as_str()
        .expect("accountId")
        .to_string();
    (name.clone(), account, Client::basic(&name, &password))
}

async fn create(c: &Client, body: Value) -> Value {
    c.post("/rest/api/2/filter", body).await.expect(200).body
}

fn id_of(f: &Value) -> String {
    f["id"].as_str().expect("filter id is a string").to_string()
}

fn path(f: &Value) -> String {
    format!("/rest/api/2/filter/{}", id_of(f))
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list of filters")
        .iter()
        .map(|f| f["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn column_values(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list of columns")
        .iter()
        .map(|c| c["value"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn project_id(key: &str) -> String {
    admin()
        .get(&format!("/rest/api/2/project/{key}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("project id")
        .to_string()
}

/// A project only its role members (administrators) may browse.
async fn closed_project(prefix: &str) -> String {
    let key = project(prefix).await;
    admin()
        .delete(&format!(
            "/rest/api/2/project/{key}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    key
}

async fn gone(reply: crate::common::Reply) {
    let r = reply.expect(404);
    assert_eq!(r.jira_error(), GONE);
}

#[tokio::test]
async fn create_get_update_and_delete() {
    let p = project("FLC").await;
    let (name, account, c) = someone("flc").await;
    let jql = format!("project = {p} AND resolution is EMPTY");
    let f = create(
        &c,
        json!({"name": "Open work", "description": "Everything open", "jql": jql, "favourite": true}),
    )
    .await;
    let id = id_of(&f);
    assert!(id.parse::<i64>().unwrap() >= 10000, "{f}");
    assert!(
        f["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rest/api/2/filter/{id}"))
    );
    assert_eq!(f["name"], "Open work");
    assert_eq!(f["description"], "Everything open");
    assert_eq!(f["jql"], json!(jql));
    assert_eq!(f["owner"]["name"], json!(name));
    assert_eq!(f["owner"]["accountId"], json!(account));
    assert!(
        f["viewUrl"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/issues/?filter={id}"))
    );
    let search_url = f["searchUrl"].as_str().unwrap().to_string();
    assert!(
        search_url.contains(&format!(
            "/rest/api/2/search?jql=project%20%3D%20{p}%20AND%20"
        )),
        "{search_url}"
    );
    assert_eq!(f["favourite"], true);
    assert_eq!(f["favouritedCount"], 1);
    assert_eq!(f["sharePermissions"], json!([]));
    assert_eq!(f["editable"], true);
    assert_eq!(f["sharedUsers"]["size"], 0);
    assert_eq!(f["subscriptions"]["size"], 0);
    assert_eq!(f["subscriptions"]["items"], json!([]));

    // The search URL runs the filter's query.
    let found = c.get(&search_url).await.expect(200).body;
    assert_eq!(found["total"], 0);

    let again = c.get(&path(&f)).await.expect(200).body;
    assert_eq!(again, f);

    let edited = c
        .put(
            &path(&f),
            json!({"name": "Renamed", "jql": format!("project = {p}")}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(edited["name"], "Renamed");
    assert_eq!(edited["description"], "Everything open");
    assert_eq!(edited["jql"], json!(format!("project = {p}")));
    assert_eq!(edited["favourite"], true);
    let edited = c
        .put(&path(&f), json!({"description": "", "favourite": false}))
        .await
        .expect(200)
        .body;
    assert_eq!(edited["description"], "");
    assert_eq!(edited["favourite"], false);
    assert_eq!(edited["favouritedCount"], 0);
    assert_eq!(edited["name"], "Renamed");

    c.delete(&path(&f)).await.expect(204);
    gone(c.get(&path(&f)).await).await;
    gone(c.delete(&path(&f)).await).await;
    gone(c.get("/rest/api/2/filter/not-a-number").await).await;
}

#[tokio::test]
async fn create_and_update_validate_name_and_jql() {
    let (_, _, c) = someone("flv").await;
    let r = c
        .post("/rest/api/2/filter", json!({"jql": "order by created"}))
        .await
        .expect(400);
    assert!(r.body["errors"]["filterName"].is_string(), "{}", r.text);
    c.post("/rest/api/2/filter", json!({"name": "   "}))
        .await
        .expect(400);

    // A bad query is refused with the words the search gives.
    let bad = "project = = x";
    let msg = c
        .post("/rest/api/2/filter", json!({"name": "Bad", "jql": bad}))
        .await
        .expect(400)
        .jira_error();
    let search_msg = c
        .get("/rest/api/2/search?jql=project%20%3D%20%3D%20x")
        .await
        .expect(400)
        .jira_error();
    assert!(!msg.is_empty());
    assert_eq!(msg, search_msg);
    let msg = c
        .post(
            "/rest/api/2/filter",
            json!({"name": "Bad", "jql": "nosuchfield = 1"}),
        )
        .await
        .expect(400)
        .jira_error();
    assert!(msg.contains("nosuchfield"), "{msg}");

    // Names are unique per owner, case-insensitively; another owner may reuse one.
    let f = create(&c, json!({"name": "Mine", "jql": ""})).await;
    assert_eq!(f["jql"], "");
    let r = c
        .post("/rest/api/2/filter", json!({"name": "MINE"}))
        .await
        .expect(400);
    assert!(r.body["errors"]["filterName"].is_string(), "{}", r.text);
    let (_, _, other) = someone("flv").await;
    create(&other, json!({"name": "Mine"})).await;
    let second = create(&c, json!({"name": "Second"})).await;
    c.put(&path(&second), json!({"name": "mine"}))
        .await
        .expect(400);
    c.put(&path(&second), json!({"jql": "project = = x"}))
        .await
        .expect(400);
    let unchanged = c.get(&path(&second)).await.expect(200).body;
    assert_eq!(unchanged["name"], "Second");
    assert_eq!(unchanged["jql"], "");

    // Bad bodies and no credentials.
    c.raw(Method::POST, "/rest/api/2/filter", "application/json", "{")
        .await
        .expect(400)
        .jira_error();
    Client::anonymous()
        .post("/rest/api/2/filter", json!({"name": "Anon"}))
        .await
        .expect(401);
}

#[tokio::test]
async fn only_the_owner_edits_and_others_see_shared_filters() {
    let (_, _, a) = someone("flo").await;
    let (_, _, b) = someone("flo").await;
    let f = create(&a, json!({"name": "Private", "jql": "order by key"})).await;
    let perms = format!("{}/permission", path(&f));

    // Private: invisible to others, answered like a missing filter.
    gone(b.get(&path(&f)).await).await;
    gone(b.put(&path(&f), json!({"name": "Mine now"})).await).await;
    gone(b.delete(&path(&f)).await).await;
    gone(
        b.send(Method::PUT, &format!("{}/favourite", path(&f)), None)
            .await,
    )
    .await;
    gone(b.get(&perms).await).await;
    gone(Client::anonymous().get(&path(&f)).await).await;

    let shares = a
        .post(&perms, json!({"type": "global"}))
        .await
        .expect(201)
        .body;
    assert_eq!(shares.as_array().unwrap().len(), 1);
    assert_eq!(shares[0]["type"], "global");

    let seen = b.get(&path(&f)).await.expect(200).body;
    assert_eq!(seen["editable"], false);
    assert_eq!(seen["favourite"], false);
    assert_eq!(seen["sharePermissions"][0]["type"], "global");
    Client::anonymous().get(&path(&f)).await.expect(200);

    // Seeing is not editing.
    b.put(&path(&f), json!({"name": "Mine now"}))
        .await
        .expect(403)
        .jira_error();
    b.delete(&path(&f)).await.expect(403).jira_error();
    b.post(&perms, json!({"type": "authenticated"}))
        .await
        .expect(400)
        .jira_error();
    let share_id = shares[0]["id"].as_i64().unwrap();
    b.delete(&format!("{perms}/{share_id}"))
        .await
        .expect(403)
        .jira_error();
    b.put(&format!("{}/columns", path(&f)), json!(["summary"]))
        .await
        .expect(403);
    assert_eq!(a.get(&path(&f)).await.expect(200).body["name"], "Private");

    // An administrator may delete anyone's filter.
    let hidden = create(&a, json!({"name": "Hidden"})).await;
    admin().delete(&path(&hidden)).await.expect(204);
    gone(a.get(&path(&hidden)).await).await;
    admin().delete(&path(&f)).await.expect(204);
    gone(a.get(&path(&f)).await).await;
}

#[tokio::test]
async fn every_share_type_grants_sight_to_its_audience() {
    let key = closed_project("FLS").await;
    let pid = project_id(&key).await;
    let (_, _, owner) = someone("fls").await;
    let (viewer_name, viewer_account, viewer) = someone("fls").await;
    let (member_name, _, member) = someone("fls").await;
    let (_, _, stranger) = someone("fls").await;
    admin()
        .post(
            &format!("/rest/api/2/project/{key}/role/10004"),
            json!({"user": [viewer_name]}),
        )
        .await
        .expect(200);
    let group = format!("flt-{}", unique_key("G").to_lowercase());
    admin()
        .post("/rest/api/2/group", json!({"name": group}))
        .await
        .expect(201);
    admin()
        .post(
            &format!("/rest/api/2/group/user?groupname={group}"),
            json!({"name": member_name}),
        )
        .await
        .expect(201);

    // Project: whoever may browse it.
    let by_project = create(&owner, json!({"name": "By project"})).await;
    let perms = format!("{}/permission", path(&by_project));
    // The owner cannot browse the closed project, so cannot share with it.
    owner
        .post(&perms, json!({"type": "project", "projectId": pid}))
        .await
        .expect(400)
        .jira_error();
    admin()
        .post(
            &format!("/rest/api/2/project/{key}/role/10004"),
            json!({"user": [owner_user(&owner)]}),
        )
        .await
        .expect(200);
    let shares = owner
        .post(&perms, json!({"type": "project", "projectId": pid}))
        .await
        .expect(201)
        .body;
    assert_eq!(shares[0]["type"], "project");
    assert_eq!(shares[0]["project"]["key"], json!(key));
    assert_eq!(shares[0]["project"]["id"], json!(pid));
    viewer.get(&path(&by_project)).await.expect(200);
    gone(stranger.get(&path(&by_project)).await).await;
    gone(member.get(&path(&by_project)).await).await;

    // Project role: holders of the role in that project.
    let by_role = create(&owner, json!({"name": "By role"})).await;
    let shares = owner
        .post(
            &format!("{}/permission", path(&by_role)),
            json!({"type": "projectRole", "projectId": pid, "projectRoleId": "10004"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(shares[0]["type"], "project");
    assert_eq!(shares[0]["role"]["id"], 10004);
    assert_eq!(shares[0]["role"]["name"], "Viewers");
    viewer.get(&path(&by_role)).await.expect(200);
    gone(stranger.get(&path(&by_role)).await).await;

    // Group: its members.
    let by_group = create(&owner, json!({"name": "By group"})).await;
    let shares = owner
        .post(
            &format!("{}/permission", path(&by_group)),
            json!({"type": "group", "groupname": group}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(shares[0]["type"], "group");
    assert_eq!(shares[0]["group"]["name"], json!(group));
    member.get(&path(&by_group)).await.expect(200);
    gone(viewer.get(&path(&by_group)).await).await;
    // sharedUsers lists who the shares reach, on request.
    let expanded = owner
        .get(&format!("{}?expand=sharedUsers", path(&by_group)))
        .await
        .expect(200)
        .body;
    assert_eq!(expanded["sharedUsers"]["size"], 1);
    assert_eq!(
        expanded["sharedUsers"]["items"][0]["name"],
        json!(member_name)
    );
    let plain = owner.get(&path(&by_group)).await.expect(200).body;
    assert_eq!(plain["sharedUsers"]["items"], json!([]));

    // User: that one user.
    let by_user = create(
        &owner,
        json!({"name": "By user", "sharePermissions": [{"type": "user", "user": {"accountId": viewer_account}}]}),
    )
    .await;
    assert_eq!(by_user["sharePermissions"][0]["type"], "user");
    assert_eq!(
        by_user["sharePermissions"][0]["user"]["accountId"],
        json!(viewer_account)
    );
    viewer.get(&path(&by_user)).await.expect(200);
    gone(member.get(&path(&by_user)).await).await;

    // Authenticated: any logged-in user, shown as `loggedin`.
    let logged_in = create(&owner, json!({"name": "Logged in"})).await;
    let shares = owner
        .post(
            &format!("{}/permission", path(&logged_in)),
            json!({"type": "authenticated"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(shares[0]["type"], "loggedin");
    stranger.get(&path(&logged_in)).await.expect(200);
    gone(Client::anonymous().get(&path(&logged_in)).await).await;

    // Invalid shares.
    let p = format!("{}/permission", path(&by_group));
    for bad in [
        json!({"type": "group", "groupname": "no-such-group-anywhere"}),
        json!({"type": "group"}),
        json!({"type": "project", "projectId": "999999"}),
        json!({"type": "projectRole", "projectId": pid, "projectRoleId": "424242"}),
        json!({"type": "user", "accountId": "nobody-at-all"}),
        json!({"type": "planet"}),
    ] {
        let r = owner.post(&p, bad.clone()).await.expect(400);
        assert!(!r.jira_error().is_empty(), "{bad}");
    }

    // A global share replaces the others, and narrower ones cannot sit beside it.
    let shares = owner
        .post(&p, json!({"type": "global"}))
        .await
        .expect(201)
        .body;
    assert_eq!(shares.as_array().unwrap().len(), 1);
    assert_eq!(shares[0]["type"], "global");
    owner
        .post(&p, json!({"type": "group", "groupname": group}))
        .await
        .expect(400);

    // One share, then remove it.
    let sid = shares[0]["id"].as_i64().unwrap();
    let one = owner.get(&format!("{p}/{sid}")).await.expect(200).body;
    assert_eq!(one, shares[0]);
    owner
        .get(&format!("{p}/999999"))
        .await
        .expect(404)
        .jira_error();
    owner
        .get(&format!("{p}/abc"))
        .await
        .expect(404)
        .jira_error();
    owner.delete(&format!("{p}/{sid}")).await.expect(204);
    assert_eq!(owner.get(&p).await.expect(200).body, json!([]));
    owner.delete(&format!("{p}/{sid}")).await.expect(404);
    gone(stranger.get(&path(&by_group)).await).await;
}

/// The username a test client logs in with.
fn owner_user(c: &Client) -> String {
    c.auth.as_ref().expect("basic auth").0.clone()
}

#[tokio::test]
async fn favourites_count_and_follow_visibility() {
    let (_, _, a) = someone("flf").await;
    let (_, _, b) = someone("flf").await;
    let f = create(
        &a,
        json!({"name": "Shared", "sharePermissions": [{"type": "global"}]}),
    )
    .await;
    assert_eq!(f["favourite"], false);
    assert_eq!(f["favouritedCount"], 0);
    let fav = format!("{}/favourite", path(&f));

    let r = b.send(Method::PUT, &fav, None).await.expect(200).body;
    assert_eq!(r["favourite"], true);
    assert_eq!(r["favouritedCount"], 1);
    // Idempotent.
    let r = b.send(Method::PUT, &fav, None).await.expect(200).body;
    assert_eq!(r["favouritedCount"], 1);
    let r = a.send(Method::PUT, &fav, None).await.expect(200).body;
    assert_eq!(r["favourite"], true);
    assert_eq!(r["favouritedCount"], 2);
    assert_eq!(
        names(&b.get("/rest/api/2/filter/favourite").await.expect(200).body),
        ["Shared"]
    );
    assert_eq!(
        names(&a.get("/rest/api/2/filter/favourite").await.expect(200).body),
        ["Shared"]
    );

    let r = b.delete(&fav).await.expect(200).body;
    assert_eq!(r["favourite"], false);
    assert_eq!(r["favouritedCount"], 1);
    assert_eq!(
        b.get("/rest/api/2/filter/favourite").await.expect(200).body,
        json!([])
    );

    // A favourite the owner stops sharing drops out of the list.
    b.send(Method::PUT, &fav, None).await.expect(200);
    let sid = f["sharePermissions"][0]["id"].as_i64().unwrap();
    a.delete(&format!("{}/permission/{sid}", path(&f)))
        .await
        .expect(204);
    assert_eq!(
        b.get("/rest/api/2/filter/favourite").await.expect(200).body,
        json!([])
    );
    gone(b.delete(&fav).await).await;
    assert_eq!(
        a.get(&path(&f)).await.expect(200).body["favouritedCount"],
        2
    );
}

#[tokio::test]
async fn my_all_and_search_lists() {
    let (_, a_account, a) = someone("flm").await;
    let (b_name, b_account, b) = someone("flm").await;
    for name in ["Gamma", "alpha bugs", "Beta tasks"] {
        create(&a, json!({"name": name})).await;
    }
    let theirs = create(
        &b,
        json!({"name": "Alpha shared", "sharePermissions": [{"type": "global"}]}),
    )
    .await;
    create(&b, json!({"name": "Alpha private"})).await;

    let mine = a.get("/rest/api/2/filter/my").await.expect(200).body;
    assert_eq!(names(&mine), ["alpha bugs", "Beta tasks", "Gamma"]);
    a.send(Method::PUT, &format!("{}/favourite", path(&theirs)), None)
        .await
        .expect(200);
    let mine = a
        .get("/rest/api/2/filter/my?includeFavourites=true")
        .await
        .expect(200)
        .body;
    assert_eq!(
        names(&mine),
        ["alpha bugs", "Alpha shared", "Beta tasks", "Gamma"]
    );
    assert_eq!(
        names(
            &a.get("/rest/api/2/filter/my?includeFavourites=false")
                .await
                .expect(200)
                .body
        ),
        ["alpha bugs", "Beta tasks", "Gamma"]
    );

    // The deprecated list: everything the caller can see.
    let all = names(&a.get("/rest/api/2/filter").await.expect(200).body);
    for n in ["alpha bugs", "Beta tasks", "Gamma", "Alpha shared"] {
        assert!(all.contains(&n.to_string()), "{n} in {all:?}");
    }
    assert!(!all.contains(&"Alpha private".to_string()));

    // Search: by name part and owner; FilterDetails carry only what expand asks.
    let page = a
        .get(&format!(
            "/rest/api/2/filter/search?filterName=ALPHA&accountId={a_account}"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 1);
    assert_eq!(page["isLast"], true);
    let v = &page["values"][0];
    assert_eq!(v["name"], "alpha bugs");
    assert!(v["self"].is_string() && v["id"].is_string());
    assert!(v.get("jql").is_none() && v.get("owner").is_none(), "{v}");
    let page = a
        .get(&format!(
            "/rest/api/2/filter/search?filterName=alpha&owner={b_name}&expand=jql,owner,favourite,sharePermissions"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 1, "b's private filter stays hidden: {page}");
    let v = &page["values"][0];
    assert_eq!(v["name"], "Alpha shared");
    assert_eq!(v["owner"]["accountId"], json!(b_account));
    assert_eq!(v["favourite"], true);
    assert_eq!(v["jql"], "");
    assert_eq!(v["sharePermissions"][0]["type"], "global");

    // Order and paging.
    let page = a
        .get(&format!(
            "/rest/api/2/filter/search?accountId={a_account}&orderBy=-name&maxResults=2"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(page["total"], 3);
    assert_eq!(page["maxResults"], 2);
    assert_eq!(page["isLast"], false);
    assert!(page["nextPage"].is_string());
    assert_eq!(names(&page["values"]), ["Gamma", "Beta tasks"]);
    let page = a
        .get(&format!(
            "/rest/api/2/filter/search?accountId={a_account}&orderBy=-name&startAt=2&maxResults=2"
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(names(&page["values"]), ["alpha bugs"]);
    assert_eq!(page["isLast"], true);
    let by_id = a
        .get(&format!(
            "/rest/api/2/filter/search?id={}&orderBy=id",
            id_of(&theirs)
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(names(&by_id["values"]), ["Alpha shared"]);
    a.get("/rest/api/2/filter/search?orderBy=colour")
        .await
        .expect(400)
        .jira_error();
    let none = a
        .get("/rest/api/2/filter/search?accountId=no-such-account")
        .await
        .expect(200)
        .body;
    assert_eq!(none["total"], 0);
    Client::anonymous()
        .get("/rest/api/2/filter/my")
        .await
        .expect(401);
}

#[tokio::test]
async fn filter_columns_belong_to_the_owner() {
    let (_, _, a) = someone("flk").await;
    let (_, _, b) = someone("flk").await;
    let f = create(
        &a,
        json!({"name": "Columns", "sharePermissions": [{"type": "authenticated"}]}),
    )
    .await;
    let private = create(&a, json!({"name": "Private columns"})).await;
    let cols = format!("{}/columns", path(&f));

    a.get(&cols).await.expect(404).jira_error();
    a.put(&cols, json!(["summary", "status"])).await.expect(200);
    let got = a.get(&cols).await.expect(200).body;
    assert_eq!(
        got,
        json!([{"label": "Summary", "value": "summary"}, {"label": "Status", "value": "status"}])
    );
    // Form data, as Jira's own pages send it.
    a.raw(
        Method::PUT,
        &cols,
        "application/x-www-form-urlencoded",
        "columns=issuekey&columns=assignee",
    )
    .await
    .expect(200);
    let got = b.get(&cols).await.expect(200).body;
    assert_eq!(column_values(&got), ["issuekey", "assignee"]);
    assert_eq!(got[0]["label"], "Key");
    a.put(&cols, json!({"columns": ["priority"]}))
        .await
        .expect(200);
    assert_eq!(
        column_values(&a.get(&cols).await.expect(200).body),
        ["priority"]
    );

    a.put(&cols, json!(["summary", "nosuchfield"]))
        .await
        .expect(400)
        .jira_error();
    a.put(&cols, json!([])).await.expect(400);
    b.put(&cols, json!(["summary"])).await.expect(403);
    b.delete(&cols).await.expect(403);
    gone(b.get(&format!("{}/columns", path(&private))).await).await;

    a.delete(&cols).await.expect(204);
    a.get(&cols).await.expect(404);
}

#[tokio::test]
async fn navigator_columns_default_and_per_user() {
    let (name, account, u) = someone("fln").await;
    let (_, _, other) = someone("fln").await;
    let defaults: Vec<String> = DEFAULT_COLUMNS.iter().map(|c| c.to_string()).collect();

    // The system default: administrators only.
    u.get("/rest/api/2/settings/columns").await.expect(403);
    u.put("/rest/api/2/settings/columns", json!(["summary"]))
        .await
        .expect(403);
    let system = admin()
        .get("/rest/api/2/settings/columns")
        .await
        .expect(200)
        .body;
    assert_eq!(column_values(&system), defaults);
    assert_eq!(
        system[0],
        json!({"label": "Issue Type", "value": "issuetype"})
    );

    // A user without columns of their own gets the system default.
    assert_eq!(
        u.get("/rest/api/2/user/columns").await.expect(200).body,
        system
    );
    u.put("/rest/api/2/user/columns", json!(["summary", "priority"]))
        .await
        .expect(200);
    assert_eq!(
        column_values(&u.get("/rest/api/2/user/columns").await.expect(200).body),
        ["summary", "priority"]
    );
    u.raw(
        Method::PUT,
        "/rest/api/2/user/columns",
        "application/x-www-form-urlencoded",
        "columns=status&columns=created",
    )
    .await
    .expect(200);
    assert_eq!(
        column_values(&u.get("/rest/api/2/user/columns").await.expect(200).body),
        ["status", "created"]
    );
    u.put("/rest/api/2/user/columns", json!(["bogus"]))
        .await
        .expect(400)
        .jira_error();

    // Someone else's columns: administrators only.
    u.get(&format!(
        "/rest/api/2/user/columns?username={}",
        owner_user(&other)
    ))
    .await
    .expect(403);
    assert_eq!(
        column_values(
            &admin()
                .get(&format!("/rest/api/2/user/columns?username={name}"))
                .await
                .expect(200)
                .body
        ),
        ["status", "created"]
    );
    admin()
        .put(
            &format!("/rest/api/2/user/columns?accountId={account}"),
            json!(["duedate"]),
        )
        .await
        .expect(200);
    assert_eq!(
        column_values(&u.get("/rest/api/2/user/columns").await.expect(200).body),
        ["duedate"]
    );
    admin()
        .get("/rest/api/2/user/columns?username=no-such-user-here")
        .await
        .expect(404);

    u.delete("/rest/api/2/user/columns").await.expect(204);
    assert_eq!(
        u.get("/rest/api/2/user/columns").await.expect(200).body,
        system
    );

    // Changing the system default changes what users without columns see.
    admin()
        .put("/rest/api/2/settings/columns", json!(["summary", "status"]))
        .await
        .expect(200);
    assert_eq!(
        column_values(&other.get("/rest/api/2/user/columns").await.expect(200).body),
        ["summary", "status"]
    );
    admin()
        .put("/rest/api/2/settings/columns", json!(["nope"]))
        .await
        .expect(400);
    admin()
        .delete("/rest/api/2/settings/columns")
        .await
        .expect(204);
    assert_eq!(
        column_values(&other.get("/rest/api/2/user/columns").await.expect(200).body),
        defaults
    );
}

#[tokio::test]
async fn default_share_scope_applies_to_new_filters() {
    let (_, _, u) = someone("fld").await;
    let scope = "/rest/api/2/filter/defaultShareScope";
    assert_eq!(
        u.get(scope).await.expect(200).body,
        json!({"scope": "PRIVATE"})
    );
    let f = create(&u, json!({"name": "Private by default"})).await;
    assert_eq!(f["sharePermissions"], json!([]));

    assert_eq!(
        u.put(scope, json!({"scope": "GLOBAL"}))
            .await
            .expect(200)
            .body,
        json!({"scope": "GLOBAL"})
    );
    assert_eq!(
        u.get(scope).await.expect(200).body,
        json!({"scope": "GLOBAL"})
    );
    let f = create(&u, json!({"name": "Global by default"})).await;
    assert_eq!(f["sharePermissions"][0]["type"], "global");
    // Explicit shares win over the default.
    let f = create(
        &u,
        json!({"name": "Explicitly private", "sharePermissions": []}),
    )
    .await;
    assert_eq!(f["sharePermissions"], json!([]));
    let f = create(
        &u,
        json!({"name": "For users", "sharePermissions": [{"type": "group", "group": {"name": "jira-users"}}]}),
    )
    .await;
    assert_eq!(f["sharePermissions"][0]["group"]["name"], "jira-users");

    u.put(scope, json!({"scope": "authenticated"}))
        .await
        .expect(200);
    let f = create(&u, json!({"name": "Logged in by default"})).await;
    assert_eq!(f["sharePermissions"][0]["type"], "loggedin");

    u.put(scope, json!({"scope": "EVERYWHERE"}))
        .await
        .expect(400)
        .jira_error();
    u.put(scope, json!({})).await.expect(400);
    // Each user has their own scope.
    let (_, _, other) = someone("fld").await;
    assert_eq!(
        other.get(scope).await.expect(200).body,
        json!({"scope": "PRIVATE"})
    );
    Client::anonymous().get(scope).await.expect(401);
}
