//! Comments on issues: add, list (paging, order), get, rendered bodies, update, delete,
//! visibility restrictions, own/all permissions, comment properties.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Client, advance_clock, issue, project, user};

fn admin() -> Client {
    Client::admin()
}

fn comments_path(key: &str) -> String {
    format!("/rest/api/2/issue/{key}/comment")
}

async fn add(client: &Client, key: &str, body: Value) -> Value {
    client
        .post(&comments_path(key), body)
        .await
        .expect(201)
        .body
}

fn id_of(comment: &Value) -> String {
    comment["id"]
        .as_str()
        .expect("comment id is a string")
        .to_string()
}

fn bodies(list: &Value) -> Vec<String> {
    list["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn updated(key: &str) -> String {
    admin()
        .get(&format!("/rest/api/2/issue/{key}?fields=updated"))
        .await
        .expect(200)
        .body["fields"]["updated"]
        .as_str()
        .expect("updated")
        .to_string()
}

#[tokio::test]
async fn add_get_and_list_comments() {
    let p = project("CADD").await;
    let key = issue(&p, "Discuss").await;

    let first = add(&admin(), &key, json!({"body": "First *comment*"})).await;
    assert_eq!(first["body"], "First *comment*");
    assert_eq!(first["author"]["name"], "admin");
    assert_eq!(first["updateAuthor"]["name"], "admin");
    assert!(
        first["created"].is_string() && first["created"] == first["updated"],
        "{first}"
    );
    assert!(
        first["self"]
            .as_str()
            .is_some_and(|s| s.ends_with(&format!("/comment/{}", id_of(&first)))),
        "{first}"
    );
    assert!(
        first.get("renderedBody").is_none(),
        "renderedBody only with expand"
    );
    assert!(first.get("visibility").is_none() || first["visibility"].is_null());
    for n in 2..=4 {
        add(&admin(), &key, json!({"body": format!("Comment {n}")})).await;
    }

    let all = admin().get(&comments_path(&key)).await.expect(200).body;
    assert_eq!(all["total"], 4);
    assert_eq!(all["startAt"], 0);
    assert_eq!(
        bodies(&all),
        vec!["First *comment*", "Comment 2", "Comment 3", "Comment 4"]
    );

    let page = admin()
        .get(&format!("{}?startAt=1&maxResults=2", comments_path(&key)))
        .await
        .expect(200)
        .body;
    assert_eq!(page["startAt"], 1);
    assert_eq!(page["maxResults"], 2);
    assert_eq!(page["total"], 4);
    assert_eq!(bodies(&page), vec!["Comment 2", "Comment 3"]);

    let newest = admin()
        .get(&format!(
            "{}?orderBy=-created&maxResults=1",
            comments_path(&key)
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(bodies(&newest), vec!["Comment 4"]);
    assert_eq!(newest["total"], 4);
    let oldest = admin()
        .get(&format!(
            "{}?orderBy=created&maxResults=1",
            comments_path(&key)
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(bodies(&oldest), vec!["First *comment*"]);
    let r = admin()
        .get(&format!("{}?orderBy=author", comments_path(&key)))
        .await
        .expect(400);
    assert!(r.jira_error().contains("orderBy"), "{}", r.text);
    let r = admin()
        .get(&format!("{}?startAt=-2", comments_path(&key)))
        .await
        .expect(400);
    r.jira_error();

    let got = admin()
        .get(&format!("{}/{}", comments_path(&key), id_of(&first)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["body"], "First *comment*");
    assert_eq!(got["id"], first["id"]);

    let rendered = admin()
        .get(&format!(
            "{}/{}?expand=renderedBody",
            comments_path(&key),
            id_of(&first)
        ))
        .await
        .expect(200)
        .body;
    let html = rendered["renderedBody"].as_str().expect("renderedBody");
    assert!(html.contains("<strong>comment</strong>"), "{html}");
    let list = admin()
        .get(&format!("{}?expand=renderedBody", comments_path(&key)))
        .await
        .expect(200)
        .body;
    assert!(
        list["comments"][1]["renderedBody"]
            .as_str()
            .is_some_and(|h| h.contains("Comment 2")),
        "{list}"
    );
    let added = admin()
        .post(
            &format!("{}?expand=renderedBody", comments_path(&key)),
            json!({"body": "<script>x</script>"}),
        )
        .await
        .expect(201)
        .body;
    let html = added["renderedBody"].as_str().expect("renderedBody on add");
    assert!(
        !html.contains("<script>") && html.contains("&lt;script&gt;"),
        "{html}"
    );

    // Comments also show on the issue.
    let f = admin()
        .get(&format!("/rest/api/2/issue/{key}?fields=comment"))
        .await
        .expect(200)
        .body["fields"]
        .clone();
    assert_eq!(f["comment"]["total"], 5);
    assert_eq!(f["comment"]["comments"][0]["body"], "First *comment*");
}

#[tokio::test]
async fn comment_errors() {
    let p = project("CERR").await;
    let key = issue(&p, "Errors").await;
    for body in [
        json!({"body": ""}),
        json!({"body": "   "}),
        json!({}),
        json!({"body": null}),
    ] {
        let r = admin()
            .post(&comments_path(&key), body.clone())
            .await
            .expect(400);
        r.jira_error();
        assert!(
            r.body["errors"]["comment"]
                .as_str()
                .is_some_and(|m| m.contains("empty")),
            "{body}: {}",
            r.text
        );
    }
    let r = admin()
        .post(&comments_path(&key), json!({"body": 42}))
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .post(&comments_path(&key), json!({"body": "x".repeat(32_768)}))
        .await
        .expect(400);
    assert!(r.body["errors"].get("comment").is_some(), "{}", r.text);
    let r = admin()
        .raw(
            Method::POST,
            &comments_path(&key),
            "application/json",
            "{\"body\": ",
        )
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .post(
            &comments_path(&key),
            json!({"body": "x", "visibility": {"type": "group"}}),
        )
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .post(
            &comments_path(&key),
            json!({"body": "x", "visibility": {"type": "planet", "value": "mars"}}),
        )
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .post(
            &comments_path(&key),
            json!({"body": "x", "visibility": {"type": "role", "value": "No Such Role"}}),
        )
        .await
        .expect(400);
    r.jira_error();

    // Nothing was added by the refused requests.
    assert_eq!(
        admin().get(&comments_path(&key)).await.expect(200).body["total"],
        0
    );

    let r = admin()
        .post(&comments_path(&format!("{p}-404")), json!({"body": "x"}))
        .await
        .expect(404);
    assert!(r.jira_error().contains("Issue does not exist"));
    let r = admin()
        .get(&comments_path(&format!("{p}-404")))
        .await
        .expect(404);
    r.jira_error();
    let r = admin()
        .get(&format!("{}/987654321", comments_path(&key)))
        .await
        .expect(404);
    assert!(
        r.jira_error().contains("Can not find a comment for the id"),
        "{}",
        r.text
    );
    let r = admin()
        .get(&format!("{}/abc", comments_path(&key)))
        .await
        .expect(404);
    r.jira_error();
    let r = Client::anonymous()
        .post(&comments_path(&key), json!({"body": "anon"}))
        .await
        .expect(401);
    r.jira_error();
    let r = Client::anonymous()
        .get(&comments_path(&key))
        .await
        .expect(401);
    r.jira_error();

    // A comment id of another issue is not found through this one.
    let other = issue(&p, "Other").await;
    let c = add(&admin(), &other, json!({"body": "elsewhere"})).await;
    let r = admin()
        .get(&format!("{}/{}", comments_path(&key), id_of(&c)))
        .await
        .expect(404);
    assert!(
        r.jira_error().contains("Can not find a comment"),
        "{}",
        r.text
    );
    let r = admin()
        .delete(&format!("{}/{}", comments_path(&key), id_of(&c)))
        .await
        .expect(404);
    r.jira_error();
}

#[tokio::test]
async fn update_and_delete_comments() {
    let p = project("CUPD").await;
    let key = issue(&p, "Edit comments").await;
    let (u, pw) = user("cupd").await;
    let member = Client::basic(&u, &pw);

    let c = add(&member, &key, json!({"body": "Original"})).await;
    assert_eq!(c["author"]["name"], u.as_str());
    let path = format!("{}/{}", comments_path(&key), id_of(&c));
    advance_clock(std::time::Duration::from_secs(1));

    // The author edits their own comment.
    let r = member
        .put(&path, json!({"body": "Edited by author"}))
        .await
        .expect(200);
    assert_eq!(r.body["body"], "Edited by author");
    assert_eq!(r.body["updateAuthor"]["name"], u.as_str());
    assert!(
        r.body["updated"].as_str() > c["updated"].as_str(),
        "{} vs {}",
        r.body["updated"],
        c["updated"]
    );
    assert_eq!(r.body["created"], c["created"]);

    // An admin (EDIT_ALL_COMMENTS) edits it: author stays, updateAuthor changes.
    let r = admin()
        .put(
            &format!("{path}?expand=renderedBody"),
            json!({"body": "Edited by *admin*"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["author"]["name"], u.as_str());
    assert_eq!(r.body["updateAuthor"]["name"], "admin");
    assert!(
        r.body["renderedBody"]
            .as_str()
            .is_some_and(|h| h.contains("<strong>admin</strong>")),
        "{}",
        r.text
    );
    let got = admin().get(&path).await.expect(200).body;
    assert_eq!(got["body"], "Edited by *admin*");
    assert_eq!(got["updateAuthor"]["name"], "admin");

    let r = admin().put(&path, json!({"body": ""})).await.expect(400);
    assert!(r.body["errors"].get("comment").is_some(), "{}", r.text);
    assert_eq!(
        admin().get(&path).await.expect(200).body["body"],
        "Edited by *admin*"
    );
    let r = admin()
        .put(
            &format!("{}/987654321", comments_path(&key)),
            json!({"body": "x"}),
        )
        .await
        .expect(404);
    assert!(r.jira_error().contains("Can not find a comment for the id"));

    // Delete: 204, then gone.
    let r = member.delete(&path).await.expect(204);
    assert!(r.text.is_empty());
    let r = admin().get(&path).await.expect(404);
    assert!(
        r.jira_error().contains("Can not find a comment for the id"),
        "{}",
        r.text
    );
    let r = admin().delete(&path).await.expect(404);
    assert!(r.jira_error().contains("Can not find a comment for the id"));
    assert_eq!(
        admin().get(&comments_path(&key)).await.expect(200).body["total"],
        0
    );
}

#[tokio::test]
async fn members_cannot_edit_or_delete_others_comments() {
    let p = project("COWN").await;
    let key = issue(&p, "Ownership").await;
    let (a, apw) = user("cowna").await;
    let (b, bpw) = user("cownb").await;
    let alice = Client::basic(&a, &apw);
    let bob = Client::basic(&b, &bpw);

    let c = add(&alice, &key, json!({"body": "Alice's"})).await;
    let path = format!("{}/{}", comments_path(&key), id_of(&c));
    let r = bob
        .put(&path, json!({"body": "Bob was here"}))
        .await
        .expect(403);
    r.jira_error();
    let r = bob.delete(&path).await.expect(403);
    r.jira_error();
    let r = bob
        .put(
            &format!("/rest/api/2/comment/{}/properties/x", id_of(&c)),
            json!(1),
        )
        .await
        .expect(403);
    r.jira_error();
    let got = bob.get(&path).await.expect(200).body;
    assert_eq!(
        got["body"], "Alice's",
        "bob can read it, and it is unchanged"
    );
    assert_eq!(got["author"]["name"], a.as_str());

    // Alice may edit and delete her own; the admin may delete anyone's.
    alice
        .put(&path, json!({"body": "Alice's, edited"}))
        .await
        .expect(200);
    let mine = add(&bob, &key, json!({"body": "Bob's"})).await;
    admin()
        .delete(&format!("{}/{}", comments_path(&key), id_of(&mine)))
        .await
        .expect(204);
    alice.delete(&path).await.expect(204);
    assert_eq!(
        admin().get(&comments_path(&key)).await.expect(200).body["total"],
        0
    );
}

#[tokio::test]
async fn restricted_comments_are_hidden_from_non_members() {
    let p = project("CVIS").await;
    let key = issue(&p, "Secrets").await;
    let (u, pw) = user("cvis").await;
    let member = Client::basic(&u, &pw);

    add(&admin(), &key, json!({"body": "Public"})).await;
    let secret = add(&admin(), &key, json!({"body": "Admins only", "visibility": {"type": "group", "value": "jira-administrators"}})).await;
    assert_eq!(
        secret["visibility"],
        json!({"type": "group", "value": "jira-administrators"})
    );
    let role = add(&admin(), &key, json!({"body": "Role restricted", "visibility": {"type": "role", "value": "Administrators"}})).await;
    assert_eq!(role["visibility"]["type"], "role");

    let theirs = member.get(&comments_path(&key)).await.expect(200).body;
    assert_eq!(bodies(&theirs), vec!["Public"]);
    assert_eq!(theirs["total"], 1);
    let r = member
        .get(&format!("{}/{}", comments_path(&key), id_of(&secret)))
        .await
        .expect(404);
    assert!(
        r.jira_error().contains("Can not find a comment for the id"),
        "{}",
        r.text
    );
    let r = member
        .get(&format!(
            "/rest/api/2/comment/{}/properties",
            id_of(&secret)
        ))
        .await
        .expect(404);
    r.jira_error();
    let issue_bean = member
        .get(&format!("/rest/api/2/issue/{key}?fields=comment"))
        .await
        .expect(200)
        .body;
    assert_eq!(issue_bean["fields"]["comment"]["total"], 1);

    let mine = admin().get(&comments_path(&key)).await.expect(200).body;
    assert_eq!(
        bodies(&mine),
        vec!["Public", "Admins only", "Role restricted"]
    );

    // A member cannot restrict to a group they are not in.
    let r = member
        .post(
            &comments_path(&key),
            json!({"body": "x", "visibility": {"type": "group", "value": "jira-administrators"}}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("jira-administrators"), "{}", r.text);
    // Lifting the restriction makes it visible.
    admin()
        .put(
            &format!("{}/{}", comments_path(&key), id_of(&secret)),
            json!({"body": "Now public"}),
        )
        .await
        .expect(200);
    assert_eq!(
        bodies(&member.get(&comments_path(&key)).await.expect(200).body),
        vec!["Public", "Now public"]
    );
}

#[tokio::test]
async fn outsiders_and_viewers_on_comments() {
    let p = project("CPRM").await;
    let key = issue(&p, "Who may comment").await;
    let c = add(&admin(), &key, json!({"body": "Team only"})).await;
    let (u, pw) = user("cprm").await;
    let them = Client::basic(&u, &pw);
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);

    let r = them
        .post(&comments_path(&key), json!({"body": "let me in"}))
        .await
        .expect(404);
    assert_eq!(
        r.body["errorMessages"],
        json!(["Issue does not exist or you do not have permission to see it."])
    );
    let r = them.get(&comments_path(&key)).await.expect(404);
    r.jira_error();
    let r = them
        .get(&format!("/rest/api/2/comment/{}/properties", id_of(&c)))
        .await
        .expect(404);
    r.jira_error();

    admin()
        .post(
            &format!("/rest/api/2/project/{p}/role/10004"),
            json!({"user": [u]}),
        )
        .await
        .expect(200);
    let mine = add(&them, &key, json!({"body": "Viewer comment"})).await;
    assert_eq!(mine["author"]["name"], u.as_str());
    // Viewers edit their own comments but not others'.
    them.put(
        &format!("{}/{}", comments_path(&key), id_of(&mine)),
        json!({"body": "Viewer, edited"}),
    )
    .await
    .expect(200);
    let r = them
        .put(
            &format!("{}/{}", comments_path(&key), id_of(&c)),
            json!({"body": "hijack"}),
        )
        .await
        .expect(403);
    r.jira_error();
    assert_eq!(
        bodies(&them.get(&comments_path(&key)).await.expect(200).body),
        vec!["Team only", "Viewer, edited"]
    );
}

#[tokio::test]
async fn comment_properties_crud() {
    let p = project("CPRP").await;
    let key = issue(&p, "Comment props").await;
    let c = add(&admin(), &key, json!({"body": "With properties"})).await;
    let base = format!("/rest/api/2/comment/{}/properties", id_of(&c));

    assert_eq!(admin().get(&base).await.expect(200).body["keys"], json!([]));
    admin()
        .put(&format!("{base}/reaction"), json!({"emoji": "+1"}))
        .await
        .expect(201);
    admin()
        .put(&format!("{base}/reaction"), json!({"emoji": "tada"}))
        .await
        .expect(200);
    admin()
        .put(&format!("{base}/flag"), json!(true))
        .await
        .expect(201);

    let r = admin().get(&format!("{base}/reaction")).await.expect(200);
    assert_eq!(
        r.body,
        json!({"key": "reaction", "value": {"emoji": "tada"}})
    );
    let r = admin().get(&base).await.expect(200);
    let mut keys: Vec<String> = r.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    assert_eq!(keys, vec!["flag", "reaction"]);
    assert!(
        r.body["keys"][0]["self"]
            .as_str()
            .is_some_and(|s| s.contains(&format!("/comment/{}/properties/", id_of(&c))))
    );

    admin()
        .delete(&format!("{base}/reaction"))
        .await
        .expect(204);
    let r = admin().get(&format!("{base}/reaction")).await.expect(404);
    assert!(r.jira_error().contains("reaction"), "{}", r.text);
    let r = admin()
        .delete(&format!("{base}/reaction"))
        .await
        .expect(404);
    r.jira_error();

    let r = admin()
        .put(&format!("{base}/big"), json!("x".repeat(40_000)))
        .await
        .expect(400);
    r.jira_error();
    let r = admin()
        .get("/rest/api/2/comment/987654321/properties")
        .await
        .expect(404);
    assert!(
        r.jira_error().contains("Can not find a comment"),
        "{}",
        r.text
    );
    let r = admin()
        .get("/rest/api/2/comment/notanumber/properties")
        .await
        .expect(404);
    r.jira_error();

    // Properties go with their comment.
    admin()
        .delete(&format!("{}/{}", comments_path(&key), id_of(&c)))
        .await
        .expect(204);
    let r = admin().get(&format!("{base}/flag")).await.expect(404);
    r.jira_error();
}

#[tokio::test]
async fn comments_bump_the_issue_updated_time() {
    let p = project("CBMP").await;
    let key = issue(&p, "Bump").await;
    let t0 = updated(&key).await;
    advance_clock(std::time::Duration::from_secs(1));
    let c = add(&admin(), &key, json!({"body": "bump"})).await;
    let t1 = updated(&key).await;
    assert!(t1 > t0, "{t1} should be after {t0}");
    assert!(t1.as_str() >= c["created"].as_str().unwrap());
    advance_clock(std::time::Duration::from_secs(1));
    admin()
        .put(
            &format!("{}/{}", comments_path(&key), id_of(&c)),
            json!({"body": "bump again"}),
        )
        .await
        .expect(200);
    let t2 = updated(&key).await;
    assert!(t2 > t1, "{t2} should be after {t1}");
    // Comments are not field changes: no changelog entry.
    let log = admin()
        .get(&format!("/rest/api/2/issue/{key}/changelog"))
        .await
        .expect(200)
        .body;
    assert_eq!(log["total"], 0);
}
