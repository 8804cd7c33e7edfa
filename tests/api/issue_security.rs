//! Issue security schemes and levels: the administration over REST, the `security`
//! field, and an issue with a level being invisible to users outside it on every
//! surface (404 as if it did not exist, no key, title or count leaking).

use serde_json::{Value, json};

use crate::common::*;

/// A scheme with one level "Secret" (admins, reporter, assignee), used by a new project.
async fn secured_project(admin: &Client, prefix: &str) -> (String, i64, i64) {
    let key = project_with(admin, prefix).await;
    let name = format!("Scheme {key}");
    let r = admin
        .post(
            "/rest/api/2/issuesecurityschemes",
            json!({"name": name, "description": "d", "levels": [
                {"name": "Secret", "description": "Only insiders", "members": [
                    {"type": "group", "parameter": "jira-administrators"},
                    {"type": "reporter"}, {"type": "assignee"}]},
                {"name": "Open", "description": "", "isDefault": true, "members": [{"type": "applicationRole"}]}
            ]}),
        )
        .await
        .expect(201);
    let scheme: i64 = r.body["id"].as_str().unwrap().parse().unwrap();
    admin
        .put(
            "/rest/api/2/issuesecurityschemes/project",
            json!({"projectId": key, "schemeId": scheme}),
        )
        .await
        .expect(204);
    let s = admin
        .get(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(200);
    let level = s.body["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Secret")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    (key, scheme, level)
}

#[tokio::test]
async fn security_scheme_administration_and_errors() {
    let admin = Client::admin();
    let (key, scheme, level) = secured_project(&admin, "SECA").await;
    let (user, pw) = user("secu").await;
    let outsider = Client::basic(&user, &pw);

    // Reads.
    let all = admin
        .get("/rest/api/2/issuesecurityschemes")
        .await
        .expect(200);
    assert!(
        all.body["issueSecuritySchemes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == scheme)
    );
    let s = admin
        .get(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(200);
    let open = s.body["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Open")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(s.body["defaultSecurityLevelId"].to_string(), open);
    let l = admin
        .get(&format!("/rest/api/2/securitylevel/{level}"))
        .await
        .expect(200);
    assert_eq!(l.body["name"], "Secret");
    assert_eq!(l.body["description"], "Only insiders");
    let p = admin
        .get(&format!(
            "/rest/api/2/project/{key}/issuesecuritylevelscheme"
        ))
        .await
        .expect(200);
    assert_eq!(p.body["id"], scheme);
    let mine = admin
        .get(&format!("/rest/api/2/project/{key}/securitylevel"))
        .await
        .expect(200);
    assert_eq!(mine.body["levels"].as_array().unwrap().len(), 2);
    // Without Set Issue Security the list is empty.
    let theirs = outsider
        .get(&format!("/rest/api/2/project/{key}/securitylevel"))
        .await
        .expect(200);
    assert_eq!(theirs.body["levels"], json!([]));

    // Errors.
    admin
        .get("/rest/api/2/issuesecurityschemes/999999")
        .await
        .expect(404);
    admin
        .get("/rest/api/2/securitylevel/999999")
        .await
        .expect(404);
    admin
        .get("/rest/api/2/issuesecurityschemes/abc")
        .await
        .expect(404);
    outsider
        .get("/rest/api/2/issuesecurityschemes")
        .await
        .expect(403);
    outsider
        .get(&format!(
            "/rest/api/2/project/{key}/issuesecuritylevelscheme"
        ))
        .await
        .expect(403);
    Client::anonymous()
        .get("/rest/api/2/issuesecurityschemes")
        .await
        .expect(401);
    outsider
        .post("/rest/api/2/issuesecurityschemes", json!({"name": "x"}))
        .await
        .expect(403);
    let dup = admin
        .post(
            "/rest/api/2/issuesecurityschemes",
            json!({"name": format!("Scheme {key}")}),
        )
        .await
        .expect(400);
    assert!(dup.jira_error().contains("already exists"), "{}", dup.text);
    admin
        .post("/rest/api/2/issuesecurityschemes", json!({"name": " "}))
        .await
        .expect(400);
    let bad_member = admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level/{level}/member"),
            json!({"members": [{"type": "wizard"}]}),
        )
        .await
        .expect(400);
    assert!(bad_member.jira_error().contains("wizard"));
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level/{level}/member"),
            json!({"members": [{"type": "group", "parameter": "no-such-group"}]}),
        )
        .await
        .expect(400);
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level/999999/member"),
            json!({"members": [{"type": "reporter"}]}),
        )
        .await
        .expect(404);
    let in_use = admin
        .delete(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(400);
    assert!(in_use.jira_error().contains("used by projects"));
    admin
        .put(
            "/rest/api/2/issuesecurityschemes/project",
            json!({"projectId": key, "schemeId": 999999}),
        )
        .await
        .expect(404);

    // Writes: rename, add a level, add and remove a member, remove the level.
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}"),
            json!({"name": format!("Renamed {key}"), "description": "new"}),
        )
        .await
        .expect(204);
    let s = admin
        .get(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(200);
    assert_eq!(s.body["name"], format!("Renamed {key}"));
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level"),
            json!({"levels": [{"name": "Extra", "members": []}]}),
        )
        .await
        .expect(204);
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level"),
            json!({"levels": [{"name": "extra"}]}),
        )
        .await
        .expect(400);
    let s = admin
        .get(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(200);
    let extra = s.body["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Extra")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level/{extra}/member"),
            json!({"members": [{"type": "user", "parameter": user}]}),
        )
        .await
        .expect(204);
    // The outsider is now in "Extra", but still lacks Set Issue Security.
    admin
        .delete(&format!(
            "/rest/api/2/issuesecurityschemes/{scheme}/level/{extra}/member/999999"
        ))
        .await
        .expect(404);
    admin
        .delete(&format!(
            "/rest/api/2/issuesecurityschemes/{scheme}/level/{extra}?replaceWith={extra}"
        ))
        .await
        .expect(400);
    admin
        .delete(&format!(
            "/rest/api/2/issuesecurityschemes/{scheme}/level/{extra}"
        ))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/securitylevel/{extra}"))
        .await
        .expect(404);

    // Detach, then delete.
    admin
        .put(
            "/rest/api/2/issuesecurityschemes/project",
            json!({"projectId": key, "schemeId": null}),
        )
        .await
        .expect(204);
    admin
        .get(&format!(
            "/rest/api/2/project/{key}/issuesecuritylevelscheme"
        ))
        .await
        .expect(404);
    admin
        .delete(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(204);
    admin
        .get(&format!("/rest/api/2/issuesecurityschemes/{scheme}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn security_field_default_errors_and_changelog() {
    let admin = Client::admin();
    let (key, _, level) = secured_project(&admin, "SECF").await;
    // The scheme's default level ("Open") applies on create.
    let plain = issue_with(&admin, &key, "defaulted").await;
    let v = admin
        .get(&format!("/rest/api/2/issue/{plain}"))
        .await
        .expect(200);
    assert_eq!(v.body["fields"]["security"]["name"], "Open");
    // A level of another scheme or an unknown one: Jira's field error.
    let bad = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "s", "issuetype": {"name": "Task"}, "security": {"name": "Nope"}}}))
        .await
        .expect(400);
    assert!(bad.body["errors"]["security"].is_string(), "{}", bad.text);
    // Without Set Issue Security the field cannot be set.
    let (user, pw) = user("secf").await;
    let member = Client::basic(&user, &pw);
    let refused = member
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "s", "issuetype": {"name": "Task"}, "security": {"id": level.to_string()}}}))
        .await
        .expect(400);
    assert!(
        refused.body["errors"]["security"].is_string(),
        "{}",
        refused.text
    );
    // Set on edit, rendered, and recorded in the changelog; cleared with null.
    admin
        .put(
            &format!("/rest/api/2/issue/{plain}"),
            json!({"fields": {"security": {"id": level.to_string()}}}),
        )
        .await
        .expect(204);
    let v = admin
        .get(&format!("/rest/api/2/issue/{plain}?expand=changelog"))
        .await
        .expect(200);
    assert_eq!(v.body["fields"]["security"]["id"], level.to_string());
    assert_eq!(v.body["fields"]["security"]["name"], "Secret");
    let items: Vec<&Value> = v.body["changelog"]["histories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["items"].as_array().unwrap())
        .collect();
    assert!(
        items.iter().any(|i| i["field"] == "security"
            && i["toString"] == "Secret"
            && i["fromString"] == "Open"),
        "{items:?}"
    );
    admin
        .put(
            &format!("/rest/api/2/issue/{plain}"),
            json!({"fields": {"security": null}}),
        )
        .await
        .expect(204);
    let v = admin
        .get(&format!("/rest/api/2/issue/{plain}"))
        .await
        .expect(200);
    assert!(v.body["fields"]["security"].is_null());
}

