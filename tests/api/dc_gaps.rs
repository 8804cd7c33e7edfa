//! Smaller Jira Data Center behaviours clients rely on: removing one's vote, a worklog
//! update echoing `timeSpent` as given, bulk create's per-field wording, editmeta's
//! full field list, and project `expand`.

use serde_json::{Value, json};

use crate::common::{Client, issue, project, user};

#[tokio::test]
async fn a_voter_can_remove_their_vote() {
    let p = project("DGV").await;
    let key = issue(&p, "Vote on me").await;
    let (name, password) = user("dgv").await;
    let voter = Client::basic(&name, &password);
    voter
        .post(&format!("/rest/api/2/issue/{key}/votes"), json!(null))
        .await
        .expect(204);
    let votes = voter
        .get(&format!("/rest/api/2/issue/{key}/votes"))
        .await
        .expect(200);
    assert_eq!(votes.body["votes"], 1, "{}", votes.text);
    assert_eq!(votes.body["hasVoted"], true);
    voter
        .delete(&format!("/rest/api/2/issue/{key}/votes"))
        .await
        .expect(204);
    let votes = voter
        .get(&format!("/rest/api/2/issue/{key}/votes"))
        .await
        .expect(200);
    assert_eq!(votes.body["votes"], 0, "{}", votes.text);
    assert_eq!(votes.body["hasVoted"], false);
}

