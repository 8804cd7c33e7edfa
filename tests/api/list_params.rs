//! List-valued query parameters take the repeated form (`fields=a&fields=b`, as python
//! `requests` encodes a list) and the comma-separated one (`fields=a,b`) alike, on every
//! route family; a repeated single-valued parameter takes its first value, as Jersey does.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, user};

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn search_get_takes_repeated_fields_and_expand() {
    let p = project("LPS").await;
    issue(&p, "Listed").await;
    let admin = Client::admin();
    for query in [
        "fields=summary&fields=comment&expand=names&expand=schema",
        "fields=summary,comment&expand=names,schema",
        "fields=summary&fields=comment&expand=names,schema",
    ] {
        let r = admin
            .get(&format!("/rest/api/2/search?jql=project={p}&{query}"))
            .await
            .expect(200);
        let hit = &r.body["issues"][0];
        assert_eq!(keys(&hit["fields"]), ["comment", "summary"], "{query}");
        assert!(
            r.body["names"]["summary"].is_string(),
            "{query}: {}",
            r.text
        );
        assert!(
            r.body["schema"]["summary"].is_object(),
            "{query}: {}",
            r.text
        );
    }
    // A repeated single-valued parameter takes its first value.
    let r = admin
        .get(&format!(
            "/rest/api/2/search?jql=project={p}&maxResults=1&maxResults=7&fields=summary"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["maxResults"], 1);
}

#[tokio::test]
async fn issue_get_takes_repeated_fields_expand_and_properties() {
    let p = project("LPI").await;
    let key = issue(&p, "Listed").await;
    let admin = Client::admin();
    admin
        .put(
            &format!("/rest/api/2/issue/{key}/properties/one"),
            json!({"a": 1}),
        )
        .await;
    let r = admin
        .get(&format!(
            "/rest/api/2/issue/{key}?fields=summary&fields=status&expand=names&expand=renderedFields&properties=one"
        ))
        .await
        .expect(200);
    assert_eq!(keys(&r.body["fields"]), ["status", "summary"]);
    assert!(r.body["names"].is_object(), "{}", r.text);
    assert!(r.body["renderedFields"].is_object(), "{}", r.text);
}

#[tokio::test]
async fn createmeta_takes_repeated_project_and_type_lists() {
    let a = project("LPCA").await;
    let b = project("LPCB").await;
    let admin = Client::admin();
    for query in [
        format!("projectKeys={a}&projectKeys={b}&issuetypeNames=Task&issuetypeNames=Bug"),
        format!("projectKeys={a},{b}&issuetypeNames=Task,Bug"),
    ] {
        let r = admin
            .get(&format!("/rest/api/2/issue/createmeta?{query}"))
            .await
            .expect(200);
        let projects = r.body["projects"].as_array().expect("projects");
        let mut got: Vec<&str> = projects.iter().filter_map(|p| p["key"].as_str()).collect();
        got.sort();
        let mut want = vec![a.as_str(), b.as_str()];
        want.sort();
        assert_eq!(got, want, "{query}");
        let mut types: Vec<&str> = projects[0]["issuetypes"]
            .as_array()
            .expect("issuetypes")
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        types.sort();
        assert_eq!(types, ["Bug", "Task"], "{query}: {}", r.text);
    }
    let id_a = admin
        .get(&format!("/rest/api/2/project/{a}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let id_b = admin
        .get(&format!("/rest/api/2/project/{b}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = admin
        .get(&format!(
            "/rest/api/2/issue/createmeta?projectIds={id_a}&projectIds={id_b}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["projects"].as_array().expect("projects").len(), 2);
}

#[tokio::test]
async fn user_bulk_takes_repeated_and_comma_separated_names() {
    let (a, _) = user("lpua").await;
    let (b, _) = user("lpub").await;
    let admin = Client::admin();
    for query in [
        format!("username={a}&username={b}"),
        format!("username={a},{b}"),
    ] {
        let r = admin
            .get(&format!("/rest/api/2/user/bulk?{query}"))
            .await
            .expect(200);
        assert_eq!(r.body["total"], 2, "{query}: {}", r.text);
    }
}

#[tokio::test]
async fn project_comment_and_permission_lists_take_repeated_values() {
    let p = project("LPP").await;
    let key = issue(&p, "Listed").await;
    let admin = Client::admin();
    let r = admin
        .get(&format!(
            "/rest/api/2/project/{p}?expand=description&expand=lead"
        ))
        .await
        .expect(200);
    assert!(r.body["lead"].is_object(), "{}", r.text);
    admin
        .post(
            &format!("/rest/api/2/issue/{key}/comment"),
            json!({"body": "*bold*"}),
        )
        .await
        .expect(201);
    let r = admin
        .get(&format!(
            "/rest/api/2/issue/{key}/comment?expand=renderedBody&expand=properties"
        ))
        .await
        .expect(200);
    assert!(
        r.body["comments"][0]["renderedBody"].is_string(),
        "{}",
        r.text
    );
    let r = admin
        .get(&format!(
            "/rest/api/2/mypermissions?projectKey={p}&permissions=BROWSE_PROJECTS&permissions=CREATE_ISSUES"
        ))
        .await
        .expect(200);
    let perms = r.body["permissions"].as_object().expect("permissions");
    assert!(perms.contains_key("BROWSE_PROJECTS"), "{}", r.text);
    assert!(perms.contains_key("CREATE_ISSUES"), "{}", r.text);
    let r = admin
        .get(&format!("/rest/api/2/project/search?keys={p}&keys=NOPE"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 1, "{}", r.text);
}