/// Whether `text` names the hidden issue at all.
fn leaks(text: &str, key: &str, summary: &str) -> bool {
    text.contains(&format!("\"{key}\"")) || text.contains(summary)
}

#[tokio::test]
async fn an_issue_behind_a_level_is_invisible_outside_it_everywhere() {
    let admin = Client::admin();
    let (key, _, level) = secured_project(&admin, "SECV").await;
    let (out_name, out_pw) = user("secout").await;
    let (rep_name, rep_pw) = user("secrep").await;
    let (asg_name, asg_pw) = user("secasg").await;
    let outsider = Client::basic(&out_name, &out_pw);
    let reporter = Client::basic(&rep_name, &rep_pw);
    let assignee = Client::basic(&asg_name, &asg_pw);
    let summary = format!("zebracrossing{}", key.to_lowercase());
    let r = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": summary, "issuetype": {"name": "Task"},
            "security": {"name": "Secret"}, "reporter": {"name": rep_name}, "assignee": {"name": asg_name}}}))
        .await
        .expect(201);
    let secret = r.body["key"].as_str().unwrap().to_string();
    let visible = issue_with(&admin, &key, "an open one").await;
    admin
        .post("/rest/api/2/issueLink", json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": visible}, "outwardIssue": {"key": secret}}))
        .await
        .expect(201);
    admin
        .post(
            &format!("/rest/api/2/issue/{secret}/comment"),
            json!({"body": "hush"}),
        )
        .await
        .expect(201);
    let upload = admin
        .authorize(admin.http.post(format!("{}/rest/api/2/issue/{secret}/attachments", admin.base)))
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .header("x-atlassian-token", "no-check")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n")
        .send()
        .await
        .unwrap();
    let att = Reply::read(upload).await.expect(200);
    let att_id = att.body[0]["id"].as_str().map(String::from);

    // Issue-scoped surfaces: 404, as for a missing issue.
    let missing = outsider
        .get(&format!("/rest/api/2/issue/{key}-999999"))
        .await;
    for path in [
        format!("/rest/api/2/issue/{secret}"),
        format!("/rest/api/2/issue/{secret}/comment"),
        format!("/rest/api/2/issue/{secret}/worklog"),
        format!("/rest/api/2/issue/{secret}/watchers"),
        format!("/rest/api/2/issue/{secret}/remotelink"),
        format!("/rest/api/2/issue/{secret}/properties"),
        format!("/rest/api/2/issue/{secret}/transitions"),
        format!("/rest/api/2/issue/{secret}/editmeta"),
        format!("/rest/api/2/issue/{secret}/changelog"),
        format!("/v1/issues/{secret}/activity"),
        format!("/v1/issues/{secret}/links"),
        format!("/v1/issues/{secret}/subissues"),
        format!("/v1/issues/{secret}/attachments"),
        format!("/v2/issues/{secret}/attachments"),
    ] {
        let r = outsider.get(&path).await;
        assert_eq!(r.status.as_u16(), 404, "{path}: {}", r.text);
        assert!(!leaks(&r.text, &secret, &summary), "{path}: {}", r.text);
    }
    assert_eq!(missing.status.as_u16(), 404);
    outsider
        .put(
            &format!("/rest/api/2/issue/{secret}"),
            json!({"fields": {"summary": "x"}}),
        )
        .await
        .expect(404);
    outsider
        .post(
            &format!("/rest/api/2/issue/{secret}/comment"),
            json!({"body": "x"}),
        )
        .await
        .expect(404);
    {
        let id = att_id.as_deref().expect("attachment id");
        let r = outsider.get(&format!("/rest/api/2/attachment/{id}")).await;
        assert_eq!(r.status.as_u16(), 404, "{}", r.text);
        outsider
            .get(&format!("/rest/api/2/attachment/content/{id}"))
            .await
            .expect(404);
    }

    // Search, counts, picker, links of other issues.
    let s = outsider
        .get(&format!("/rest/api/2/search?jql=project%3D{key}"))
        .await
        .expect(200);
    assert_eq!(s.body["total"], 1, "{}", s.text);
    assert!(!leaks(&s.text, &secret, &summary));
    let s = outsider
        .get(&format!("/rest/api/2/search?jql=text~{summary}"))
        .await
        .expect(200);
    assert_eq!(s.body["total"], 0);
    let s = outsider
        .get(&format!(
            "/rest/api/2/search?jql=project%3D{key}%20AND%20level%3DSecret"
        ))
        .await
        .expect(200);
    assert_eq!(s.body["total"], 0);
    let c = outsider
        .post(
            "/rest/api/3/search/approximate-count",
            json!({"jql": format!("project = {key}")}),
        )
        .await;
    assert_eq!(c.status.as_u16(), 200, "{}", c.text);
    assert_eq!(c.body["count"], 1, "{}", c.text);
    let p = outsider
        .get(&format!("/rest/api/2/issue/picker?query={summary}"))
        .await
        .expect(200);
    assert!(!leaks(&p.text, &secret, &summary), "{}", p.text);
    let v = outsider
        .get(&format!("/rest/api/2/issue/{visible}"))
        .await
        .expect(200);
    assert!(!v.text.contains(&secret), "{}", v.text);

    // Admin (group member), reporter and assignee see it.
    for (who, c) in [
        ("admin", &admin),
        ("reporter", &reporter),
        ("assignee", &assignee),
    ] {
        let r = c.get(&format!("/rest/api/2/issue/{secret}")).await;
        assert_eq!(r.status.as_u16(), 200, "{who}: {}", r.text);
        let s = c
            .get(&format!("/rest/api/2/search?jql=project%3D{key}"))
            .await
            .expect(200);
        assert_eq!(s.body["total"], 2, "{who}: {}", s.text);
        let s = c
            .get(&format!(
                "/rest/api/2/search?jql=level%3DSecret%20AND%20project%3D{key}"
            ))
            .await
            .expect(200);
        assert_eq!(s.body["total"], 1, "{who}");
    }
    let s = admin
        .get(&format!(
            "/rest/api/2/search?jql=project%3D{key}%20AND%20level%20is%20EMPTY"
        ))
        .await
        .expect(200);
    assert_eq!(
        s.body["total"], 0,
        "the open issue got the default level: {}",
        s.text
    );
    let s = admin
        .get(&format!(
            "/rest/api/2/search?jql=project%3D{key}%20AND%20level%20in%20(Secret%2C%20Open)"
        ))
        .await
        .expect(200);
    assert_eq!(s.body["total"], 2);
    let v = admin
        .get(&format!("/rest/api/2/issue/{visible}"))
        .await
        .expect(200);
    assert!(v.text.contains(&secret));

    // A group member and a role member are let in once added.
    let s = outsider.get(&format!("/rest/api/2/issue/{secret}")).await;
    assert_eq!(s.status.as_u16(), 404);
    let scheme = admin
        .get(&format!(
            "/rest/api/2/project/{key}/issuesecuritylevelscheme"
        ))
        .await
        .expect(200)
        .body["id"]
        .clone();
    admin
        .put(
            &format!("/rest/api/2/issuesecurityschemes/{scheme}/level/{level}/member"),
            json!({"members": [{"type": "projectRole", "parameter": "10003"}]}),
        )
        .await
        .expect(204);
    outsider
        .get(&format!("/rest/api/2/issue/{secret}"))
        .await
        .expect(200);
    let s = outsider
        .get(&format!("/rest/api/2/search?jql=project%3D{key}"))
        .await
        .expect(200);
    assert_eq!(s.body["total"], 2);
}

