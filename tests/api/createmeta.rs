//! Create metadata per project (Jira 8.4+, the only create metadata python `jira` asks a
//! Data Center 9 server for): paged issue types and paged field metas.

use serde_json::Value;

use crate::common::{Client, project};

fn values(v: &Value) -> &Vec<Value> {
    v["values"].as_array().expect("values")
}

#[tokio::test]
async fn project_issue_types_are_paged_issue_type_beans() {
    let p = project("CMT").await;
    let admin = Client::admin();
    let all = admin
        .get(&format!("/rest/api/2/issue/createmeta/{p}/issuetypes"))
        .await
        .expect(200);
    let types = values(&all.body);
    assert!(types.len() >= 2, "{}", all.text);
    assert_eq!(all.body["total"], types.len());
    assert_eq!(all.body["startAt"], 0);
    assert_eq!(all.body["maxResults"], 50);
    assert_eq!(all.body["isLast"], true);
    let task = types
        .iter()
        .find(|t| t["name"] == "Task")
        .expect("a Task type");
    assert!(task["id"].is_string() && task["self"].is_string(), "{task}");
    assert_eq!(task["subtask"], false);
    assert!(task["iconUrl"].is_string());

    // By project id too, and paged.
    let id = admin
        .get(&format!("/rest/api/2/project/{p}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .expect("id")
        .to_string();
    let page = admin
        .get(&format!(
            "/rest/api/2/issue/createmeta/{id}/issuetypes?startAt=1&maxResults=1"
        ))
        .await
        .expect(200);
    assert_eq!(values(&page.body).len(), 1);
    assert_eq!(values(&page.body)[0], types[1]);
    assert_eq!(page.body["isLast"], types.len() <= 2);
    assert_eq!(page.body["total"], types.len());

    let r = admin
        .get("/rest/api/2/issue/createmeta/NOSUCHPRJ/issuetypes")
        .await
        .expect(404);
    assert!(r.jira_error().contains("NOSUCHPRJ"), "{}", r.text);
}

#[tokio::test]
async fn project_issue_type_fields_are_paged_field_metas() {
    let p = project("CMF").await;
    let admin = Client::admin();
    let types = admin
        .get(&format!("/rest/api/2/issue/createmeta/{p}/issuetypes"))
        .await
        .expect(200);
    let task = values(&types.body)
        .iter()
        .find(|t| t["name"] == "Task")
        .expect("Task")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = admin
        .get(&format!(
            "/rest/api/2/issue/createmeta/{p}/issuetypes/{task}"
        ))
        .await
        .expect(200);
    let fields = values(&r.body);
    assert_eq!(r.body["total"], fields.len());
    assert_eq!(r.body["isLast"], true);
    let by_id = |id: &str| {
        fields
            .iter()
            .find(|f| f["fieldId"] == id)
            .unwrap_or_else(|| panic!("{id} in {}", r.text))
    };
    let summary = by_id("summary");
    assert_eq!(summary["required"], true);
    assert_eq!(summary["name"], "Summary");
    assert_eq!(summary["schema"]["type"], "string");
    assert_eq!(summary["hasDefaultValue"], false);
    assert!(summary["operations"].is_array());
    let issuetype = by_id("issuetype");
    assert_eq!(issuetype["required"], true);
    assert_eq!(issuetype["allowedValues"][0]["id"], task.as_str());
    assert_eq!(by_id("project")["required"], true);
    assert!(by_id("priority")["allowedValues"].is_array());
    assert_eq!(by_id("description")["required"], false);

    let page = admin
        .get(&format!(
            "/rest/api/2/issue/createmeta/{p}/issuetypes/{task}?maxResults=2"
        ))
        .await
        .expect(200);
    assert_eq!(values(&page.body).len(), 2);
    assert_eq!(page.body["isLast"], false);
    assert_eq!(page.body["total"], fields.len());

    let r = admin
        .get(&format!(
            "/rest/api/2/issue/createmeta/{p}/issuetypes/99999"
        ))
        .await
        .expect(404);
    assert!(r.jira_error().contains("99999"), "{}", r.text);
}
