//! JQL search: `/search` (offset pages), `/search/jql` (token pages), the approximate
//! count, and `jql/parse`.

use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};

use super::render::{self, Expand, FieldSelection, IssueOptions};
use super::{JiraError, JiraResult, Json, List, Query};
use crate::api::Ctx;
use crate::api::routes::{READ_WORK, Routes};
use crate::error::Error;
use crate::service::search::jql::{SearchTiming, Validation};

pub fn routes() -> Routes {
    Routes::new()
        .get("/search", READ_WORK, search_for_issues_using_jql)
        .post("/search", READ_WORK, search_for_issues_using_jql_post)
        .merge(v3_routes())
}

/// The operations shared with `/rest/api/3`.
pub fn v3_routes() -> Routes {
    Routes::new()
        .get(
            "/search/jql",
            READ_WORK,
            search_and_reconsile_issues_using_jql,
        )
        .post(
            "/search/jql",
            READ_WORK,
            search_and_reconsile_issues_using_jql_post,
        )
        .post("/search/approximate-count", READ_WORK, count_issues)
        .post("/jql/parse", READ_WORK, parse_jql_queries)
        .get("/jql/autocompletedata", READ_WORK, get_auto_complete)
        .get(
            "/jql/autocompletedata/suggestions",
            READ_WORK,
            get_field_auto_complete_for_query_string,
        )
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SearchParams {
    jql: Option<String>,
    start_at: Option<i64>,
    max_results: Option<i64>,
    #[serde(default)]
    fields: List,
    #[serde(default)]
    expand: List,
    #[serde(default)]
    properties: List,
    #[serde(default, deserialize_with = "super::lenient_bool")]
    fields_by_keys: Option<bool>,
    validate_query: Option<Value>,
    next_page_token: Option<String>,
}

fn validation(v: &Option<Value>) -> JiraResult<Validation> {
    Ok(match v {
        None | Some(Value::Null) => Validation::Strict,
        Some(Value::Bool(true)) => Validation::Strict,
        Some(Value::Bool(false)) => Validation::None,
        Some(Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "strict" | "true" => Validation::Strict,
            "warn" => Validation::Warn,
            "none" | "false" => Validation::None,
            other => {
                return Err(JiraError(Error::bad_request(format!(
                    "Invalid validateQuery value: '{other}'. Use strict, warn or none."
                ))));
            }
        },
        Some(_) => {
            return Err(JiraError(Error::bad_request(
                "Invalid validateQuery value.",
            )));
        }
    })
}

/// What the views must carry for the requested fields.
fn needs(fields: &FieldSelection) -> crate::service::issues::ViewNeeds {
    crate::service::issues::ViewNeeds {
        comments: fields.wants("comment", true) || fields.wants("worklog", true),
        subtasks: fields.wants("subtasks", true),
        links: fields.wants("issuelinks", true),
        social: fields.wants("watches", true) || fields.wants("votes", true),
        attachments: fields.wants("attachment", true),
    }
}

/// A hit's `changelog` when `expand` asks for it, as `GET issue/{key}` gives it: the
/// first 100 change groups. Anonymous callers see none.
async fn changelog(
    ctx: &Ctx,
    expand: &Expand,
    view: &crate::service::issues::IssueView,
) -> JiraResult<Option<Value>> {
    let Some(caller) = ctx.caller.as_ref().filter(|_| expand.has("changelog")) else {
        return Ok(None);
    };
    let (_, page, users) = ctx
        .app
        .issues
        .changelog(
            caller,
            &crate::domain::IssueRef::Id(view.issue.id.0),
            0,
            100,
        )
        .await?;
    Ok(Some(json!({
        "startAt": 0, "maxResults": page.items.len(), "total": page.total,
        "histories": page.items.iter().map(|g| render::history(&ctx.base, g, &users)).collect::<Result<Vec<_>, _>>()?,
    })))
}

/// A search answer with its `Server-Timing` header: the query (resolution and index),
/// loading the page's issues, and rendering them, in milliseconds.
type Timed = ([(&'static str, String); 1], Json<Value>);

fn timed(timing: SearchTiming, rendering: std::time::Instant, body: Value) -> Timed {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    (
        [(
            "server-timing",
            format!(
                "query;dur={:.2}, load;dur={:.2}, render;dur={:.2}",
                ms(timing.query),
                ms(timing.load),
                ms(rendering.elapsed())
            ),
        )],
        Json(body),
    )
}

async fn run_search(ctx: Ctx, p: SearchParams) -> JiraResult<Timed> {
    let (start, max) = crate::service::paging(p.start_at, p.max_results, 50, 1000)?;
    let jql = p.jql.unwrap_or_default();
    let fields = FieldSelection::parse(p.fields.items(), "*navigable");
    let page = ctx
        .app
        .search
        .search_jql(
            ctx.caller.as_ref(),
            &jql,
            validation(&p.validate_query)?,
            start as usize,
            max as usize,
            needs(&fields),
        )
        .await?;
    let rendering = std::time::Instant::now();
    let expand = Expand::parse(p.expand.items());
    let wanted_props = p.properties.0.clone();
    let _ = p.fields_by_keys;
    let cat = ctx.app.catalog.current();
    let per_hit = expand.without(&["names", "schema"]);
    let mut issues = Vec::with_capacity(page.views.len());
    for view in &page.views {
        let properties = if wanted_props.is_empty() {
            Vec::new()
        } else {
            ctx.app
                .properties
                .issue_properties(view.issue.id, wanted_props.clone())
                .await?
        };
        issues.push(render::issue(
            &ctx.base,
            &cat,
            view,
            &IssueOptions {
                fields: &fields,
                expand: &per_hit,
                properties,
                changelog: changelog(&ctx, &expand, view).await?,
            },
        )?);
    }
    let mut body = json!({"expand": "schema,names", "startAt": start, "maxResults": max, "total": page.total, "issues": issues});
    if !page.warnings.is_empty() {
        body["warningMessages"] = json!(page.warnings);
    }
    if expand.has("names") {
        body["names"] = Value::Object(render::names(&cat));
    }
    if expand.has("schema") {
        body["schema"] = Value::Object(render::schemas(&cat));
    }
    Ok(timed(page.timing, rendering, body))
}

/// # `GET /rest/api/2/search` (searchForIssuesUsingJql)
async fn search_for_issues_using_jql(ctx: Ctx, Query(p): Query<SearchParams>) -> JiraResult<Timed> {
    run_search(ctx, p).await
}

/// # `POST /rest/api/2/search` (searchForIssuesUsingJqlPost)
async fn search_for_issues_using_jql_post(
    ctx: Ctx,
    Json(p): Json<SearchParams>,
) -> JiraResult<Timed> {
    run_search(ctx, p).await
}

fn encode_token(offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

fn decode_token(token: &str) -> JiraResult<usize> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| JiraError(Error::bad_request("The nextPageToken is invalid.")))
}

async fn run_enhanced(ctx: Ctx, p: SearchParams) -> JiraResult<Timed> {
    let start = match &p.next_page_token {
        Some(t) if !t.is_empty() => decode_token(t)?,
        _ => 0,
    };
    let (_, max) = crate::service::paging(None, p.max_results, 50, 5000)?;
    let jql = p.jql.clone().unwrap_or_default();
    // The enhanced search returns only ids unless fields are asked for.
    let fields = FieldSelection::parse(p.fields.items(), "*none");
    let page = ctx
        .app
        .search
        .search_jql(
            ctx.caller.as_ref(),
            &jql,
            Validation::Strict,
            start,
            max as usize,
            needs(&fields),
        )
        .await?;
    let rendering = std::time::Instant::now();
    let expand = Expand::parse(p.expand.items());
    let wanted_props = p.properties.0.clone();
    let cat = ctx.app.catalog.current();
    let per_hit = expand.without(&["names", "schema"]);
    let mut issues = Vec::with_capacity(page.views.len());
    for view in &page.views {
        let properties = if wanted_props.is_empty() {
            Vec::new()
        } else {
            ctx.app
                .properties
                .issue_properties(view.issue.id, wanted_props.clone())
                .await?
        };
        let mut bean = render::issue(
            &ctx.base,
            &cat,
            view,
            &IssueOptions {
                fields: &fields,
                expand: &per_hit,
                properties,
                changelog: changelog(&ctx, &expand, view).await?,
            },
        )?;
        if p.fields.items().is_empty()
            && let Some(o) = bean.as_object_mut()
        {
            o.retain(|k, _| k == "id");
        }
        issues.push(bean);
    }
    let next = start + page.views.len();
    let is_last = next >= page.total;
    let mut body = json!({"issues": issues, "isLast": is_last});
    if !is_last {
        body["nextPageToken"] = json!(encode_token(next));
    }
    if expand.has("names") {
        body["names"] = Value::Object(render::names(&cat));
    }
    if expand.has("schema") {
        body["schema"] = Value::Object(render::schemas(&cat));
    }
    Ok(timed(page.timing, rendering, body))
}

/// # `GET /rest/api/3/search/jql` (searchAndReconsileIssuesUsingJql)
async fn search_and_reconsile_issues_using_jql(
    ctx: Ctx,
    Query(p): Query<SearchParams>,
) -> JiraResult<Timed> {
    run_enhanced(ctx, p).await
}

/// # `POST /rest/api/3/search/jql` (searchAndReconsileIssuesUsingJqlPost)
async fn search_and_reconsile_issues_using_jql_post(
    ctx: Ctx,
    Json(p): Json<SearchParams>,
) -> JiraResult<Timed> {
    run_enhanced(ctx, p).await
}

#[derive(Deserialize)]
struct CountBody {
    jql: Option<String>,
}

/// # `POST /rest/api/3/search/approximate-count` (countIssues)
async fn count_issues(ctx: Ctx, Json(body): Json<CountBody>) -> JiraResult<Json<Value>> {
    let count = ctx
        .app
        .search
        .count_jql(ctx.caller.as_ref(), &body.jql.unwrap_or_default())
        .await?;
    Ok(Json(json!({"count": count})))
}

#[derive(Deserialize)]
struct ParseBody {
    queries: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
struct ParseQuery {
    validation: Option<String>,
}

/// # `POST /rest/api/3/jql/parse` (parseJqlQueries)
async fn parse_jql_queries(
    ctx: Ctx,
    Query(q): Query<ParseQuery>,
    Json(body): Json<ParseBody>,
) -> JiraResult<Json<Value>> {
    ctx.user()?;
    let mode = validation(&q.validation.map(Value::String))?;
    let queries = body
        .queries
        .ok_or_else(|| JiraError(Error::bad_request("queries must be a list of JQL strings.")))?;
    let mut out = Vec::new();
    for jql in queries {
        match crate::jql::parse(&jql) {
            Err(e) => out.push(json!({"query": jql, "errors": [e.message]})),
            Ok(parsed) => {
                let errors = if mode == Validation::None {
                    Vec::new()
                } else {
                    match ctx
                        .app
                        .search
                        .resolve_jql(ctx.caller.as_ref(), &jql, mode)
                        .await
                    {
                        Ok(_) => Vec::new(),
                        Err(e) => e.messages,
                    }
                };
                let mut entry = json!({"query": jql, "structure": structure(&parsed)});
                if !errors.is_empty() {
                    entry["errors"] = json!(errors);
                }
                out.push(entry);
            }
        }
    }
    Ok(Json(json!({"queries": out})))
}

fn field_json(f: &crate::jql::Field) -> Value {
    let name = f.to_string();
    json!({"name": name, "encodedName": crate::jql::printer::quote_value(&name)})
}

fn operand_json(o: &crate::jql::Operand) -> Value {
    use crate::jql::Operand;
    match o {
        Operand::Empty => json!({"keyword": "EMPTY"}),
        Operand::Value(v, _) => {
            json!({"value": v, "encodedValue": crate::jql::printer::quote_value(v)})
        }
        Operand::Number(n) => json!({"value": n.to_string(), "encodedValue": n.to_string()}),
        Operand::List(items) => {
            json!({"values": items.iter().map(operand_json).collect::<Vec<_>>(), "encodedOperand": o.display()})
        }
        Operand::Function { name, args } => {
            json!({"function": name, "arguments": args, "encodedOperand": o.display()})
        }
    }
}

fn clause_json(c: &crate::jql::Clause) -> Value {
    use crate::jql::Clause;
    match c {
        Clause::And(parts) => {
            json!({"operator": "and", "clauses": parts.iter().map(clause_json).collect::<Vec<_>>()})
        }
        Clause::Or(parts) => {
            json!({"operator": "or", "clauses": parts.iter().map(clause_json).collect::<Vec<_>>()})
        }
        Clause::Not(inner) => json!({"operator": "not", "clauses": [clause_json(inner)]}),
        Clause::Terminal {
            field,
            op,
            value,
            predicates,
            ..
        } => {
            let mut t = json!({"field": field_json(field), "operator": op.as_jql().to_lowercase()});
            if *op != crate::jql::Operator::Changed {
                t["operand"] = operand_json(value);
            }
            if !predicates.is_empty() {
                t["predicates"] = Value::Array(
                    predicates.iter().map(|p| json!({"operator": p.kind.display(), "operand": operand_json(&p.value)})).collect(),
                );
            }
            t
        }
    }
}

/// The parsed query in Jira's `JqlQuery` shape.
fn structure(q: &crate::jql::Query) -> Value {
    let mut out = json!({});
    if let Some(c) = &q.clause {
        out["where"] = clause_json(c);
    }
    if !q.order_by.is_empty() {
        out["orderBy"] = json!({"fields": q.order_by.iter().map(|o| {
            let mut f = json!({"field": field_json(&o.field)});
            if let Some(d) = o.direction {
                f["direction"] = json!(if d == crate::jql::Direction::Desc { "desc" } else { "asc" });
            }
            f
        }).collect::<Vec<_>>()});
    }
    out
}

fn kind_types(kind: crate::jql::ValueKind) -> &'static str {
    use crate::jql::ValueKind as K;
    match kind {
        K::Project => "com.atlassian.jira.project.Project",
        K::IssueKey => "com.atlassian.jira.issue.Issue",
        K::Text | K::Url => "java.lang.String",
        K::IssueType => "com.atlassian.jira.issue.issuetype.IssueType",
        K::Status => "com.atlassian.jira.issue.status.Status",
        K::StatusCategory => "com.atlassian.jira.issue.status.category.StatusCategory",
        K::Priority => "com.atlassian.jira.issue.priority.Priority",
        K::Resolution => "com.atlassian.jira.issue.resolution.Resolution",
        K::User => "com.atlassian.jira.user.ApplicationUser",
        K::Group => "com.atlassian.crowd.embedded.api.Group",
        K::Label => "com.atlassian.jira.issue.label.Label",
        K::Component => "com.atlassian.jira.bc.project.component.ProjectComponent",
        K::Version => "com.atlassian.jira.project.version.Version",
        K::Date | K::DateTime => "java.util.Date",
        K::Number | K::Duration => "java.lang.Number",
        K::IssueLinkType => "com.atlassian.jira.issue.link.IssueLinkType",
        K::Attachment => "com.atlassian.jira.issue.attachment.Attachment",
        K::Option => "com.atlassian.jira.issue.customfields.option.Option",
    }
}

fn operator_names(ops: &[crate::jql::Operator]) -> Vec<String> {
    ops.iter().map(|o| o.as_jql().to_lowercase()).collect()
}

fn custom_kind(kind: crate::domain::CustomFieldKind) -> crate::jql::ValueKind {
    use crate::domain::CustomFieldKind as C;
    use crate::jql::ValueKind as K;
    match kind {
        C::Text | C::Textarea => K::Text,
        C::Url => K::Url,
        C::Number => K::Number,
        C::Date => K::Date,
        C::DateTime => K::DateTime,
        C::Select | C::MultiSelect => K::Option,
        C::Labels => K::Label,
        C::User => K::User,
        C::Sprint | C::EpicStatus => K::Option,
        C::EpicLink => K::IssueKey,
        C::EpicLabel | C::EpicColor => K::Text,
        C::Rank => K::Text,
    }
}

/// # `GET /rest/api/2/jql/autocompletedata` (getAutoComplete)
async fn get_auto_complete(ctx: Ctx) -> JiraResult<Json<Value>> {
    let mut fields: Vec<Value> = crate::jql::fields::SYSTEM_FIELDS
        .iter()
        .flat_map(|f| {
            f.names.iter().map(move |name| {
                json!({
                    "value": name, "displayName": name, "auto": "true",
                    "orderable": f.orderable.to_string(), "searchable": "true",
                    "operators": operator_names(f.operators), "types": [kind_types(f.kind)],
                })
            })
        })
        .collect();
    for cf in ctx.app.search.jql_custom_fields() {
        let kind = custom_kind(cf.kind);
        fields.push(json!({
            "value": format!("cf[{}]", cf.id), "displayName": format!("{} - cf[{}]", cf.name, cf.id), "auto": "true",
            "orderable": (kind != crate::jql::ValueKind::Text).to_string(), "searchable": "true", "cfid": format!("cf[{}]", cf.id),
            "operators": operator_names(kind.custom_operators()), "types": [kind_types(kind)],
        }));
    }
    let functions: Vec<Value> = crate::jql::functions::FUNCTIONS
        .iter()
        .map(|f| {
            let mut v = json!({"value": format!("{}()", f.name), "displayName": format!("{}()", f.name), "types": []});
            if f.returns.is_list() {
                v["isList"] = json!("true");
            }
            v
        })
        .collect();
    let reserved: Vec<String> = crate::jql::lexer::RESERVED_WORDS
        .iter()
        .map(|w| w.to_string())
        .collect();
    Ok(Json(
        json!({"visibleFieldNames": fields, "visibleFunctionNames": functions, "jqlReservedWords": reserved}),
    ))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct SuggestionQuery {
    field_name: Option<String>,
    field_value: Option<String>,
    predicate_name: Option<String>,
    predicate_value: Option<String>,
}

fn highlight(display: &str, typed: &str) -> String {
    let escaped = crate::markup::escape;
    if typed.is_empty() {
        return escaped(display);
    }
    match display.to_lowercase().find(&typed.to_lowercase()) {
        Some(i) if display.is_char_boundary(i) && display.is_char_boundary(i + typed.len()) => {
            format!(
                "{}<b>{}</b>{}",
                escaped(&display[..i]),
                escaped(&display[i..i + typed.len()]),
                escaped(&display[i + typed.len()..])
            )
        }
        _ => escaped(display),
    }
}

/// # `GET /rest/api/2/jql/autocompletedata/suggestions` (getFieldAutoCompleteForQueryString)
///
/// Values come from data the caller may see (projects they browse, labels of issues in
/// them, users when they may browse users). `displayName` is HTML with the typed part
/// in `<b>`, everything else escaped.
async fn get_field_auto_complete_for_query_string(
    ctx: Ctx,
    Query(q): Query<SuggestionQuery>,
) -> JiraResult<Json<Value>> {
    let (field, typed) = match (&q.predicate_name, &q.field_name) {
        // "BY" predicates suggest users; others suggest values of the field.
        (Some(p), _) if p.eq_ignore_ascii_case("by") => (
            "assignee".to_string(),
            q.predicate_value.clone().unwrap_or_default(),
        ),
        (_, Some(f)) => (
            f.clone(),
            q.field_value
                .clone()
                .or(q.predicate_value.clone())
                .unwrap_or_default(),
        ),
        _ => return Ok(Json(json!({"results": []}))),
    };
    let results: Vec<Value> = ctx
        .app
        .search
        .jql_suggestions(ctx.caller.as_ref(), &field, &typed)
        .await?
        .into_iter()
        .map(|(value, display)| json!({"value": value, "displayName": highlight(&display, &typed)}))
        .collect();
    Ok(Json(json!({"results": results})))
}
