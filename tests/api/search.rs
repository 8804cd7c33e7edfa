//! JQL search through the wire: read-your-writes, a differential test against a
//! brute-force oracle, errors, permission scoping, token paging, counts, parsing, and
//! index repair on start.

use serde_json::{Value, json};

use crate::common::{Client, Rng, project, server, user};

async fn search(c: &Client, jql: &str) -> Value {
    let r = c
        .post(
            "/rest/api/2/search",
            json!({"jql": jql, "maxResults": 1000, "fields": ["summary"]}),
        )
        .await
        .expect(200);
    r.body
}

fn keys(body: &Value) -> Vec<String> {
    body["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["key"].as_str().expect("key").to_string())
        .collect()
}

#[tokio::test]
async fn a_search_sees_every_acknowledged_write_under_concurrent_writers() {
    let key = project("RYW").await;
    let admin = Client::admin();
    // Background writers keep the writer and the indexer busy.
    let mut writers = Vec::new();
    for w in 0..3 {
        let (admin, key) = (admin.clone(), key.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..15 {
                admin
                    .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": format!("noise {w} {i}"), "issuetype": {"name": "Task"}}}))
                    .await
                    .expect(201);
            }
        }));
    }
    for i in 0..25 {
        let word = format!("needle{i}x{}", std::process::id());
        let created = admin
            .post("/rest/api/2/issue", json!({"fields": {"project": {"key": key}, "summary": format!("find {word}"), "issuetype": {"name": "Task"}}}))
            .await
            .expect(201);
        let body = search(&admin, &format!("project = {key} AND summary ~ {word}")).await;
        assert_eq!(
            keys(&body),
            vec![created.body["key"].as_str().unwrap().to_string()],
            "write {i} not visible to the next search"
        );
    }
    for w in writers {
        w.await.expect("writer");
    }
    let body = search(&admin, &format!("project = {key}")).await;
    assert_eq!(body["total"], 25 + 45);
}

/// The generated data set, kept on our side for the oracle.
#[derive(Clone, Debug)]
struct Row {
    key: String,
    num: i64,
    issue_type: &'static str,
    priority: i64,
    labels: Vec<&'static str>,
    assigned: bool,
    status: &'static str,
    words: Vec<&'static str>,
    components: Vec<&'static str>,
    /// The description's words; `None` without a description.
    description: Option<Vec<&'static str>>,
    /// The day of November 2026 the issue is due.
    due: Option<u32>,
}

const TYPES: [&str; 3] = ["Task", "Bug", "Story"];
const LABELS: [&str; 3] = ["red", "green", "blue"];
const STATUSES: [(&str, &str); 3] = [("To Do", "11"), ("In Progress", "21"), ("Done", "41")];
const WORDS: [&str; 6] = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
const COMPONENTS: [&str; 2] = ["Core", "UI"];

type Test = std::rc::Rc<dyn Fn(&Row) -> bool>;

/// A generated clause: its JQL, the oracle's predicate, and the predicate of the
/// clause under NOT as Jira reads it (pushed down by De Morgan's laws to the opposite
/// operators, which never match an empty field), which is not the complement.
struct Gen {
    jql: String,
    test: Test,
    negated: Test,
}

fn clause_of(
    jql: String,
    test: impl Fn(&Row) -> bool + 'static,
    negated: impl Fn(&Row) -> bool + 'static,
) -> Gen {
    Gen {
        jql,
        test: std::rc::Rc::new(test),
        negated: std::rc::Rc::new(negated),
    }
}