/// `issueSecurityScheme` on project create is the project's scheme from the start (its
/// default level applies to the first issue); an unknown one is refused, and an update
/// may not swap it behind the level remapping of `issuesecurityschemes/project`.
#[tokio::test]
async fn a_project_created_with_a_security_scheme_uses_it() {
    let admin = Client::admin();
    let name = format!("Create-time scheme {}", unique_key("CS"));
    let r = admin
        .post(
            "/rest/api/2/issuesecurityschemes",
            json!({"name": name, "levels": [
                {"name": "Team", "description": "", "isDefault": true, "members": [{"type": "applicationRole"}]}
            ]}),
        )
        .await
        .expect(201);
    let scheme = r.body["id"].as_str().expect("id").to_string();
    let key = unique_key("SECC");
    admin
        .post(
            "/rest/api/2/project",
            json!({"key": key, "name": format!("P {key}"), "projectTypeKey": "software", "issueSecurityScheme": scheme}),
        )
        .await
        .expect(201);
    let used = admin
        .get(&format!(
            "/rest/api/2/project/{key}/issuesecuritylevelscheme"
        ))
        .await
        .expect(200);
    assert_eq!(used.body["id"].to_string().trim_matches('"'), scheme);
    let issue = issue_with(&admin, &key, "First").await;
    let view = admin
        .get(&format!("/rest/api/2/issue/{issue}"))
        .await
        .expect(200);
    assert_eq!(view.body["fields"]["security"]["name"], "Team");
    let bad = admin
        .post(
            "/rest/api/2/project",
            json!({"key": unique_key("SECB"), "name": "Bad security", "projectTypeKey": "software", "issueSecurityScheme": 4242}),
        )
        .await
        .expect(400);
    assert!(bad.text.contains("issueSecurityScheme"), "{}", bad.text);
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"issueSecurityScheme": 10000}),
        )
        .await
        .expect(400);
    admin
        .put(
            &format!("/rest/api/2/project/{key}"),
            json!({"issueSecurityScheme": scheme}),
        )
        .await
        .expect(201);
}

