//! The Jira Software fields: listed with Jira's names, types and schema, settable by
//! name and id on create and edit, returned on issues, searchable in JQL; Epic Link is
//! the issue's parent when that is an epic.

use serde_json::json;

use crate::agile::{AGILE, field_id, search_keys};
use crate::common::*;

#[tokio::test]
async fn the_jira_software_fields_are_listed_with_jira_types() {
    let r = Client::admin().get("/rest/api/2/field").await.expect(200);
    let fields = r.body.as_array().unwrap();
    for (name, custom, ty) in [
        ("Sprint", "com.pyxis.greenhopper.jira:gh-sprint", "array"),
        (
            "Epic Link",
            "com.pyxis.greenhopper.jira:gh-epic-link",
            "any",
        ),
        (
            "Epic Name",
            "com.pyxis.greenhopper.jira:gh-epic-label",
            "string",
        ),
        (
            "Epic Status",
            "com.pyxis.greenhopper.jira:gh-epic-status",
            "option",
        ),
        (
            "Epic Colour",
            "com.pyxis.greenhopper.jira:gh-epic-color",
            "string",
        ),
        ("Rank", "com.pyxis.greenhopper.jira:gh-lexo-rank", "any"),
        (
            "Story Points",
            "com.atlassian.jira.plugin.system.customfieldtypes:float",
            "number",
        ),
    ] {
        let f = fields
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(f["id"].as_str().unwrap().starts_with("customfield_"), "{f}");
        assert_eq!(f["custom"], true);
        assert_eq!(f["schema"]["custom"], custom, "{name}");
        assert_eq!(f["schema"]["type"], ty, "{name}");
    }
}

#[tokio::test]
async fn story_points_epic_link_and_rank_through_the_platform_api() {
    let admin = Client::admin();
    let key = project("AGX").await;
    let points = field_id("Story Points").await;
    let epic_name = field_id("Epic Name").await;
    let epic_link = field_id("Epic Link").await;
    let epic = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": key}, "summary": "The epic",
            "issuetype": {"name": "Epic"}, epic_name.clone(): "Big thing"}}),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    // By name on create, by id on edit.
    let story = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": key}, "summary": "A story",
            "issuetype": {"name": "Story"}, "Story Points": 5, "Epic Link": epic}}),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let small = issue(&key, "small").await;
    admin
        .put(
            &format!("/rest/api/2/issue/{small}"),
            json!({"fields": {points.clone(): 2.5}}),
        )
        .await
        .expect(204);
    let e = admin
        .put(
            &format!("/rest/api/2/issue/{small}"),
            json!({"fields": {points.clone(): "many"}}),
        )
        .await
        .expect(400);
    e.jira_error();

    let got = admin
        .get(&format!("/rest/api/2/issue/{story}"))
        .await
        .expect(200);
    assert_eq!(got.body["fields"][&points], 5.0);
    assert_eq!(got.body["fields"][&epic_link], epic.as_str());
    assert_eq!(
        got.body["fields"]["parent"]["key"],
        epic.as_str(),
        "Epic Link is the parent"
    );
    let e = admin
        .get(&format!("/rest/api/2/issue/{epic}?fields={epic_name}"))
        .await
        .expect(200);
    assert_eq!(e.body["fields"][&epic_name], "Big thing");
    let rank = field_id("Rank").await;
    let r = admin
        .get(&format!("/rest/api/2/issue/{small}?fields={rank}"))
        .await
        .expect(200);
    assert!(
        r.body["fields"][&rank].is_string(),
        "a new issue is ranked: {}",
        r.text
    );

    // JQL.
    assert_eq!(
        search_keys(&format!("project = {key} AND \"Story Points\" > 3")).await,
        vec![story.clone()]
    );
    assert_eq!(
        search_keys(&format!("project = {key} AND \"Story Points\" <= 2.5")).await,
        vec![small.clone()]
    );
    assert_eq!(
        search_keys(&format!("project = {key} AND \"Epic Link\" = {epic}")).await,
        vec![story.clone()]
    );
    assert_eq!(
        search_keys(&format!("project = {key} ORDER BY Rank ASC")).await,
        [epic.clone(), story.clone(), small.clone()]
    );
    assert_eq!(
        search_keys(&format!("project = {key} ORDER BY Rank DESC")).await,
        [small.clone(), story.clone(), epic.clone()]
    );
    // Epic Link set to null on edit clears the parent.
    admin
        .put(
            &format!("/rest/api/2/issue/{story}"),
            json!({"fields": {epic_link.clone(): null}}),
        )
        .await
        .expect(204);
    assert!(
        search_keys(&format!("project = {key} AND \"Epic Link\" = {epic}"))
            .await
            .is_empty()
    );

    // Sprint set by id on create is the agile sprint membership.
    let board = crate::agile::project_board(&admin, &key).await;
    let s = crate::agile::sprint(&admin, board, "By field").await;
    let in_sprint = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": key}, "summary": "sprinted",
            "issuetype": {"name": "Task"}, "Sprint": s}}),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin
        .get(&format!("{AGILE}/sprint/{s}/issue"))
        .await
        .expect(200);
    assert_eq!(crate::agile::keys(&r), [in_sprint]);
    let e = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": key}, "summary": "x",
            "issuetype": {"name": "Task"}, "Sprint": 99999999}}),
        )
        .await
        .expect(400);
    assert!(e.jira_error().contains("does not exist"), "{}", e.text);
}