fn gen_clause(rng: &mut Rng, depth: u32) -> Gen {
    if depth < 2 && rng.chance(35) {
        let a = gen_clause(rng, depth + 1);
        let b = gen_clause(rng, depth + 1);
        let (at, an, bt, bn) = (a.test, a.negated, b.test, b.negated);
        return match rng.next() % 4 {
            0 => clause_of(
                format!("({} AND {})", a.jql, b.jql),
                {
                    let (at, bt) = (at.clone(), bt.clone());
                    move |r| at(r) && bt(r)
                },
                move |r| an(r) || bn(r),
            ),
            1 => clause_of(
                format!("({} OR {})", a.jql, b.jql),
                {
                    let (at, bt) = (at.clone(), bt.clone());
                    move |r| at(r) || bt(r)
                },
                move |r| an(r) && bn(r),
            ),
            2 => clause_of(format!("NOT {}", a.jql), move |r| an(r), move |r| at(r)),
            _ => clause_of(format!("!({})", a.jql), move |r| an(r), move |r| at(r)),
        };
    }
    match rng.next() % 13 {
        0 => {
            let t = rng.pick(&TYPES);
            clause_of(
                format!("issuetype = {t}"),
                move |r| r.issue_type == t,
                move |r| r.issue_type != t,
            )
        }
        1 => {
            let p = (rng.next() % 5 + 1) as i64;
            let name = ["Highest", "High", "Medium", "Low", "Lowest"][(p - 1) as usize];
            if rng.chance(50) {
                clause_of(
                    format!("priority = {name}"),
                    move |r| r.priority == p,
                    move |r| r.priority != p,
                )
            } else {
                // Highest is 1: "greater" is a smaller number.
                clause_of(
                    format!("priority > {name}"),
                    move |r| r.priority < p,
                    move |r| r.priority >= p,
                )
            }
        }
        2 => {
            let l = rng.pick(&LABELS);
            // != never matches issues without labels, and is what NOT = means.
            let eq = move |r: &Row| r.labels.contains(&l);
            let ne = move |r: &Row| !r.labels.is_empty() && !r.labels.contains(&l);
            if rng.chance(50) {
                clause_of(format!("labels = {l}"), eq, ne)
            } else {
                clause_of(format!("labels != {l}"), ne, eq)
            }
        }
        3 => clause_of(
            "labels IS EMPTY".into(),
            |r| r.labels.is_empty(),
            |r| !r.labels.is_empty(),
        ),
        4 => {
            if rng.chance(50) {
                // Everyone assigned is assigned to the caller: `!=` matches no one.
                clause_of("assignee = currentUser()".into(), |r| r.assigned, |_| false)
            } else {
                clause_of("assignee IS EMPTY".into(), |r| !r.assigned, |r| r.assigned)
            }
        }
        5 => {
            let (s, _) = rng.pick(&STATUSES);
            clause_of(
                format!("status = \"{s}\""),
                move |r| r.status == s,
                move |r| r.status != s,
            )
        }
        6 => {
            let a = rng.pick(&TYPES);
            let b = rng.pick(&TYPES);
            clause_of(
                format!("issuetype in ({a}, {b})"),
                move |r| r.issue_type == a || r.issue_type == b,
                move |r| r.issue_type != a && r.issue_type != b,
            )
        }
        7 => {
            let w = rng.pick(&WORDS);
            // Every summary has text, so `!~` is the complement here.
            clause_of(
                format!("summary ~ {w}"),
                move |r| r.words.contains(&w),
                move |r| !r.words.contains(&w),
            )
        }
        8 => {
            let c = rng.pick(&COMPONENTS);
            clause_of(
                format!("component = \"{c}\""),
                move |r| r.components.contains(&c),
                move |r| !r.components.is_empty() && !r.components.contains(&c),
            )
        }
        9 => {
            let w = rng.pick(&WORDS);
            clause_of(
                format!("description ~ {w}"),
                move |r| r.description.as_ref().is_some_and(|d| d.contains(&w)),
                move |r| r.description.as_ref().is_some_and(|d| !d.contains(&w)),
            )
        }
        10 => {
            let day = (rng.next() % 9 + 1) as u32;
            clause_of(
                format!("duedate < \"2026/11/{day:02}\""),
                move |r| r.due.is_some_and(|d| d < day),
                move |r| r.due.is_some_and(|d| d >= day),
            )
        }
        11 => clause_of(
            "description IS EMPTY".into(),
            |r| r.description.is_none(),
            |r| r.description.is_some(),
        ),
        _ => {
            let done = rng.chance(50);
            clause_of(
                if done {
                    "resolution IS NOT EMPTY".into()
                } else {
                    "resolution = Unresolved".into()
                },
                move |r| (r.status == "Done") == done,
                move |r| (r.status == "Done") != done,
            )
        }
    }
}