/// A sub-task the caller may see does not show a parent they may not: no key or
/// summary of the hidden parent in the sub-task's view.
#[tokio::test]
async fn a_visible_sub_task_does_not_reveal_a_hidden_parent() {
    let admin = Client::admin();
    let (key, _, _) = secured_project(&admin, "SECP").await;
    let (name, pw) = user("secpar").await;
    let outsider = Client::basic(&name, &pw);
    let summary = format!("hiddenparent{}", key.to_lowercase());
    let parent = admin
        .post(
            "/rest/api/2/issue",
            json!({"fields": {"project": {"key": key}, "summary": summary,
            "issuetype": {"name": "Task"}, "security": {"name": "Secret"}}}),
        )
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let child = admin
        .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": "open child",
            "issuetype": {"name": "Sub-task"}, "parent": {"key": parent}, "security": {"name": "Open"}}}))
        .await
        .expect(201)
        .body["key"]
        .as_str()
        .unwrap()
        .to_string();
    let r = outsider
        .get(&format!("/rest/api/2/issue/{child}"))
        .await
        .expect(200);
    assert!(!leaks(&r.text, &parent, &summary), "{}", r.text);
    assert!(r.body["fields"]["parent"].is_null(), "{}", r.text);
    // Members of the level still see the parent.
    let mine = admin
        .get(&format!("/rest/api/2/issue/{child}"))
        .await
        .expect(200);
    assert_eq!(mine.body["fields"]["parent"]["key"], parent.as_str());
}

