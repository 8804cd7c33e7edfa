//! Components and versions one at a time: CRUD, moving issues on delete, ordering,
//! counts, permissions, and their JQL fields.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, user};

const ISSUE: &str = "/rest/api/2/issue";

fn admin() -> Client {
    Client::admin()
}

async fn search_keys(jql: &str) -> Vec<String> {
    let r = admin()
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

async fn create_component(p: &str, body: Value) -> Value {
    let mut body = body;
    body["project"] = json!(p);
    admin()
        .post("/rest/api/2/component", body)
        .await
        .expect(201)
        .body
}

async fn create_version(p: &str, name: &str) -> String {
    admin()
        .post("/rest/api/2/version", json!({"project": p, "name": name}))
        .await
        .expect(201)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string()
}

async fn issue_fields(key: &str, which: &str) -> Value {
    admin()
        .get(&format!("{ISSUE}/{key}?fields={which}"))
        .await
        .expect(200)
        .body["fields"]
        .clone()
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|v| v["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn component_crud() {
    let p = project("CMP").await;
    let (lead, _) = user("cmpl").await;
    let c = create_component(
        &p,
        json!({"name": "API", "description": "The API", "leadUserName": lead, "assigneeType": "COMPONENT_LEAD"}),
    )
    .await;
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["name"], "API");
    assert_eq!(c["project"], p.as_str());
    assert_eq!(c["lead"]["name"], lead.as_str());
    assert_eq!(c["assigneeType"], "COMPONENT_LEAD");
    assert_eq!(c["assignee"]["name"], lead.as_str());
    assert_eq!(c["realAssigneeType"], "COMPONENT_LEAD");
    assert_eq!(c["isAssigneeTypeValid"], true);
    assert!(
        c["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/component/{id}"))
    );

    let r = admin()
        .get(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(200);
    assert_eq!(r.body["description"], "The API");
    // The project's lists show it.
    let list = admin()
        .get(&format!("/rest/api/2/project/{p}/components"))
        .await
        .expect(200);
    assert_eq!(names(&list.body), vec!["API"]);

    // Update: present fields change; an empty leadUserName removes the lead.
    let r = admin()
        .put(
            &format!("/rest/api/2/component/{id}"),
            json!({"name": "Public API", "leadUserName": ""}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["name"], "Public API");
    assert_eq!(r.body["description"], "The API");
    assert!(r.body.get("lead").is_none());
    assert_eq!(r.body["isAssigneeTypeValid"], false);
    assert_eq!(r.body["realAssigneeType"], "UNASSIGNED");

    admin()
        .delete(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn component_errors_and_permissions() {
    let p = project("CMPE").await;
    let c = create_component(&p, json!({"name": "Core"})).await;
    let id = c["id"].as_str().unwrap().to_string();
    let post = |body: Value| async move { admin().post("/rest/api/2/component", body).await };
    let r = post(json!({"project": p, "name": "core"}))
        .await
        .expect(400);
    assert!(r.jira_error().contains("already exists"));
    let r = post(json!({"project": p, "name": " "})).await.expect(400);
    assert!(r.jira_error().contains("name"));
    post(json!({"name": "No project"})).await.expect(400);
    post(json!({"project": "NOPE", "name": "X"}))
        .await
        .expect(404);
    post(json!({"project": p, "name": "X", "assigneeType": "SOMEONE"}))
        .await
        .expect(400);
    post(json!({"project": p, "name": "X", "leadUserName": "no-such-user-x"}))
        .await
        .expect(400);
    post(json!("not an object")).await.expect(400);
    admin().get("/rest/api/2/component/abc").await.expect(404);
    admin()
        .get("/rest/api/2/component/999999")
        .await
        .expect(404);
    admin()
        .put("/rest/api/2/component/999999", json!({"name": "x"}))
        .await
        .expect(404);
    admin()
        .delete("/rest/api/2/component/999999")
        .await
        .expect(404);
    admin()
        .delete(&format!("/rest/api/2/component/{id}?moveIssuesTo={id}"))
        .await
        .expect(400);

    // Members read but do not administer; outsiders see nothing; anonymous is 401.
    let (u, pw) = user("cmpu").await;
    let them = Client::basic(&u, &pw);
    them.get(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(200);
    them.post(
        "/rest/api/2/component",
        json!({"project": p, "name": "Mine"}),
    )
    .await
    .expect(403);
    them.put(
        &format!("/rest/api/2/component/{id}"),
        json!({"name": "Mine"}),
    )
    .await
    .expect(403);
    them.delete(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(403);
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    them.get(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(404);
    them.get(&format!("/rest/api/2/component/{id}/relatedIssueCounts"))
        .await
        .expect(404);
    Client::anonymous()
        .get(&format!("/rest/api/2/component/{id}"))
        .await
        .expect(401);
}

#[tokio::test]
async fn deleting_a_component_moves_its_issues() {
    let p = project("CMPM").await;
    let api = create_component(&p, json!({"name": "API"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let web = create_component(&p, json!({"name": "Web"})).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = issue(&p, "Uses API").await;
    let b = issue(&p, "Uses both").await;
    admin()
        .put(
            &format!("{ISSUE}/{a}"),
            json!({"fields": {"components": [{"name": "API"}]}}),
        )
        .await
        .expect(204);
    admin()
        .put(
            &format!("{ISSUE}/{b}"),
            json!({"fields": {"components": [{"id": api}, {"id": web}]}}),
        )
        .await
        .expect(204);
    let r = admin()
        .get(&format!("/rest/api/2/component/{api}/relatedIssueCounts"))
        .await
        .expect(200);
    assert_eq!(r.body["issueCount"], 2);
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(
        search_keys(&format!("project = {p} AND component = API")).await,
        both
    );

    let before = issue_fields(&a, "updated").await["updated"].clone();
    admin()
        .delete(&format!("/rest/api/2/component/{api}?moveIssuesTo={web}"))
        .await
        .expect(204);
    assert_eq!(
        names(&issue_fields(&a, "components").await["components"]),
        vec!["Web"]
    );
    assert_eq!(
        names(&issue_fields(&b, "components").await["components"]),
        vec!["Web"]
    );
    assert_ne!(issue_fields(&a, "updated").await["updated"], before);
    assert_eq!(
        search_keys(&format!("project = {p} AND component = Web")).await,
        both
    );
    let r = admin()
        .get(&format!("/rest/api/2/component/{web}/relatedIssueCounts"))
        .await
        .expect(200);
    assert_eq!(r.body["issueCount"], 2);
    // The change is in the changelog.
    let log = admin()
        .get(&format!("{ISSUE}/{a}/changelog"))
        .await
        .expect(200);
    let items: Vec<Value> = log.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().cloned().unwrap_or_default())
        .filter(|i| i["field"] == "Component")
        .collect();
    assert!(items.iter().any(|i| i["toString"] == "Web"));
    assert!(items.iter().any(|i| i["fromString"] == "API"));

    // Without moveIssuesTo the component is simply removed.
    admin()
        .delete(&format!("/rest/api/2/component/{web}"))
        .await
        .expect(204);
    assert_eq!(
        issue_fields(&a, "components").await["components"],
        json!([])
    );
}

#[tokio::test]
async fn version_crud_and_computed_flags() {
    let p = project("VER").await;
    let r = admin()
        .post(
            "/rest/api/2/version",
            json!({"project": p, "name": "1.0", "description": "First", "releaseDate": "2010-07-06", "startDate": "2010-07-01"}),
        )
        .await
        .expect(201);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["name"], "1.0");
    assert_eq!(r.body["released"], false);
    assert_eq!(r.body["archived"], false);
    assert_eq!(r.body["overdue"], true, "unreleased and past its date");
    assert_eq!(r.body["releaseDate"], "2010-07-06");
    assert_eq!(r.body["userReleaseDate"], "6/Jul/2010");
    assert!(r.body["projectId"].as_i64().is_some());

    let r = admin()
        .put(
            &format!("/rest/api/2/version/{id}"),
            json!({"released": true, "archived": true}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["released"], true);
    assert_eq!(r.body["archived"], true);
    assert_eq!(r.body["overdue"], false);
    assert_eq!(r.body["description"], "First");
    let r = admin()
        .get(&format!("/rest/api/2/version/{id}"))
        .await
        .expect(200);
    assert_eq!(r.body["released"], true);
    // userReleaseDate is accepted too; null clears a date.
    let r = admin()
        .put(
            &format!("/rest/api/2/version/{id}"),
            json!({"userReleaseDate": "1/Aug/2030", "startDate": null}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["releaseDate"], "2030-08-01");
    assert!(r.body.get("startDate").is_none());
    let list = admin()
        .get(&format!("/rest/api/2/project/{p}/versions"))
        .await
        .expect(200);
    assert_eq!(names(&list.body), vec!["1.0"]);

    admin()
        .delete(&format!("/rest/api/2/version/{id}"))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/version/{id}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn version_errors_and_permissions() {
    let p = project("VERE").await;
    let id = create_version(&p, "1.0").await;
    let post = |body: Value| async move { admin().post("/rest/api/2/version", body).await };
    let r = post(json!({"project": p, "name": "1.0"})).await.expect(400);
    assert!(r.jira_error().contains("already exists"));
    post(json!({"project": p})).await.expect(400);
    post(json!({"name": "2.0"})).await.expect(400);
    post(json!({"project": "NOPE", "name": "2.0"}))
        .await
        .expect(404);
    post(json!({"project": p, "name": "2.0", "releaseDate": "July"}))
        .await
        .expect(400);
    post(json!({"project": p, "name": "2.0", "releaseDate": "2020-01-01", "userReleaseDate": "1/Jan/2020"}))
        .await
        .expect(400);
    post(json!({"project": p, "name": "2.0", "startDate": "2020-02-01", "releaseDate": "2020-01-01"}))
        .await
        .expect(400);
    admin().get("/rest/api/2/version/abc").await.expect(404);
    admin().get("/rest/api/2/version/999999").await.expect(404);
    admin()
        .put("/rest/api/2/version/999999", json!({"name": "x"}))
        .await
        .expect(404);
    admin()
        .delete(&format!("/rest/api/2/version/{id}?moveFixIssuesTo=999999"))
        .await
        .expect(404);
    admin()
        .put(&format!("/rest/api/2/version/{id}/mergeto/{id}"), json!({}))
        .await
        .expect(404);
    admin()
        .post(&format!("/rest/api/2/version/{id}/move"), json!({}))
        .await
        .expect(400);
    admin()
        .post(
            &format!("/rest/api/2/version/{id}/move"),
            json!({"position": "Sideways"}),
        )
        .await
        .expect(400);
    admin()
        .post(
            &format!("/rest/api/2/version/{id}/move"),
            json!({"after": "999999"}),
        )
        .await
        .expect(404);
    admin()
        .get("/rest/api/2/version/999999/relatedIssueCounts")
        .await
        .expect(404);
    admin()
        .get("/rest/api/2/version/999999/unresolvedIssueCount")
        .await
        .expect(404);

    let (u, pw) = user("veru").await;
    let them = Client::basic(&u, &pw);
    them.get(&format!("/rest/api/2/version/{id}"))
        .await
        .expect(200);
    them.post("/rest/api/2/version", json!({"project": p, "name": "mine"}))
        .await
        .expect(403);
    them.put(
        &format!("/rest/api/2/version/{id}"),
        json!({"name": "mine"}),
    )
    .await
    .expect(403);
    them.delete(&format!("/rest/api/2/version/{id}"))
        .await
        .expect(403);
    them.post(
        &format!("/rest/api/2/version/{id}/move"),
        json!({"position": "First"}),
    )
    .await
    .expect(403);
    Client::anonymous()
        .get(&format!("/rest/api/2/version/{id}"))
        .await
        .expect(401);
}

#[tokio::test]
async fn moving_versions_reorders_the_project_list() {
    let p = project("VERM").await;
    let v1 = create_version(&p, "1").await;
    let v2 = create_version(&p, "2").await;
    let v3 = create_version(&p, "3").await;
    let order = || async {
        names(
            &admin()
                .get(&format!("/rest/api/2/project/{p}/versions"))
                .await
                .expect(200)
                .body,
        )
    };
    assert_eq!(order().await, vec!["1", "2", "3"]);
    let mv = |id: String, body: Value| async move {
        admin()
            .post(&format!("/rest/api/2/version/{id}/move"), body)
            .await
            .expect(200)
    };
    let r = mv(v3.clone(), json!({"position": "First"})).await;
    assert_eq!(r.body["name"], "3");
    assert_eq!(order().await, vec!["3", "1", "2"]);
    mv(v3.clone(), json!({"position": "Later"})).await;
    assert_eq!(order().await, vec!["1", "3", "2"]);
    mv(v1.clone(), json!({"position": "Last"})).await;
    assert_eq!(order().await, vec!["3", "2", "1"]);
    mv(v1.clone(), json!({"position": "Earlier"})).await;
    assert_eq!(order().await, vec!["3", "1", "2"]);
    // `after` takes a version's self URL.
    mv(
        v3.clone(),
        json!({"after": format!("{}/rest/api/2/version/{v2}", admin().base)}),
    )
    .await;
    assert_eq!(order().await, vec!["1", "2", "3"]);
}

#[tokio::test]
async fn version_counts_merge_and_swap() {
    let p = project("VERS").await;
    let v1 = create_version(&p, "1.0").await;
    let v2 = create_version(&p, "2.0").await;
    let v3 = create_version(&p, "3.0").await;
    let a = issue(&p, "Fixed in 1.0").await;
    let b = issue(&p, "Affects 1.0, fixed in 1.0").await;
    admin()
        .put(
            &format!("{ISSUE}/{a}"),
            json!({"fields": {"fixVersions": [{"name": "1.0"}]}}),
        )
        .await
        .expect(204);
    admin()
        .put(
            &format!("{ISSUE}/{b}"),
            json!({"fields": {"fixVersions": [{"id": v1}], "versions": [{"id": v1}]}}),
        )
        .await
        .expect(204);
    // Resolve b.
    admin()
        .post(
            &format!("{ISSUE}/{b}/transitions"),
            json!({"transition": {"id": "41"}}),
        )
        .await
        .expect(204);
    let r = admin()
        .get(&format!("/rest/api/2/version/{v1}/relatedIssueCounts"))
        .await
        .expect(200);
    assert_eq!(r.body["issuesFixedCount"], 2);
    assert_eq!(r.body["issuesAffectedCount"], 1);
    assert_eq!(r.body["issueCountWithCustomFieldsShowingVersion"], 0);
    let r = admin()
        .get(&format!("/rest/api/2/version/{v1}/unresolvedIssueCount"))
        .await
        .expect(200);
    assert_eq!(r.body["issuesUnresolvedCount"], 1);
    assert_eq!(r.body["issuesCount"], 2);
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(
        search_keys(&format!("project = {p} AND fixVersion = \"1.0\"")).await,
        both
    );

    // removeAndSwap: fix issues go to 2.0, affected ones to 3.0.
    admin()
        .post(
            &format!("/rest/api/2/version/{v1}/removeAndSwap"),
            json!({"moveFixIssuesTo": v2, "moveAffectedIssuesTo": v3}),
        )
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/version/{v1}"))
        .await
        .expect(404);
    let f = issue_fields(&b, "fixVersions,versions").await;
    assert_eq!(names(&f["fixVersions"]), vec!["2.0"]);
    assert_eq!(names(&f["versions"]), vec!["3.0"]);
    assert_eq!(
        search_keys(&format!("project = {p} AND fixVersion = \"2.0\"")).await,
        both
    );
    // JQL refuses a version name no visible project has, so whether "1.0" still resolves
    // would depend on other tests' projects; another project of this test keeps one.
    let keeper = project("VERK").await;
    create_version(&keeper, "1.0").await;
    assert!(
        search_keys(&format!("project = {p} AND fixVersion = \"1.0\""))
            .await
            .is_empty()
    );

    // mergeto: everything on 3.0 moves to 2.0 and 3.0 goes.
    admin()
        .put(&format!("/rest/api/2/version/{v3}/mergeto/{v2}"), json!({}))
        .await
        .expect(204);
    let f = issue_fields(&b, "fixVersions,versions").await;
    assert_eq!(names(&f["fixVersions"]), vec!["2.0"]);
    assert_eq!(names(&f["versions"]), vec!["2.0"]);

    // DELETE with moveFixIssuesTo.
    let v4 = create_version(&p, "4.0").await;
    admin()
        .delete(&format!("/rest/api/2/version/{v2}?moveFixIssuesTo={v4}"))
        .await
        .expect(204);
    let f = issue_fields(&a, "fixVersions,versions").await;
    assert_eq!(names(&f["fixVersions"]), vec!["4.0"]);
    let f = issue_fields(&b, "fixVersions,versions").await;
    assert_eq!(f["versions"], json!([]));
}

#[tokio::test]
async fn version_remote_links() {
    let p = project("CVRL").await;
    let v = create_version(&p, "1.0").await;
    let other = create_version(&p, "2.0").await;
    let base = format!("/rest/api/2/version/{v}/remotelink");

    // With a global id in the body: 201, Location, and the object kept as sent.
    let r = admin()
        .post(
            &base,
            json!({"globalId": "build=7", "url": "https://ci.example.com/7", "colors": ["red"]}),
        )
        .await
        .expect(201);
    let location = r.headers["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert!(
        location.ends_with(&format!("/version/{v}/remotelink/build%3D7")),
        "{location}"
    );
    // Without one: a generated global id.
    admin()
        .post(&base, json!({"url": "https://docs.example.com"}))
        .await
        .expect(201);
    // With the global id in the path; posting again replaces.
    let path = format!("{base}/release-notes");
    admin().post(&path, json!({"v": 1})).await.expect(201);
    admin().post(&path, json!({"v": 2})).await.expect(201);

    let r = admin().get(&base).await.expect(200);
    let links = r.body["links"].as_array().expect("links");
    assert_eq!(links.len(), 3);
    for l in links {
        assert_eq!(l["name"], "1.0");
        let gid = l["link"]["globalId"].as_str().expect("globalId");
        assert!(
            l["self"]
                .as_str()
                .unwrap_or_default()
                .contains("/remotelink/")
        );
        assert!(!gid.is_empty());
    }
    let one = admin().get(&path).await.expect(200);
    assert_eq!(
        one.body["link"],
        json!({"v": 2, "globalId": "release-notes"})
    );
    assert_eq!(one.body["name"], "1.0");
    let build = admin().get(&format!("{base}/build=7")).await.expect(200);
    assert_eq!(build.body["link"]["colors"], json!(["red"]));

    // By global id across versions.
    admin()
        .post(
            &format!("/rest/api/2/version/{other}/remotelink/release-notes"),
            json!({"v": 3}),
        )
        .await
        .expect(201);
    let r = admin()
        .get("/rest/api/2/version/remotelink?globalId=release-notes")
        .await
        .expect(200);
    let names: Vec<&str> = r.body["links"]
        .as_array()
        .expect("links")
        .iter()
        .map(|l| l["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, vec!["1.0", "2.0"]);

    // Errors: not an object, malformed, unknown version, unknown link, non-admins.
    admin()
        .post(&base, json!([1, 2]))
        .await
        .expect(400)
        .jira_error();
    admin()
        .raw(reqwest::Method::POST, &base, "application/json", "{oops")
        .await
        .expect(400)
        .jira_error();
    admin()
        .get("/rest/api/2/version/99999999/remotelink")
        .await
        .expect(404)
        .jira_error();
    admin()
        .get(&format!("{base}/nope"))
        .await
        .expect(404)
        .jira_error();
    admin()
        .get("/rest/api/2/version/remotelink")
        .await
        .expect(400)
        .jira_error();
    let (name, password) = user("cvrl").await;
    let member = Client::basic(&name, &password);
    member.get(&base).await.expect(200);
    member
        .post(&base, json!({"globalId": "x"}))
        .await
        .expect(403)
        .jira_error();
    member.delete(&path).await.expect(403).jira_error();

    // Delete one, then all; deleting again finds nothing.
    admin().delete(&path).await.expect(204);
    admin().get(&path).await.expect(404);
    admin().delete(&base).await.expect(204);
    assert_eq!(
        admin().get(&base).await.expect(200).body["links"],
        json!([])
    );
    admin().delete(&base).await.expect(404).jira_error();
    // The other version's link is still there, and goes with its version.
    admin()
        .get(&format!(
            "/rest/api/2/version/{other}/remotelink/release-notes"
        ))
        .await
        .expect(200);
    admin()
        .delete(&format!("/rest/api/2/version/{other}"))
        .await
        .expect(204);
    let r = admin()
        .get("/rest/api/2/version/remotelink?globalId=release-notes")
        .await
        .expect(200);
    assert_eq!(r.body["links"], json!([]));
}