#[tokio::test]
async fn generated_queries_match_a_brute_force_oracle_keys_and_order() {
    let key = project("ORA").await;
    let admin = Client::admin();
    for c in COMPONENTS {
        admin
            .post("/rest/api/2/component", json!({"project": key, "name": c}))
            .await
            .expect(201);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rows = Vec::new();
    for n in 1..=60 {
        let issue_type = rng.pick(&TYPES);
        let priority = (rng.next() % 5 + 1) as i64;
        let labels: Vec<&str> = LABELS.iter().copied().filter(|_| rng.chance(40)).collect();
        let assigned = rng.chance(50);
        let words: Vec<&str> = WORDS.iter().copied().filter(|_| rng.chance(30)).collect();
        let components: Vec<&str> = COMPONENTS
            .iter()
            .copied()
            .filter(|_| rng.chance(40))
            .collect();
        let description = rng.chance(60).then(|| {
            WORDS
                .iter()
                .copied()
                .filter(|_| rng.chance(30))
                .collect::<Vec<_>>()
        });
        let due = rng.chance(60).then(|| (rng.next() % 9 + 1) as u32);
        let mut fields = json!({
            "project": {"key": key}, "summary": format!("item {}", words.join(" ")), "issuetype": {"name": issue_type},
            "priority": {"id": priority.to_string()}, "labels": labels,
            "components": components.iter().map(|c| json!({"name": c})).collect::<Vec<_>>(),
        });
        if assigned {
            fields["assignee"] = json!({"name": "admin"});
        }
        if let Some(d) = &description {
            fields["description"] = json!(format!("notes {}", d.join(" ")));
        }
        if let Some(day) = due {
            fields["duedate"] = json!(format!("2026-11-{day:02}"));
        }
        let r = admin
            .post("/rest/api/2/issue", json!({"fields": fields}))
            .await
            .expect(201);
        let issue_key = r.body["key"].as_str().unwrap().to_string();
        assert_eq!(issue_key, format!("{key}-{n}"));
        let (status, transition) = rng.pick(&STATUSES);
        if transition != "11" {
            admin
                .post(
                    &format!("/rest/api/2/issue/{issue_key}/transitions"),
                    json!({"transition": {"id": transition}}),
                )
                .await
                .expect(204);
        }
        rows.push(Row {
            key: issue_key,
            num: n,
            issue_type,
            priority,
            labels,
            assigned,
            status,
            words,
            components,
            description,
            due,
        });
    }
    for case in 0..400 {
        let g = gen_clause(&mut rng, 0);
        let order = rng.next() % 3;
        let (order_jql, mut expected): (&str, Vec<&Row>) = (
            ["ORDER BY priority DESC", "ORDER BY key ASC", ""][order as usize],
            rows.iter().filter(|r| (g.test)(r)).collect(),
        );
        match order {
            // Highest first; ties by key.
            0 => expected.sort_by_key(|r| (r.priority, r.num)),
            1 => expected.sort_by_key(|r| r.num),
            // No ORDER BY: newest key first.
            _ => expected.sort_by_key(|r| -r.num),
        }
        let jql = format!("project = {key} AND ({}) {order_jql}", g.jql);
        let body = search(&admin, &jql).await;
        let want: Vec<String> = expected.iter().map(|r| r.key.clone()).collect();
        assert_eq!(keys(&body), want, "case {case}: {jql}");
        assert_eq!(body["total"], want.len(), "case {case}: {jql}");
    }
}

/// Jira's NOT is the opposite operator, which never matches an empty field: `NOT
/// component = X`, `NOT duedate < d` and `!(description ~ w)` leave out issues
/// without a component, due date or description.
#[tokio::test]
async fn not_leaves_out_issues_with_the_field_empty() {
    let key = project("NEG").await;
    let admin = Client::admin();
    for c in ["Core", "UI"] {
        admin
            .post("/rest/api/2/component", json!({"project": key, "name": c}))
            .await
            .expect(201);
    }
    let create = |fields: Value| {
        let (admin, key) = (admin.clone(), key.clone());
        async move {
            let mut fields = fields;
            fields["project"] = json!({"key": key});
            fields["issuetype"] = json!({"name": "Task"});
            admin
                .post("/rest/api/2/issue", json!({"fields": fields}))
                .await
                .expect(201)
                .body["key"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let core = create(json!({"summary": "core", "components": [{"name": "Core"}], "duedate": "2026-11-01", "description": "the database crashed"})).await;
    let ui = create(json!({"summary": "ui", "components": [{"name": "UI"}], "duedate": "2026-11-10", "description": "the login page"})).await;
    let _bare = create(json!({"summary": "bare"})).await;
    for jql in [
        "NOT component = Core",
        "component != Core",
        "NOT duedate < \"2026/11/05\"",
        "!(description ~ database)",
        "description !~ database",
        "NOT (component = Core OR duedate < \"2026/11/05\")",
        "NOT (component = Core OR NOT component = UI)",
    ] {
        let body = search(&admin, &format!("project = {key} AND {jql}")).await;
        assert_eq!(keys(&body), vec![ui.clone()], "{jql}");
    }
    // NOT (a AND b) is (NOT a OR NOT b): the bare issue matches neither.
    let body = search(
        &admin,
        &format!(
            "project = {key} AND NOT (component = UI AND duedate > \"2026/11/05\") ORDER BY key"
        ),
    )
    .await;
    assert_eq!(keys(&body), vec![core]);
}

#[tokio::test]
async fn errors_carry_jira_wording_and_positions() {
    let admin = Client::admin();
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "project = X AND status foo"}),
        )
        .await
        .expect(400);
    let msg = r.jira_error();
    assert!(
        msg.contains("Error in the JQL Query:") && msg.contains("(line 1, character"),
        "{msg}"
    );
    let r = admin
        .get("/rest/api/2/search?jql=summary%20%3D%20x")
        .await
        .expect(400);
    assert!(
        r.jira_error()
            .contains("The operator '=' is not supported by the 'summary' field."),
        "{}",
        r.text
    );
    let r = admin
        .post("/rest/api/2/search", json!({"jql": "nosuchfield = 1"}))
        .await
        .expect(400);
    assert!(
        r.jira_error()
            .contains("Field 'nosuchfield' does not exist"),
        "{}",
        r.text
    );
    let r = admin
        .post("/rest/api/2/search", json!({"jql": "status = Nope"}))
        .await
        .expect(400);
    assert!(
        r.jira_error()
            .contains("The value 'Nope' does not exist for the field 'status'."),
        "{}",
        r.text
    );
    // warn: the unknown value matches nothing and is reported as a warning.
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "status = Nope", "validateQuery": "warn"}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["total"], 0);
    assert!(
        r.body["warningMessages"][0]
            .as_str()
            .unwrap()
            .contains("Nope"),
        "{}",
        r.text
    );
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "status = Nope", "validateQuery": "none"}),
        )
        .await
        .expect(200);
    assert!(r.body.get("warningMessages").is_none());
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "x", "validateQuery": "sometimes"}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("validateQuery"));
    let deep = format!("{}status = Done{}", "(".repeat(500), ")".repeat(500));
    admin
        .post("/rest/api/2/search", json!({"jql": deep}))
        .await
        .expect(400);
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "project = X ORDER BY description"}),
        )
        .await
        .expect(400);
    assert!(
        r.jira_error().contains("does not support sorting"),
        "{}",
        r.text
    );
    let anon = Client::anonymous();
    let r = anon
        .post("/rest/api/2/search", json!({"jql": ""}))
        .await
        .expect(200);
    assert_eq!(
        r.body["total"], 0,
        "anonymous users browse nothing by default"
    );
}

