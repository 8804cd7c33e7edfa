//! Jira Service Management (`/rest/servicedeskapi`): desks made with service projects,
//! request types, raising and reading requests, comments, participants, transitions,
//! feedback, SLAs, customers, organizations and queues. Who sees what across surfaces
//! is in `servicedesk_access.rs`.

use serde_json::{Value, json};

use crate::common::*;

pub const SD: &str = "/rest/servicedeskapi";

/// DELETE with a JSON body, as JSM's removals take one.
pub(crate) trait DeleteWith {
    async fn delete_with(&self, path: &str, body: Value) -> Reply;
}

impl DeleteWith for Client {
    async fn delete_with(&self, path: &str, body: Value) -> Reply {
        self.send(reqwest::Method::DELETE, path, Some(body)).await
    }
}

/// A service project with its desk, an agent, two customers and an outsider.
pub struct Desk {
    pub admin: Client,
    pub key: String,
    pub id: String,
    pub agent: Client,
    pub agent_name: String,
    pub c1: Client,
    pub c1_name: String,
    pub c2: Client,
    pub c2_name: String,
    pub outsider: Client,
}

pub fn on(base: &str, c: Client) -> Client {
    Client {
        base: base.to_string(),
        ..c
    }
}

/// The id of the role named `name`.
pub async fn role_id(admin: &Client, name: &str) -> i64 {
    let roles = admin.get("/rest/api/2/role").await.expect(200).body;
    roles
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_else(|| panic!("no role {name}: {roles}"))
}

pub async fn desk_on(admin: &Client, prefix: &str) -> Desk {
    let key = unique_key(prefix);
    admin
        .post(
            "/rest/api/2/project",
            json!({"key": key, "name": format!("Desk {key}"), "projectTypeKey": "service_desk"}),
        )
        .await
        .expect(201);
    let desks = admin
        .get(&format!("{SD}/servicedesk?limit=100"))
        .await
        .expect(200);
    let mut id = None;
    let mut start = 0;
    let mut page = desks.body;
    loop {
        if let Some(d) = page["values"]
            .as_array()
            .expect("values")
            .iter()
            .find(|d| d["projectKey"] == key.as_str())
        {
            id = d["id"].as_str().map(String::from);
        }
        if id.is_some() || page["isLastPage"] == true {
            break;
        }
        start += 100;
        page = admin
            .get(&format!("{SD}/servicedesk?start={start}&limit=100"))
            .await
            .expect(200)
            .body;
    }
    let id = id.expect("the new project's desk");
    let base = admin.base.clone();
    let mut people = Vec::new();
    for p in ["sa", "sc", "sc", "so"] {
        let (n, pw) = user_with(admin, p).await;
        people.push((n.clone(), on(&base, Client::basic(&n, &pw))));
    }
    let team = role_id(admin, "Service Desk Team").await;
    admin
        .post(
            &format!("/rest/api/2/project/{key}/role/{team}"),
            json!({"user": [people[0].0]}),
        )
        .await
        .expect(200);
    admin
        .post(
            &format!("{SD}/servicedesk/{id}/customer"),
            json!({"usernames": [people[1].0, people[2].0]}),
        )
        .await
        .expect(204);
    let mut it = people.into_iter();
    let (agent_name, agent) = it.next().expect("agent");
    let (c1_name, c1) = it.next().expect("c1");
    let (c2_name, c2) = it.next().expect("c2");
    let (_, outsider) = it.next().expect("outsider");
    Desk {
        admin: admin.clone(),
        key,
        id,
        agent,
        agent_name,
        c1,
        c1_name,
        c2,
        c2_name,
        outsider,
    }
}

pub async fn desk(prefix: &str) -> Desk {
    desk_on(&Client::admin(), prefix).await
}

impl Desk {
    /// The id of the request type named `name`.
    pub async fn request_type(&self, name: &str) -> String {
        let r = self
            .admin
            .get(&format!("{SD}/servicedesk/{}/requesttype", self.id))
            .await
            .expect(200);
        r.body["values"]
            .as_array()
            .expect("values")
            .iter()
            .find(|t| t["name"] == name)
            .and_then(|t| t["id"].as_str())
            .unwrap_or_else(|| panic!("no request type {name}: {}", r.text))
            .to_string()
    }

    /// Raises a "Get IT help" request as `who`; returns its key.
    pub async fn raise(&self, who: &Client, summary: &str) -> String {
        let rt = self.request_type("Get IT help").await;
        let r = who
            .post(
                &format!("{SD}/request"),
                json!({"serviceDeskId": self.id, "requestTypeId": rt,
                       "requestFieldValues": {"summary": summary, "description": "details"}}),
            )
            .await
            .expect(201);
        r.body["issueKey"].as_str().expect("issueKey").to_string()
    }
}