/// JQL autocomplete offers the levels of the caller's projects that let them in, and
/// keeps quiet about the others.
#[tokio::test]
async fn level_suggestions_name_only_levels_the_caller_is_in() {
    let admin = Client::admin();
    let key = project_with(&admin, "SECS").await;
    let tag = key.to_lowercase();
    let r = admin
        .post(
            "/rest/api/2/issuesecurityschemes",
            json!({"name": format!("Suggest {key}"), "levels": [
                {"name": format!("Boardroom {tag}"), "description": "", "members": [{"type": "group", "parameter": "jira-administrators"}]},
                {"name": format!("Lobby {tag}"), "description": "", "members": [{"type": "applicationRole"}]}
            ]}),
        )
        .await
        .expect(201);
    let scheme: i64 = r.body["id"].as_str().unwrap().parse().unwrap();
    admin
        .put(
            "/rest/api/2/issuesecurityschemes/project",
            json!({"projectId": key, "schemeId": scheme}),
        )
        .await
        .expect(204);
    let (name, pw) = user("secsug").await;
    let outsider = Client::basic(&name, &pw);
    let values = |c: Client, typed: String| async move {
        let r = c
            .get(&format!(
                "/rest/api/2/jql/autocompletedata/suggestions?fieldName=level&fieldValue={typed}"
            ))
            .await
            .expect(200);
        r.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        values(admin.clone(), "board".into()).await,
        [format!("Boardroom {tag}")]
    );
    assert_eq!(
        values(admin.clone(), "lob".into()).await,
        [format!("Lobby {tag}")]
    );
    assert_eq!(
        values(outsider.clone(), "lob".into()).await,
        [format!("Lobby {tag}")]
    );
    assert!(values(outsider, "board".into()).await.is_empty());
}