#[tokio::test]
async fn a_worklog_update_echoes_time_spent_as_given() {
    let p = project("DGW").await;
    let key = issue(&p, "Work on me").await;
    let admin = Client::admin();
    let w = admin
        .post(
            &format!("/rest/api/2/issue/{key}/worklog"),
            json!({"timeSpent": "1h"}),
        )
        .await
        .expect(201);
    let id = w.body["id"].as_str().expect("id").to_string();
    let r = admin
        .put(
            &format!("/rest/api/2/issue/{key}/worklog/{id}"),
            json!({"timeSpent": "1h 30m"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["timeSpent"], "1h 30m", "{}", r.text);
    assert_eq!(r.body["timeSpentSeconds"], 5400);
}

#[tokio::test]
async fn bulk_create_words_each_missing_field_as_jira_does() {
    let p = project("DGB").await;
    let r = Client::admin()
        .post(
            "/rest/api/2/issue/bulk",
            json!({"issueUpdates": [
                {"fields": {"project": {"key": p}, "summary": "No type"}},
                {"fields": {"project": {"key": p}, "issuetype": {"name": "Task"}}},
            ]}),
        )
        .await;
    let errors = r.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{}", r.text);
    let by = |n: u64| -> &Value {
        errors
            .iter()
            .find(|e| e["failedElementNumber"] == n)
            .unwrap_or_else(|| panic!("{n} in {}", r.text))
    };
    assert_eq!(
        by(0)["elementErrors"]["errors"]["issuetype"],
        "issue type is required",
        "{}",
        r.text
    );
    assert_eq!(by(0)["status"], 400);
    assert_eq!(
        by(1)["elementErrors"]["errors"]["summary"],
        "You must specify a summary of the issue.",
        "{}",
        r.text
    );
}

#[tokio::test]
async fn editmeta_lists_links_and_attachments() {
    let p = project("DGE").await;
    let key = issue(&p, "Edit me").await;
    let r = Client::admin()
        .get(&format!("/rest/api/2/issue/{key}/editmeta"))
        .await
        .expect(200);
    let fields = r.body["fields"].as_object().expect("fields");
    for id in ["summary", "issuelinks", "attachment", "comment", "labels"] {
        assert!(fields.contains_key(id), "{id}: {}", r.text);
    }
    assert_eq!(fields["issuelinks"]["schema"]["type"], "array");
    assert_eq!(fields["issuelinks"]["schema"]["items"], "issuelinks");
    assert_eq!(fields["attachment"]["schema"]["items"], "attachment");
}

#[tokio::test]
async fn project_expand_adds_what_jira_omits_without_it() {
    let p = project("DGP").await;
    let admin = Client::admin();
    let all = admin.get("/rest/api/2/project").await.expect(200);
    let plain = all
        .body
        .as_array()
        .expect("projects")
        .iter()
        .find(|x| x["key"] == p.as_str())
        .expect("listed")
        .clone();
    for omitted in ["description", "lead", "issueTypes", "url", "projectKeys"] {
        assert!(plain.get(omitted).is_none(), "{omitted}: {plain}");
    }
    let all = admin
        .get("/rest/api/2/project?expand=description,lead,issueTypes,url,projectKeys")
        .await
        .expect(200);
    let full = all
        .body
        .as_array()
        .expect("projects")
        .iter()
        .find(|x| x["key"] == p.as_str())
        .expect("listed")
        .clone();
    for added in ["description", "lead", "issueTypes", "projectKeys"] {
        assert!(full.get(added).is_some(), "{added}: {full}");
    }
    assert_eq!(full["projectKeys"], json!([p]));
}

#[tokio::test]
async fn search_expands_every_hit() {
    let p = project("DGS").await;
    let key = issue(&p, "Find me").await;
    let admin = Client::admin();
    admin
        .put(
            &format!("/rest/api/2/issue/{key}"),
            json!({"fields": {"summary": "Found me"}}),
        )
        .await
        .expect(204);
    let r = admin
        .get(&format!(
            "/rest/api/2/search?jql=project={p}&expand=changelog,renderedFields,transitions,operations,editmeta"
        ))
        .await
        .expect(200);
    let hit = &r.body["issues"][0];
    assert_eq!(hit["key"], key.as_str());
    let histories = hit["changelog"]["histories"].as_array().expect("histories");
    assert!(
        histories
            .iter()
            .any(|h| h["items"][0]["field"] == "summary"),
        "{}",
        r.text
    );
    assert!(hit["renderedFields"].is_object(), "{}", r.text);
    assert!(
        hit["transitions"].as_array().is_some_and(|t| !t.is_empty()),
        "{}",
        r.text
    );
    assert!(hit["operations"].is_object(), "{}", r.text);
    assert!(
        hit["editmeta"]["fields"]["summary"].is_object(),
        "{}",
        r.text
    );
    // Names and schemas come once, for the page, as Jira answers them.
    for path in [
        format!("/rest/api/2/search?jql=project={p}&expand=names,schema"),
        format!("/rest/api/3/search/jql?jql=project={p}&fields=summary&expand=names,schema"),
    ] {
        let r = admin.get(&path).await.expect(200);
        assert_eq!(r.body["names"]["summary"], "Summary", "{path}: {}", r.text);
        assert_eq!(r.body["schema"]["summary"]["type"], "string", "{path}");
        let hit = &r.body["issues"][0];
        assert!(
            hit.get("names").is_none() && hit.get("schema").is_none(),
            "{path}: {hit}"
        );
    }
}

/// `mypermissions` answers as Data Center does: every permission, the Jira Software
/// and service-desk ones included, then the pre-Jira-7 keys marked `deprecatedKey`;
/// asked by an old key, it answers under that key. Service Desk Agent is held by the
/// desk's agents and not by its customers.
#[tokio::test]
async fn my_permissions_lists_software_service_desk_and_deprecated_keys() {
    let d = crate::servicedesk::desk("MYP").await;
    let all = d
        .agent
        .get("/rest/api/2/mypermissions")
        .await
        .expect(200)
        .body;
    let all = &all["permissions"];
    for key in [
        "MANAGE_SPRINTS_PERMISSION",
        "SERVICEDESK_AGENT",
        "VIEW_DEV_TOOLS",
        "BROWSE_PROJECTS",
    ] {
        assert_eq!(all[key]["type"], "PROJECT", "{key}");
        assert!(all[key].get("deprecatedKey").is_none(), "{key}");
    }
    assert_eq!(all["BROWSE"]["deprecatedKey"], true);
    assert_eq!(all["CREATE_ISSUE"]["name"], "Create Issues");
    let mine = |c: &Client, query: String| {
        let c = c.clone();
        async move {
            c.get(&format!("/rest/api/2/mypermissions?{query}"))
                .await
                .expect(200)
                .body
        }
    };
    let agent = mine(
        &d.agent,
        format!("projectKey={}&permissions=SERVICEDESK_AGENT,BROWSE", d.key),
    )
    .await;
    assert_eq!(
        agent["permissions"]["SERVICEDESK_AGENT"]["havePermission"],
        true
    );
    assert_eq!(agent["permissions"]["BROWSE"]["havePermission"], true);
    assert_eq!(agent["permissions"]["BROWSE"]["deprecatedKey"], true);
    assert_eq!(agent["permissions"].as_object().map(|m| m.len()), Some(2));
    let customer = mine(
        &d.c1,
        format!("projectKey={}&permissions=SERVICEDESK_AGENT", d.key),
    )
    .await;
    assert_eq!(
        customer["permissions"]["SERVICEDESK_AGENT"]["havePermission"],
        false
    );
    d.agent
        .get("/rest/api/2/mypermissions?permissions=NO_SUCH_THING")
        .await
        .expect(400)
        .jira_error();
}