fn values(r: &Reply) -> Vec<Value> {
    r.body["values"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_service_project_comes_with_its_desk_request_types_and_queues() {
    let d = desk("SDA").await;
    let one = d
        .admin
        .get(&format!("{SD}/servicedesk/{}", d.id))
        .await
        .expect(200);
    assert_eq!(one.body["projectKey"], d.key.as_str());
    assert!(
        one.body["_links"]["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/servicedesk/{}", d.id))
    );

    let types =
        d.c1.get(&format!("{SD}/servicedesk/{}/requesttype", d.id))
            .await
            .expect(200);
    let names: Vec<&str> = types.body["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for n in [
        "Get IT help",
        "Fix an account problem",
        "Request new hardware",
    ] {
        assert!(names.contains(&n), "{n} missing: {}", types.text);
    }
    assert_eq!(types.body["isLastPage"], true);
    assert!(
        types.body["_links"]["base"]
            .as_str()
            .unwrap()
            .ends_with("/rest/servicedeskapi")
    );
    let rt = d.request_type("Fix an account problem").await;
    let one =
        d.c1.get(&format!("{SD}/servicedesk/{}/requesttype/{rt}", d.id))
            .await
            .expect(200);
    assert_eq!(one.body["issueTypeId"], "10004", "a bug: {}", one.text);
    assert!(!one.body["groupIds"].as_array().unwrap().is_empty());

    let fields =
        d.c1.get(&format!("{SD}/servicedesk/{}/requesttype/{rt}/field", d.id))
            .await
            .expect(200);
    let f = fields.body["requestTypeFields"].as_array().unwrap();
    assert_eq!(f[0]["fieldId"], "summary");
    assert_eq!(f[0]["required"], true);
    assert_eq!(f[2]["fieldId"], "priority");
    assert!(
        !f[2]["validValues"].as_array().unwrap().is_empty(),
        "{}",
        fields.text
    );
    assert_eq!(fields.body["canRaiseOnBehalfOf"], false, "a customer");

    let groups =
        d.c1.get(&format!("{SD}/servicedesk/{}/requesttypegroup", d.id))
            .await
            .expect(200);
    assert!(
        values(&groups)
            .iter()
            .any(|g| g["name"] == "Common Requests")
    );

    let all =
        d.c1.get(&format!("{SD}/requesttype?searchQuery=hardware"))
            .await
            .expect(200);
    assert_eq!(values(&all).len(), 1, "{}", all.text);

    let queues = d
        .agent
        .get(&format!(
            "{SD}/servicedesk/{}/queue?includeCount=true",
            d.id
        ))
        .await
        .expect(200);
    assert!(
        values(&queues)
            .iter()
            .any(|q| q["name"] == "All open" && q["issueCount"] == 0),
        "{}",
        queues.text
    );
    // Queues are for agents.
    d.c1.get(&format!("{SD}/servicedesk/{}/queue", d.id))
        .await
        .expect(403);

    let info = d.c1.get(&format!("{SD}/info")).await.expect(200);
    assert_eq!(info.body["isLicensedForUse"], true);

    // Outsiders do not see the desk at all; the error has JSM's shape.
    let r = d
        .outsider
        .get(&format!("{SD}/servicedesk/{}", d.id))
        .await
        .expect(404);
    assert!(r.body["errorMessage"].is_string(), "{}", r.text);
    assert_eq!(r.body["i18nErrorMessage"]["i18nKey"], "sd.error.not.found");
    assert!(r.body["i18nErrorMessage"]["parameters"].is_array());
    let listed = d
        .outsider
        .get(&format!("{SD}/servicedesk?limit=100"))
        .await
        .expect(200);
    assert!(!values(&listed).iter().any(|x| x["id"] == d.id.as_str()));
    let anon = Client::anonymous()
        .get(&format!("{SD}/servicedesk"))
        .await
        .expect(401);
    assert!(anon.body["errorMessage"].is_string(), "{}", anon.text);
    // Unknown routes under the prefix answer in the same shape.
    let unknown = d.admin.get(&format!("{SD}/nothing/here")).await.expect(404);
    assert!(
        unknown.body["i18nErrorMessage"].is_object(),
        "{}",
        unknown.text
    );
}

#[tokio::test]
async fn raising_a_request_with_fields_on_behalf_and_participants() {
    let d = desk("SDB").await;
    let rt = d.request_type("Get IT help").await;
    // A required field missing, a field not on the form: 400 naming them.
    let r = d
        .c1
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": rt, "requestFieldValues": {"description": "x", "labels": ["a"]}}),
        )
        .await
        .expect(400);
    let msg = r.body["errorMessage"].as_str().unwrap();
    assert!(msg.contains("summary") && msg.contains("labels"), "{msg}");
    // A customer may not raise on behalf of someone else.
    d.c1
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": rt, "requestFieldValues": {"summary": "s"}, "raiseOnBehalfOf": d.c2_name}),
        )
        .await
        .expect(400);
    // An unknown request type is a 400; an unseen desk a 404.
    d.c1
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": "999999", "requestFieldValues": {"summary": "s"}}),
        )
        .await
        .expect(400);
    d.outsider
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": rt, "requestFieldValues": {"summary": "s"}}),
        )
        .await
        .expect(404);

    // The agent raises one for c1, with c2 participating.
    let (_, c2_user) = (
        0,
        d.admin
            .get(&format!("/rest/api/2/user?username={}", d.c2_name))
            .await
            .expect(200),
    );
    let r = d
        .agent
        .post(
            &format!("{SD}/request"),
            json!({"serviceDeskId": d.id, "requestTypeId": rt,
                   "requestFieldValues": {"summary": "Printer on fire", "description": "It *burns*"},
                   "raiseOnBehalfOf": d.c1_name, "requestParticipants": [c2_user.body["accountId"]]}),
        )
        .await
        .expect(201);
    let key = r.body["issueKey"].as_str().unwrap().to_string();
    assert_eq!(r.body["serviceDeskId"], d.id.as_str());
    assert_eq!(r.body["requestTypeId"], rt.as_str());
    assert_eq!(r.body["reporter"]["name"], d.c1_name.as_str());
    assert!(r.body["reporter"]["accountId"].is_string());
    assert!(r.body["reporter"]["_links"]["self"].is_string());
    assert!(r.body["createdDate"]["epochMillis"].is_i64());
    assert!(r.body["createdDate"]["iso8601"].is_string());
    assert!(r.body["createdDate"]["friendly"].is_string());
    let fv = r.body["requestFieldValues"].as_array().unwrap();
    assert_eq!(fv[0]["fieldId"], "summary");
    assert_eq!(fv[0]["value"], "Printer on fire");
    assert!(
        fv[1]["renderedValue"]["html"]
            .as_str()
            .unwrap()
            .contains("<strong>burns</strong>"),
        "{}",
        r.text
    );
    assert_eq!(r.body["currentStatus"]["statusCategory"], "NEW");

    // The issue behind it is an ordinary issue.
    let issue = d
        .admin
        .get(&format!("/rest/api/2/issue/{key}"))
        .await
        .expect(200);
    assert_eq!(issue.body["fields"]["summary"], "Printer on fire");
    assert_eq!(issue.body["fields"]["reporter"]["name"], d.c1_name.as_str());

    // Expansions.
    let full = d
        .agent
        .get(&format!("{SD}/request/{key}?expand=serviceDesk,requestType,participant,status,sla,action,comment,attachment"))
        .await
        .expect(200);
    assert_eq!(full.body["serviceDesk"]["projectKey"], d.key.as_str());
    assert_eq!(full.body["requestType"]["name"], "Get IT help");
    assert_eq!(
        full.body["participants"]["values"][0]["name"],
        d.c2_name.as_str()
    );
    assert_eq!(full.body["status"]["size"], 1);
    assert_eq!(full.body["sla"]["size"], 2, "{}", full.text);
    assert_eq!(full.body["actions"]["addComment"]["allowed"], true);
    assert_eq!(full.body["comments"]["size"], 0);
    assert_eq!(full.body["attachments"]["size"], 0);

    // c2 participates: sees it, listed under PARTICIPATED_REQUESTS, not OWNED_REQUESTS.
    d.c2.get(&format!("{SD}/request/{key}")).await.expect(200);
    let owned =
        d.c2.get(&format!("{SD}/request?requestOwnership=OWNED_REQUESTS"))
            .await
            .expect(200);
    assert_eq!(owned.body["size"], 0, "{}", owned.text);
    let part =
        d.c2.get(&format!(
            "{SD}/request?requestOwnership=PARTICIPATED_REQUESTS&serviceDeskId={}",
            d.id
        ))
        .await
        .expect(200);
    assert_eq!(part.body["size"], 1, "{}", part.text);
    let mine =
        d.c1.get(&format!(
            "{SD}/request?searchTerm=printer&requestStatus=OPEN_REQUESTS"
        ))
        .await
        .expect(200);
    assert_eq!(
        mine.body["values"][0]["issueKey"],
        key.as_str(),
        "{}",
        mine.text
    );
    let closed =
        d.c1.get(&format!("{SD}/request?requestStatus=CLOSED_REQUESTS"))
            .await
            .expect(200);
    assert_eq!(closed.body["size"], 0);
    d.c1.get(&format!("{SD}/request?requestOwnership=NOPE"))
        .await
        .expect(400);

    // Participants: the reporter removes c2, who no longer sees the request.
    let p =
        d.c1.delete_with(
            &format!("{SD}/request/{key}/participant"),
            json!({"usernames": [d.c2_name]}),
        )
        .await
        .expect(200);
    assert_eq!(p.body["size"], 0, "{}", p.text);
    d.c2.get(&format!("{SD}/request/{key}")).await.expect(404);
    let p = d
        .agent
        .post(
            &format!("{SD}/request/{key}/participant"),
            json!({"usernames": [d.c2_name]}),
        )
        .await
        .expect(200);
    assert_eq!(p.body["values"][0]["name"], d.c2_name.as_str());
    let p =
        d.c2.get(&format!("{SD}/request/{key}/participant"))
            .await
            .expect(200);
    assert_eq!(p.body["size"], 1);

    // A plain issue of the project is not a request.
    let plain = issue_with(&d.admin, &d.key, "not raised through the desk").await;
    d.admin
        .get(&format!("{SD}/request/{plain}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn comments_public_and_internal() {
    let d = desk("SDC").await;
    let key = d.raise(&d.c1, "Laptop will not boot").await;
    let r = d
        .agent
        .post(
            &format!("{SD}/request/{key}/comment"),
            json!({"body": "Have you tried *turning it off*?", "public": true}),
        )
        .await
        .expect(201);
    assert_eq!(r.body["public"], true);
    assert_eq!(r.body["author"]["name"], d.agent_name.as_str());
    let internal = d
        .agent
        .post(
            &format!("{SD}/request/{key}/comment"),
            json!({"body": "zanzibar: agents only", "public": false}),
        )
        .await
        .expect(201);
    assert_eq!(internal.body["public"], false);
    let internal_id = internal.body["id"].as_str().unwrap().to_string();
    d.c1.post(
        &format!("{SD}/request/{key}/comment"),
        json!({"body": "Yes, twice", "public": true}),
    )
    .await
    .expect(201);
    // Customers may not write internal comments.
    d.c1.post(
        &format!("{SD}/request/{key}/comment"),
        json!({"body": "sneaky", "public": false}),
    )
    .await
    .expect(403);

    let agent_view = d
        .agent
        .get(&format!("{SD}/request/{key}/comment"))
        .await
        .expect(200);
    assert_eq!(agent_view.body["size"], 3);
    let only_internal = d
        .agent
        .get(&format!("{SD}/request/{key}/comment?public=false"))
        .await
        .expect(200);
    assert_eq!(only_internal.body["size"], 1);
    let customer_view =
        d.c1.get(&format!("{SD}/request/{key}/comment?expand=renderedBody"))
            .await
            .expect(200);
    assert_eq!(customer_view.body["size"], 2, "{}", customer_view.text);
    assert!(!customer_view.text.contains("zanzibar"));
    assert!(
        customer_view.body["values"][0]["renderedBody"]["html"]
            .as_str()
            .unwrap()
            .contains("<strong>turning it off</strong>")
    );
    d.c1.get(&format!("{SD}/request/{key}/comment/{internal_id}"))
        .await
        .expect(404);
    d.agent
        .get(&format!("{SD}/request/{key}/comment/{internal_id}"))
        .await
        .expect(200);
    // Jira REST follows: the customer's comment list leaves it out, the agent's has it.
    let jira =
        d.c1.get(&format!("/rest/api/2/issue/{key}/comment"))
            .await
            .expect(200);
    assert_eq!(jira.body["total"], 2, "{}", jira.text);
    assert!(!jira.text.contains("zanzibar"));
    let jira =
        d.c1.get(&format!("/rest/api/2/issue/{key}"))
            .await
            .expect(200);
    assert!(!jira.text.contains("zanzibar"));
    let jira = d
        .agent
        .get(&format!("/rest/api/2/issue/{key}/comment"))
        .await
        .expect(200);
    assert_eq!(jira.body["total"], 3);
    // Jira REST marks it as JSM does: `jsdPublic: false`, no visibility of its own.
    let c = &jira.body["comments"][1];
    assert_eq!(c["jsdPublic"], false, "{c}");
    assert!(c.get("visibility").is_none(), "{c}");
    assert_eq!(jira.body["comments"][0]["jsdPublic"], true);
}

#[tokio::test]
async fn transitions_status_history_notifications_and_feedback() {
    let d = desk("SDD").await;
    let key = d.raise(&d.c1, "New monitor").await;
    // Customers get no transitions; agents the workflow's.
    let t =
        d.c1.get(&format!("{SD}/request/{key}/transition"))
            .await
            .expect(200);
    assert_eq!(t.body["size"], 0);
    let t = d
        .agent
        .get(&format!("{SD}/request/{key}/transition"))
        .await
        .expect(200);
    let done = values(&t)
        .into_iter()
        .find(|x| x["name"] == "Done")
        .unwrap_or_else(|| panic!("no Done transition: {}", t.text));
    // Feedback waits for the resolution.
    d.c1.post(
        &format!("{SD}/request/{key}/feedback"),
        json!({"rating": 4, "type": "csat"}),
    )
    .await
    .expect(400);
    d.c1.post(
        &format!("{SD}/request/{key}/transition"),
        json!({"id": done["id"]}),
    )
    .await
    .expect(400);
    d.agent
        .post(
            &format!("{SD}/request/{key}/transition"),
            json!({"id": done["id"], "additionalComment": {"body": "Delivered to your desk"}}),
        )
        .await
        .expect(204);
    let h =
        d.c1.get(&format!("{SD}/request/{key}/status"))
            .await
            .expect(200);
    assert_eq!(h.body["size"], 2, "{}", h.text);
    assert_eq!(h.body["values"][0]["statusCategory"], "DONE");
    assert_eq!(h.body["values"][1]["statusCategory"], "NEW");
    let c =
        d.c1.get(&format!("{SD}/request/{key}/comment"))
            .await
            .expect(200);
    assert_eq!(c.body["values"][0]["body"], "Delivered to your desk");
    let closed =
        d.c1.get(&format!("{SD}/request?requestStatus=CLOSED_REQUESTS"))
            .await
            .expect(200);
    assert_eq!(closed.body["size"], 1);

    // Notifications: on for the reporter until they unsubscribe.
    let n =
        d.c1.get(&format!("{SD}/request/{key}/notification"))
            .await
            .expect(200);
    assert_eq!(n.body["subscribed"], true);
    d.c1.delete(&format!("{SD}/request/{key}/notification"))
        .await
        .expect(204);
    let n =
        d.c1.get(&format!("{SD}/request/{key}/notification"))
            .await
            .expect(200);
    assert_eq!(n.body["subscribed"], false);
    let n = d
        .agent
        .get(&format!("{SD}/request/{key}/notification"))
        .await
        .expect(200);
    assert_eq!(n.body["subscribed"], false);
    d.agent
        .put(&format!("{SD}/request/{key}/notification"), json!({}))
        .await
        .expect(204);
    let n = d
        .agent
        .get(&format!("{SD}/request/{key}/notification"))
        .await
        .expect(200);
    assert_eq!(n.body["subscribed"], true);

    // Feedback: the reporter, 1 to 5, once.
    d.c1.get(&format!("{SD}/request/{key}/feedback"))
        .await
        .expect(404);
    d.c1.post(
        &format!("{SD}/request/{key}/feedback"),
        json!({"rating": 9}),
    )
    .await
    .expect(400);
    d.agent
        .post(
            &format!("{SD}/request/{key}/feedback"),
            json!({"rating": 5}),
        )
        .await
        .expect(403);
    let f =
        d.c1.post(
            &format!("{SD}/request/{key}/feedback"),
            json!({"rating": 5, "comment": {"body": "Great"}, "type": "csat"}),
        )
        .await
        .expect(200);
    assert_eq!(f.body["rating"], 5);
    d.c1.post(
        &format!("{SD}/request/{key}/feedback"),
        json!({"rating": 3}),
    )
    .await
    .expect(409);
    let f = d
        .agent
        .get(&format!("{SD}/request/{key}/feedback"))
        .await
        .expect(200);
    assert_eq!(f.body["comment"]["body"], "Great");
    d.c1.delete(&format!("{SD}/request/{key}/feedback"))
        .await
        .expect(204);
    d.c1.get(&format!("{SD}/request/{key}/feedback"))
        .await
        .expect(404);
}

#[tokio::test]
async fn slas_follow_the_clock_and_the_request() {
    let started = start_server();
    let admin = on(&started.server.base, Client::admin());
    let clock = started.server.app.config.clock.clone();
    let d = desk_on(&admin, "SDE").await;
    let key = d.raise(&d.c1, "VPN is down").await;
    // Customers do not see SLAs.
    d.c1.get(&format!("{SD}/request/{key}/sla"))
        .await
        .expect(403);
    clock.advance(std::time::Duration::from_secs(5 * 3600));
    let s = d
        .agent
        .get(&format!("{SD}/request/{key}/sla"))
        .await
        .expect(200);
    let list = values(&s);
    assert_eq!(list.len(), 2, "{}", s.text);
    let first = list
        .iter()
        .find(|m| m["name"] == "Time to first response")
        .unwrap();
    let resolution = list
        .iter()
        .find(|m| m["name"] == "Time to resolution")
        .unwrap();
    let ongoing = &first["ongoingCycle"];
    assert_eq!(ongoing["breached"], true, "4h goal after 5h: {first}");
    assert_eq!(ongoing["goalDuration"]["millis"], 4 * 3_600_000);
    // The adjustable clock still runs: allow the test's own minute.
    let hours = |v: &serde_json::Value| v.as_i64().unwrap() as f64 / 3_600_000.0;
    let elapsed = hours(&ongoing["elapsedTime"]["millis"]);
    assert!((5.0..5.02).contains(&elapsed), "{first}");
    let remaining = hours(&ongoing["remainingTime"]["millis"]);
    assert!((-1.02..=-1.0).contains(&remaining), "{first}");
    assert_eq!(ongoing["remainingTime"]["friendly"], "-1h");
    assert!(ongoing["startTime"]["epochMillis"].is_i64());
    assert!(ongoing["breachTime"]["epochMillis"].is_i64());
    assert_eq!(resolution["ongoingCycle"]["breached"], false);
    let left = hours(&resolution["ongoingCycle"]["remainingTime"]["millis"]);
    assert!((2.98..=3.0).contains(&left), "{resolution}");
    assert!(
        resolution["ongoingCycle"]["remainingTime"]["friendly"]
            .as_str()
            .unwrap()
            .starts_with("2h 59m")
    );

    // The agent's public answer stops the first-response clock.
    d.agent
        .post(
            &format!("{SD}/request/{key}/comment"),
            json!({"body": "Looking", "public": true}),
        )
        .await
        .expect(201);
    clock.advance(std::time::Duration::from_secs(3600));
    let id = first["id"].as_str().unwrap();
    let one = d
        .agent
        .get(&format!("{SD}/request/{key}/sla/{id}"))
        .await
        .expect(200);
    assert!(one.body.get("ongoingCycle").is_none(), "{}", one.text);
    let done = &one.body["completedCycles"][0];
    assert_eq!(done["breached"], true);
    let elapsed = hours(&done["elapsedTime"]["millis"]);
    assert!(
        (5.0..5.02).contains(&elapsed),
        "stopped at the answer: {done}"
    );
    assert!(done["stopTime"]["epochMillis"].is_i64());
    d.agent
        .get(&format!("{SD}/request/{key}/sla/999999"))
        .await
        .expect(404);
}

#[tokio::test]
async fn customers_and_organizations() {
    let d = desk("SDF").await;
    // Customers: agents list and change them; customers may not.
    let list = d
        .agent
        .get(&format!("{SD}/servicedesk/{}/customer", d.id))
        .await
        .expect(200);
    assert_eq!(list.body["size"], 2, "{}", list.text);
    d.c1.get(&format!("{SD}/servicedesk/{}/customer", d.id))
        .await
        .expect(403);
    let email = format!("{}@example.com", unique_key("cust").to_lowercase());
    let made = d
        .admin
        .post(
            &format!("{SD}/customer"),
            json!({"email": email, "displayName": "New Customer"}),
        )
        .await
        .expect(201);
    assert_eq!(made.body["emailAddress"], email.as_str());
    assert_eq!(made.body["displayName"], "New Customer");
    d.agent
        .post(
            &format!("{SD}/customer"),
            json!({"email": "x@example.com", "displayName": "X"}),
        )
        .await
        .expect(403);
    d.agent
        .post(
            &format!("{SD}/servicedesk/{}/customer", d.id),
            json!({"accountIds": [made.body["accountId"]]}),
        )
        .await
        .expect(204);
    let list = d
        .agent
        .get(&format!(
            "{SD}/servicedesk/{}/customer?query=new%20customer",
            d.id
        ))
        .await
        .expect(200);
    assert_eq!(list.body["size"], 1, "{}", list.text);
    d.agent
        .delete_with(
            &format!("{SD}/servicedesk/{}/customer", d.id),
            json!({"accountIds": [made.body["accountId"]]}),
        )
        .await
        .expect(204);
    let list = d
        .agent
        .get(&format!("{SD}/servicedesk/{}/customer", d.id))
        .await
        .expect(200);
    assert_eq!(list.body["size"], 2);

    // Organizations.
    let name = format!("Org {}", unique_key("O"));
    let org = d
        .agent
        .post(&format!("{SD}/organization"), json!({"name": name}))
        .await
        .expect(201);
    let oid = org.body["id"].as_str().unwrap().to_string();
    d.agent
        .post(&format!("{SD}/organization"), json!({"name": name}))
        .await
        .expect(409);
    d.c1.post(
        &format!("{SD}/organization"),
        json!({"name": "by a customer"}),
    )
    .await
    .expect(403);
    d.agent
        .post(
            &format!("{SD}/organization/{oid}/user"),
            json!({"usernames": [d.c1_name]}),
        )
        .await
        .expect(204);
    let users = d
        .agent
        .get(&format!("{SD}/organization/{oid}/user"))
        .await
        .expect(200);
    assert_eq!(users.body["values"][0]["name"], d.c1_name.as_str());
    // A customer sees only their own organizations.
    let mine =
        d.c1.get(&format!("{SD}/organization?limit=100"))
            .await
            .expect(200);
    assert_eq!(mine.body["size"], 1, "{}", mine.text);
    let theirs =
        d.c2.get(&format!("{SD}/organization?limit=100"))
            .await
            .expect(200);
    assert_eq!(theirs.body["size"], 0);
    d.c2.get(&format!("{SD}/organization/{oid}"))
        .await
        .expect(404);
    d.agent
        .post(
            &format!("{SD}/servicedesk/{}/organization", d.id),
            json!({"organizationId": oid.parse::<i64>().unwrap()}),
        )
        .await
        .expect(204);
    let of_desk = d
        .agent
        .get(&format!("{SD}/servicedesk/{}/organization", d.id))
        .await
        .expect(200);
    assert_eq!(of_desk.body["values"][0]["name"], name.as_str());
    d.agent
        .delete_with(
            &format!("{SD}/servicedesk/{}/organization", d.id),
            json!({"organizationId": oid}),
        )
        .await
        .expect(204);
    let of_desk = d
        .agent
        .get(&format!("{SD}/servicedesk/{}/organization", d.id))
        .await
        .expect(200);
    assert_eq!(of_desk.body["size"], 0);
    d.agent
        .delete_with(
            &format!("{SD}/organization/{oid}/user"),
            json!({"usernames": [d.c1_name]}),
        )
        .await
        .expect(204);
    d.agent
        .delete(&format!("{SD}/organization/{oid}"))
        .await
        .expect(403);
    d.admin
        .delete(&format!("{SD}/organization/{oid}"))
        .await
        .expect(204);
    d.admin
        .get(&format!("{SD}/organization/{oid}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn queues_list_the_desks_issues() {
    let d = desk("SDG").await;
    let key = d.raise(&d.c1, "Keyboard sticky").await;
    let queues = d
        .agent
        .get(&format!("{SD}/servicedesk/{}/queue", d.id))
        .await
        .expect(200);
    let open = values(&queues)
        .into_iter()
        .find(|q| q["name"] == "All open")
        .unwrap();
    let qid = open["id"].as_str().unwrap();
    let one = d
        .agent
        .get(&format!(
            "{SD}/servicedesk/{}/queue/{qid}?includeCount=true",
            d.id
        ))
        .await
        .expect(200);
    assert_eq!(one.body["issueCount"], 1, "{}", one.text);
    let issues = d
        .agent
        .get(&format!("{SD}/servicedesk/{}/queue/{qid}/issue", d.id))
        .await
        .expect(200);
    assert_eq!(
        issues.body["values"][0]["key"],
        key.as_str(),
        "{}",
        issues.text
    );
    assert_eq!(
        issues.body["values"][0]["fields"]["summary"],
        "Keyboard sticky"
    );
    // Jira's status bean, with its category (the agents' queue colours by it).
    let status = &issues.body["values"][0]["fields"]["status"];
    assert_eq!(status["statusCategory"]["key"], "new", "{status}");
    assert!(status["statusCategory"]["id"].is_number(), "{status}");
    d.agent
        .get(&format!("{SD}/servicedesk/{}/queue/999999", d.id))
        .await
        .expect(404);
}

/// What the permission matrix's service-desk routes point at: a desk of the global
/// admin's (no other persona is in its project), one of its request types, queues and
/// SLAs, a request with a comment, and an organization of the desk.
pub struct MatrixDesk {
    pub desk: String,
    pub request_type: String,
    pub queue: String,
    pub request: String,
    pub comment: String,
    pub sla: String,
    pub org: String,
    pub approval: String,
    /// The request the approval is on.
    pub approval_request: String,
    /// A public attachment on `request`.
    pub attachment: String,
}

impl MatrixDesk {
    pub async fn build(admin: &Client) -> MatrixDesk {
        let d = desk_on(admin, "PMD").await;
        let request_type = d.request_type("Get IT help").await;
        let request = d.raise(admin, "matrix desk request").await;
        let c = admin
            .post(
                &format!("{SD}/request/{request}/comment"),
                json!({"body": "matrix", "public": true}),
            )
            .await
            .expect(201);
        let q = admin
            .get(&format!("{SD}/servicedesk/{}/queue", d.id))
            .await
            .expect(200);
        let s = admin
            .get(&format!("{SD}/request/{request}/sla"))
            .await
            .expect(200);
        let org = MatrixDesk::new_org(admin).await;
        let hw = d.request_type("Request new hardware").await;
        let a = admin
            .post(
                &format!("{SD}/request"),
                json!({"serviceDeskId": d.id, "requestTypeId": hw,
                       "requestFieldValues": {"summary": "matrix approval", "approvers": ["admin"]}}),
            )
            .await
            .expect(201);
        let a_key = a.body["issueKey"].as_str().expect("key").to_string();
        let approvals = admin
            .get(&format!("{SD}/request/{a_key}/approval"))
            .await
            .expect(200);
        admin
            .post(
                &format!("{SD}/servicedesk/{}/organization", d.id),
                json!({"organizationId": org}),
            )
            .await
            .expect(204);
        // The property the matrix's property routes read (`{propertyKey}` is pm.prop).
        for owner in [
            format!("{SD}/servicedesk/{}/requesttype/{request_type}", d.id),
            format!("{SD}/organization/{org}"),
        ] {
            admin
                .put(&format!("{owner}/property/pm.prop"), json!({"v": 1}))
                .await
                .expect(201);
        }
        let t = crate::servicedesk_access::temporary_file(admin, &d.id, "matrix.txt").await;
        let att = admin
            .post(
                &format!("{SD}/request/{request}/attachment"),
                json!({"temporaryAttachmentIds": [t], "public": true}),
            )
            .await
            .expect(201);
        // JSM's AttachmentDTO has no id: it is the tail of the Jira REST link.
        let attachment = att.body["attachments"]["values"][0]["_links"]["jiraRest"]
            .as_str()
            .and_then(|l| l.rsplit('/').next())
            .expect("attachment")
            .to_string();
        MatrixDesk {
            desk: d.id.clone(),
            request_type,
            queue: q.body["values"][0]["id"]
                .as_str()
                .expect("queue")
                .to_string(),
            request,
            comment: c.body["id"].as_str().expect("comment").to_string(),
            sla: s.body["values"][0]["id"].as_str().expect("sla").to_string(),
            org,
            approval: approvals.body["values"][0]["id"]
                .as_str()
                .expect("approval")
                .to_string(),
            approval_request: a_key,
            attachment,
        }
    }

    /// A throwaway organization (for a route that deletes one).
    pub async fn new_org(admin: &Client) -> String {
        let r = admin
            .post(
                &format!("{SD}/organization"),
                json!({"name": unique_key("PMO")}),
            )
            .await
            .expect(201);
        r.body["id"].as_str().expect("org").to_string()
    }

    /// A throwaway request type on the matrix desk (for a route that deletes one).
    pub async fn new_request_type(&self, admin: &Client) -> String {
        let r = admin
            .post(
                &format!("{SD}/servicedesk/{}/requesttype", self.desk),
                json!({"issueTypeId": "10001", "name": unique_key("PMT")}),
            )
            .await
            .expect(200);
        r.body["id"].as_str().expect("request type").to_string()
    }

    /// The value of a JSM path parameter.
    pub fn fill(
        &self,
        template: &str,
        seg: &str,
        fresh_org: Option<&String>,
        fresh_type: Option<&String>,
    ) -> Option<String> {
        if !template.starts_with("/rest/servicedeskapi") {
            return None;
        }
        Some(match seg {
            "{issueIdOrKey}" if template.contains("/approval") => self.approval_request.clone(),
            "{serviceDeskId}" => self.desk.clone(),
            "{requestTypeId}" => fresh_type.cloned().unwrap_or(self.request_type.clone()),
            "{queueId}" => self.queue.clone(),
            "{issueIdOrKey}" | "{requestIdOrKey}" => self.request.clone(),
            "{commentId}" => self.comment.clone(),
            "{slaMetricId}" => self.sla.clone(),
            "{approvalId}" => self.approval.clone(),
            "{attachmentId}" => self.attachment.clone(),
            "{organizationId}" => fresh_org.cloned().unwrap_or(self.org.clone()),
            _ => return None,
        })
    }

    pub fn substitute(&self, text: &str) -> String {
        text.replace("{DESK}", &self.desk)
            .replace("{REQUEST_TYPE}", &self.request_type)
            .replace("{ORG}", &self.org)
    }
}

#[tokio::test]
async fn approvals_decide_and_move_the_request_on() {
    let d = desk("SDH").await;
    let hw = d.request_type("Request new hardware").await;
    let it = d.request_type("Get IT help").await;
    // Only a request type with the approvers field takes approvers.
    d.c1.post(
        &format!("{SD}/request"),
        json!({"serviceDeskId": d.id, "requestTypeId": it,
                   "requestFieldValues": {"summary": "s", "approvers": [d.c2_name]}}),
    )
    .await
    .expect(400);
    let raise = |summary: &'static str| {
        let (c1, id, hw, approver) = (d.c1.clone(), d.id.clone(), hw.clone(), d.c2_name.clone());
        async move {
            let r = c1
                .post(
                    &format!("{SD}/request"),
                    json!({"serviceDeskId": id, "requestTypeId": hw,
                           "requestFieldValues": {"summary": summary, "approvers": [{"name": approver}]}}),
                )
                .await
                .expect(201);
            r.body["issueKey"].as_str().unwrap().to_string()
        }
    };
    let key = raise("A second monitor").await;
    // The approver (a customer) sees the request and its pending approval.
    let list =
        d.c2.get(&format!("{SD}/request/{key}/approval"))
            .await
            .expect(200);
    let a = &list.body["values"][0];
    assert_eq!(a["finalDecision"], "pending", "{}", list.text);
    assert_eq!(a["canAnswerApproval"], true);
    assert_eq!(a["approvers"][0]["approver"]["name"], d.c2_name.as_str());
    assert_eq!(a["approvers"][0]["approverDecision"], "pending");
    let aid = a["id"].as_str().unwrap().to_string();
    let mine =
        d.c1.get(&format!("{SD}/request/{key}/approval/{aid}"))
            .await
            .expect(200);
    assert_eq!(mine.body["canAnswerApproval"], false);
    let waiting =
        d.c2.get(&format!(
            "{SD}/request?requestOwnership=APPROVER&approvalStatus=MY_PENDING_APPROVAL"
        ))
        .await
        .expect(200);
    assert_eq!(waiting.body["size"], 1, "{}", waiting.text);
    d.c2.get(&format!("{SD}/request?approvalStatus=MY_PENDING_APPROVAL"))
        .await
        .expect(400);
    // Only approvers answer, once.
    d.c1.post(
        &format!("{SD}/request/{key}/approval/{aid}"),
        json!({"decision": "approve"}),
    )
    .await
    .expect(403);
    d.c2.post(
        &format!("{SD}/request/{key}/approval/{aid}"),
        json!({"decision": "maybe"}),
    )
    .await
    .expect(400);
    let done =
        d.c2.post(
            &format!("{SD}/request/{key}/approval/{aid}"),
            json!({"decision": "approve"}),
        )
        .await
        .expect(200);
    assert_eq!(done.body["finalDecision"], "approved", "{}", done.text);
    assert!(done.body["completedDate"]["epochMillis"].is_i64());
    d.c2.post(
        &format!("{SD}/request/{key}/approval/{aid}"),
        json!({"decision": "decline"}),
    )
    .await
    .expect(409);
    let r = d.c1.get(&format!("{SD}/request/{key}")).await.expect(200);
    assert_eq!(
        r.body["currentStatus"]["statusCategory"], "INDETERMINATE",
        "{}",
        r.text
    );
    let history =
        d.c2.get(&format!(
            "{SD}/request?requestOwnership=APPROVER&approvalStatus=MY_HISTORY_APPROVAL"
        ))
        .await
        .expect(200);
    assert_eq!(history.body["size"], 1);

    // Declined: the request is done.
    let key = raise("A gold-plated keyboard").await;
    let list =
        d.c2.get(&format!("{SD}/request/{key}/approval"))
            .await
            .expect(200);
    let aid = list.body["values"][0]["id"].as_str().unwrap().to_string();
    d.c2.post(
        &format!("{SD}/request/{key}/approval/{aid}"),
        json!({"decision": "decline"}),
    )
    .await
    .expect(200);
    let r = d.c1.get(&format!("{SD}/request/{key}")).await.expect(200);
    assert_eq!(
        r.body["currentStatus"]["statusCategory"], "DONE",
        "{}",
        r.text
    );
}