#[tokio::test]
async fn results_are_scoped_to_browsable_projects() {
    let key = project("SCP").await;
    let word = format!("classified{}", key.to_lowercase());
    crate::common::issue(&key, &format!("{word} plans")).await;
    let (name, password) = user("scp").await;
    let admin = Client::admin();
    admin
        .delete(&format!(
            "/rest/api/2/project/{key}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let outsider = Client::basic(&name, &password);
    let r = outsider
        .post(
            "/rest/api/2/search",
            json!({"jql": format!("summary ~ {word}")}),
        )
        .await
        .expect(200);
    assert!(
        keys(&r.body).iter().all(|k| !k.starts_with(&key)),
        "{}",
        r.text
    );
    let r = outsider
        .post(
            "/rest/api/2/search",
            json!({"jql": format!("project = {key}")}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains(&format!(
        "The value '{key}' does not exist for the field 'project'."
    )));
    let r = outsider
        .post(
            "/rest/api/3/search/approximate-count",
            json!({"jql": format!("summary ~ {word}")}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["count"], 0);
    let r = admin
        .post(
            "/rest/api/3/search/approximate-count",
            json!({"jql": format!("project = {key}")}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["count"], 1);
}

#[tokio::test]
async fn enhanced_search_walks_pages_with_tokens() {
    let key = project("TOK").await;
    for i in 0..7 {
        crate::common::issue(&key, &format!("page item {i}")).await;
    }
    let admin = Client::admin();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"jql": format!("project = {key} ORDER BY key ASC"), "maxResults": 3, "fields": ["summary"]});
        if let Some(t) = &token {
            body["nextPageToken"] = json!(t);
        }
        let r = admin.post("/rest/api/3/search/jql", body).await.expect(200);
        for i in r.body["issues"].as_array().unwrap() {
            assert!(
                i["fields"]["summary"]
                    .as_str()
                    .unwrap()
                    .starts_with("page item")
            );
            seen.push(i["key"].as_str().unwrap().to_string());
        }
        if r.body["isLast"] == true {
            assert!(r.body.get("nextPageToken").is_none());
            break;
        }
        token = Some(r.body["nextPageToken"].as_str().unwrap().to_string());
    }
    let want: Vec<String> = (1..=7).map(|n| format!("{key}-{n}")).collect();
    assert_eq!(seen, want);
    // Without fields only ids come back, as the enhanced search does.
    let r = admin
        .get(&format!(
            "/rest/api/2/search/jql?jql=project%3D{key}&maxResults=1"
        ))
        .await
        .expect(200);
    let first = &r.body["issues"][0];
    assert!(
        first["id"].is_string() && first.get("fields").is_none(),
        "{}",
        r.text
    );
    admin
        .post(
            "/rest/api/3/search/jql",
            json!({"jql": "", "nextPageToken": "garbage!"}),
        )
        .await
        .expect(400);
}

#[tokio::test]
async fn classic_search_pages_with_start_at_and_expands() {
    let key = project("PGS").await;
    for i in 0..5 {
        crate::common::issue(&key, &format!("paged {i}")).await;
    }
    let admin = Client::admin();
    let r = admin
        .get(&format!("/rest/api/2/search?jql=project%3D{key}%20ORDER%20BY%20key&startAt=2&maxResults=2&expand=names,schema,renderedFields"))
        .await
        .expect(200);
    assert_eq!(r.body["total"], 5);
    assert_eq!(r.body["startAt"], 2);
    assert_eq!(keys(&r.body), vec![format!("{key}-3"), format!("{key}-4")]);
    assert_eq!(r.body["names"]["summary"], "Summary");
    assert_eq!(r.body["schema"]["summary"]["type"], "string");
    admin.get("/rest/api/2/search?startAt=-1").await.expect(400);
}

#[tokio::test]
async fn history_operators_use_the_changelog() {
    let key = project("HIS").await;
    let a = crate::common::issue(&key, "moves").await;
    let b = crate::common::issue(&key, "stays").await;
    let admin = Client::admin();
    admin
        .post(
            &format!("/rest/api/2/issue/{a}/transitions"),
            json!({"transition": {"id": "21"}}),
        )
        .await
        .expect(204);
    admin
        .post(
            &format!("/rest/api/2/issue/{a}/transitions"),
            json!({"transition": {"id": "41"}}),
        )
        .await
        .expect(204);
    let body = search(
        &admin,
        &format!("project = {key} AND status WAS \"In Progress\""),
    )
    .await;
    assert_eq!(keys(&body), vec![a.clone()]);
    let body = search(
        &admin,
        &format!(
            "project = {key} AND status CHANGED FROM \"To Do\" TO \"In Progress\" BY currentUser()"
        ),
    )
    .await;
    assert_eq!(keys(&body), vec![a.clone()]);
    let body = search(
        &admin,
        &format!("project = {key} AND status WAS NOT \"In Progress\""),
    )
    .await;
    assert_eq!(keys(&body), vec![b.clone()]);
    let body = search(
        &admin,
        &format!("project = {key} AND status CHANGED AFTER -1h"),
    )
    .await;
    assert_eq!(keys(&body), vec![a]);
}

#[tokio::test]
async fn jql_parse_reports_structure_and_errors() {
    let admin = Client::admin();
    let r = admin
        .post("/rest/api/3/jql/parse?validation=strict", json!({"queries": ["summary ~ test ORDER BY updated DESC", "project = ", "nosuch = 1"]}))
        .await
        .expect(200);
    let q = &r.body["queries"];
    assert_eq!(q[0]["structure"]["where"]["operator"], "~");
    assert_eq!(
        q[0]["structure"]["orderBy"]["fields"][0]["direction"],
        "desc"
    );
    assert!(
        q[1]["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("Error in the JQL Query:")
    );
    assert!(q[2]["errors"][0].as_str().unwrap().contains("nosuch"));
    admin
        .post("/rest/api/3/jql/parse", json!({}))
        .await
        .expect(400);
}

#[test]
fn the_index_is_repaired_from_the_outbox_and_rebuilt_when_missing() {
    let dir = tempfile::tempdir().expect("dir");
    let config = || {
        let mut c = tessera::config::Config::new(dir.path().to_path_buf());
        c.admin_password = Some("repair-admin-pw".into());
        c
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    // First life: the indexer is stopped before it sees the writes (a crash between the
    // SQLite commit and the index commit).
    let (app, _) = tessera::service::Services::open(config()).expect("open");
    app.search.stop_indexer();
    let admin = rt
        .block_on(
            app.auth.caller_for(
                rt.block_on(
                    app.users
                        .user_by_ref(&tessera::service::users::UserRef::Username("admin".into())),
                )
                .unwrap()
                .unwrap()
                .id,
                None,
            ),
        )
        .expect("caller");
    rt.block_on(app.projects.create_project(
        &admin,
        tessera::service::projects::ProjectInput {
            key: Some("REP".into()),
            name: Some("Repair".into()),
            ..Default::default()
        },
    ))
    .expect("project");
    for i in 0..5 {
        use tessera::domain::change::{By, IssueChange, NamedRef, Op, Value};
        let mut change = IssueChange {
            project: Some(tessera::domain::ProjectRef::parse("REP")),
            ..Default::default()
        };
        change.push("summary", Op::Set(Value::Summary(format!("repair {i}"))));
        let task = NamedRef {
            by: By::Name("Task".into()),
            text: "Task".into(),
        };
        change.push("issuetype", Op::Set(Value::IssueType(task)));
        rt.block_on(app.issues.create_issue(&admin, change))
            .expect("issue");
    }
    assert_eq!(
        crate::common::index_documents(&config().index_dir()).len(),
        0,
        "nothing was indexed in the first life"
    );
    drop(app);
    // Second life: the outbox is replayed.
    let (app, _) = tessera::service::Services::open(config()).expect("reopen");
    let page = rt
        .block_on(app.search.search_jql(
            Some(&admin),
            "project = REP",
            tessera::service::search::jql::Validation::Strict,
            0,
            50,
            tessera::service::issues::ViewNeeds::ALL,
        ))
        .expect("search");
    assert_eq!(page.total, 5);
    drop(app);
    // Third life: the index folder is gone; it is rebuilt from SQLite.
    std::fs::remove_dir_all(dir.path().join("index")).expect("remove index");
    let (app, _) = tessera::service::Services::open(config()).expect("reopen");
    assert_eq!(
        crate::common::index_documents(&config().index_dir()).len(),
        5
    );
    let page = rt
        .block_on(app.search.search_jql(
            Some(&admin),
            "summary ~ repair ORDER BY key DESC",
            tessera::service::search::jql::Validation::Strict,
            0,
            50,
            tessera::service::issues::ViewNeeds::ALL,
        ))
        .expect("search");
    assert_eq!(
        page.views.first().map(|v| v.issue.key.clone()),
        Some("REP-5".to_string())
    );
    let _ = server;
}

#[tokio::test]
async fn autocomplete_lists_fields_functions_and_scoped_suggestions() {
    let admin = Client::admin();
    let r = admin
        .get("/rest/api/2/jql/autocompletedata")
        .await
        .expect(200);
    let fields = r.body["visibleFieldNames"].as_array().unwrap();
    let status = fields
        .iter()
        .find(|f| f["value"] == "status")
        .expect("status field");
    assert!(
        status["operators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "was"),
        "{status}"
    );
    assert!(
        r.body["visibleFunctionNames"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["value"] == "currentUser()")
    );
    assert!(
        r.body["jqlReservedWords"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "select")
    );

    let key = project("SUG").await;
    let issue = crate::common::issue(&key, "labelled").await;
    admin
        .put(
            &format!("/rest/api/2/issue/{issue}"),
            json!({"fields": {"labels": ["zebra-stripe"]}}),
        )
        .await
        .expect(204);
    let r = admin
        .get("/rest/api/2/jql/autocompletedata/suggestions?fieldName=labels&fieldValue=zeb")
        .await
        .expect(200);
    assert_eq!(r.body["results"][0]["value"], "zebra-stripe");
    assert_eq!(r.body["results"][0]["displayName"], "<b>zeb</b>ra-stripe");
    let r = admin
        .get("/rest/api/2/jql/autocompletedata/suggestions?fieldName=status&fieldValue=in")
        .await
        .expect(200);
    let values: Vec<&str> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert!(
        values.contains(&"In Progress") && values.contains(&"In Review"),
        "{values:?}"
    );
    let r = admin
        .get(&format!(
            "/rest/api/2/jql/autocompletedata/suggestions?fieldName=project&fieldValue={}",
            &key[..3]
        ))
        .await
        .expect(200);
    assert!(
        r.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == key.as_str())
    );

    // Someone who cannot browse the project gets neither its labels nor the project.
    let (name, password) = user("sug").await;
    admin
        .delete(&format!(
            "/rest/api/2/project/{key}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let outsider = Client::basic(&name, &password);
    let r = outsider
        .get("/rest/api/2/jql/autocompletedata/suggestions?fieldName=labels&fieldValue=zeb")
        .await
        .expect(200);
    assert_eq!(r.body["results"], json!([]));
    let r = outsider
        .get(&format!(
            "/rest/api/2/jql/autocompletedata/suggestions?fieldName=project&fieldValue={key}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body["results"], json!([]));
}

#[tokio::test]
async fn issue_picker_filters_by_current_jql() {
    let key = project("PIK").await;
    let a = crate::common::issue(&key, "picker apple").await;
    let b = crate::common::issue(&key, "picker banana").await;
    let admin = Client::admin();
    admin
        .post(
            &format!("/rest/api/2/issue/{b}/transitions"),
            json!({"transition": {"id": "41"}}),
        )
        .await
        .expect(204);
    let r = admin
        .get(&format!("/rest/api/2/issue/picker?query=pick&currentJQL=project%20%3D%20{key}%20AND%20resolution%20%3D%20Unresolved"))
        .await
        .expect(200);
    let found: Vec<&str> = r.body["sections"][0]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(found, vec![a.as_str()]);
    let r = admin
        .get("/rest/api/2/issue/picker?query=x&currentJQL=status%20%3D")
        .await
        .expect(400);
    assert!(r.jira_error().contains("Error in the JQL Query"));
}

#[tokio::test]
async fn reindex_rebuilds_in_the_background_and_reports_progress() {
    let key = project("RIX").await;
    let issue = crate::common::issue(&key, "reindexed").await;
    let admin = Client::admin();
    let r = admin
        .post("/rest/api/2/reindex?type=BACKGROUND", json!({}))
        .await
        .expect(202);
    assert!(
        r.body["progressUrl"].as_str().unwrap().contains("taskId="),
        "{}",
        r.text
    );
    let mut done = false;
    for _ in 0..200 {
        let r = admin.get("/rest/api/2/reindex/progress").await.expect(200);
        if r.body["currentProgress"] == 100 && r.body["success"] == true {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(done, "the rebuild finished");
    let body = search(&admin, &format!("project = {key}")).await;
    assert_eq!(keys(&body), vec![issue.clone()]);
    // Per-issue requests complete once the index has passed them.
    let id = admin
        .get(&format!("/rest/api/2/issue/{issue}?fields=summary"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin
        .post(
            &format!("/rest/api/2/reindex/issue?issueId={id}"),
            json!({}),
        )
        .await
        .expect(202);
    let request = r.body["id"].as_i64().unwrap();
    admin
        .post("/rest/api/2/reindex/request", json!({}))
        .await
        .expect(200);
    let r = admin
        .get(&format!("/rest/api/2/reindex/request/{request}"))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "COMPLETE");
    let r = admin
        .get(&format!(
            "/rest/api/2/reindex/request/bulk?requestId={request}"
        ))
        .await
        .expect(200);
    assert_eq!(r.body[0]["status"], "COMPLETE");
    admin
        .post("/rest/api/2/reindex/issue?issueId=999999999", json!({}))
        .await
        .expect(404);
    admin
        .post("/rest/api/2/reindex?type=SIDEWAYS", json!({}))
        .await
        .expect(400);
    let (name, password) = user("rix").await;
    Client::basic(&name, &password)
        .post("/rest/api/2/reindex", json!({}))
        .await
        .expect(403);
}

#[tokio::test]
async fn issue_functions_follow_links_watches_votes_and_history() {
    let key = project("FUN").await;
    let a = crate::common::issue(&key, "function source").await;
    let b = crate::common::issue(&key, "function target").await;
    let c = crate::common::issue(&key, "function bystander").await;
    let admin = Client::admin();
    admin
        .post("/rest/api/2/issueLink", json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": a}, "outwardIssue": {"key": b}}))
        .await
        .expect(201);
    let linked = keys(&search(&admin, &format!("issue in linkedIssues({a})")).await);
    assert_eq!(linked, vec![b.clone()]);
    let linked = keys(&search(&admin, &format!("issue in linkedIssues({b}, \"Blocks\")")).await);
    assert_eq!(linked, vec![a.clone()]);
    let linked = keys(&search(&admin, &format!("issue in linkedIssues({b}, \"Relates\")")).await);
    assert!(linked.is_empty());

    // The reporter watches automatically; a second user watches and votes on one issue.
    let (name, password) = user("fun").await;
    let other = Client::basic(&name, &password);
    other
        .post(&format!("/rest/api/2/issue/{c}/watchers"), json!(name))
        .await
        .expect(204);
    other
        .post(&format!("/rest/api/2/issue/{c}/votes"), json!({}))
        .await
        .expect(204);
    assert_eq!(
        keys(
            &search(
                &other,
                &format!("project = {key} AND issue in watchedIssues()")
            )
            .await
        ),
        vec![c.clone()]
    );
    assert_eq!(
        keys(
            &search(
                &other,
                &format!("project = {key} AND issue in votedIssues()")
            )
            .await
        ),
        vec![c.clone()]
    );

    admin
        .put(
            &format!("/rest/api/2/issue/{b}"),
            json!({"fields": {"summary": "function target, edited"}}),
        )
        .await
        .expect(204);
    let by_admin = keys(
        &search(
            &admin,
            &format!("project = {key} AND issue in updatedBy(admin)"),
        )
        .await,
    );
    assert!(
        by_admin.contains(&b) && !by_admin.contains(&c),
        "{by_admin:?}"
    );
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "issue in issueHistory()"}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("issueHistory"));
    let r = admin
        .post(
            "/rest/api/2/search",
            json!({"jql": "issue in linkedIssues(NOPE-1)"}),
        )
        .await
        .expect(400);
    assert!(r.jira_error().contains("NOPE-1"));
}

/// The parts of a `Server-Timing` header, by name, with their durations.
fn server_timing(reply: &crate::common::Reply) -> Vec<(String, f64)> {
    let header = reply
        .headers
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no Server-Timing header: {:?}", reply.headers));
    header
        .split(',')
        .map(|part| {
            let (name, dur) = part
                .trim()
                .split_once(";dur=")
                .unwrap_or_else(|| panic!("not name;dur=ms: {header}"));
            let ms: f64 = dur
                .parse()
                .unwrap_or_else(|_| panic!("not a number: {header}"));
            (name.to_string(), ms)
        })
        .collect()
}

#[tokio::test]
async fn search_answers_carry_server_timing_with_query_load_and_render() {
    let key = project("STIME").await;
    let admin = Client::admin();
    crate::common::issue(&key, "timed one").await;
    crate::common::issue(&key, "timed two").await;
    let jql = format!("project = {key} ORDER BY updated DESC");
    let replies = [
        admin
            .post(
                "/rest/api/2/search",
                json!({"jql": jql, "fields": ["summary"]}),
            )
            .await
            .expect(200),
        admin
            .get(&format!("/rest/api/2/search?jql=project%20%3D%20{key}"))
            .await
            .expect(200),
        admin
            .post(
                "/rest/api/3/search/jql",
                json!({"jql": jql, "fields": ["summary"]}),
            )
            .await
            .expect(200),
    ];
    for reply in &replies {
        assert_eq!(
            reply.body["issues"].as_array().map(Vec::len),
            Some(2),
            "{}",
            reply.text
        );
        let parts = server_timing(reply);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["query", "load", "render"]);
        assert!(parts.iter().all(|(_, ms)| *ms >= 0.0), "{parts:?}");
    }
}