/// createmeta and editmeta (and `expand=editmeta`) offer the `security` field with the
/// levels the caller may set, and leave it out for a caller who may set none.
#[tokio::test]
async fn create_and_edit_metadata_offer_the_settable_levels() {
    let admin = Client::admin();
    let (key, _, _) = secured_project(&admin, "SECM").await;
    let issue = issue_with(&admin, &key, "meta").await;
    let names = |meta: &Value| -> Vec<String> {
        meta["allowedValues"]
            .as_array()
            .map(|a| {
                let mut n: Vec<String> = a
                    .iter()
                    .map(|l| l["name"].as_str().unwrap().to_string())
                    .collect();
                n.sort();
                n
            })
            .unwrap_or_default()
    };
    let edit = admin
        .get(&format!("/rest/api/2/issue/{issue}/editmeta"))
        .await
        .expect(200);
    let security = &edit.body["fields"]["security"];
    assert_eq!(security["operations"], json!(["set"]), "{}", edit.text);
    assert_eq!(names(security), ["Open", "Secret"]);
    let expanded = admin
        .get(&format!("/rest/api/2/issue/{issue}?expand=editmeta"))
        .await
        .expect(200);
    assert_eq!(
        names(&expanded.body["editmeta"]["fields"]["security"]),
        ["Open", "Secret"]
    );
    let create = admin
        .get(&format!(
            "/rest/api/2/issue/createmeta?projectKeys={key}&expand=projects.issuetypes.fields"
        ))
        .await
        .expect(200);
    let task = create.body["projects"][0]["issuetypes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Task")
        .unwrap()
        .clone();
    assert_eq!(names(&task["fields"]["security"]), ["Open", "Secret"]);
    // A member without Set Issue Security edits the issue but is offered no level.
    let (name, pw) = user("secmeta").await;
    admin
        .post(
            &format!("/rest/api/2/project/{key}/role/10003"),
            json!({"user": [name]}),
        )
        .await
        .expect(200);
    let member = Client::basic(&name, &pw);
    let theirs = member
        .get(&format!("/rest/api/2/issue/{issue}/editmeta"))
        .await
        .expect(200);
    assert!(
        theirs.body["fields"]["summary"].is_object(),
        "{}",
        theirs.text
    );
    assert!(
        theirs.body["fields"].get("security").is_none(),
        "{}",
        theirs.text
    );
}
