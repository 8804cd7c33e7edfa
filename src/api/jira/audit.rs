//! The audit log: `GET auditing/record`, for administrators.

use serde::{Deserialize, Serialize};

use super::{JiraResult, Json, Query};
use crate::api::Ctx;
use crate::api::routes::{MANAGE_CONFIG, Routes};
use crate::domain::Millis;
use crate::domain::audit::{AuditItem, AuditQuery, AuditRecord};
use crate::error::Error;

pub fn routes() -> Routes {
    Routes::new().get("/auditing/record", MANAGE_CONFIG, get_records)
}

/// Jira's cap, and the default when `limit` is absent, zero or above it.
const MAX_LIMIT: usize = 1000;

#[derive(Deserialize)]
struct RecordsQuery {
    offset: Option<i64>,
    limit: Option<i64>,
    filter: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemBean {
    id: String,
    name: String,
    type_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_name: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangedValueBean {
    field_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_to: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordBean {
    id: i64,
    summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    remote_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author_key: Option<String>,
    created: String,
    category: String,
    event_source: &'static str,
    object_item: ItemBean,
    changed_values: Vec<ChangedValueBean>,
    associated_items: Vec<ItemBean>,
}

#[derive(Serialize)]
struct RecordsBean {
    offset: usize,
    limit: usize,
    total: usize,
    records: Vec<RecordBean>,
}

fn item(i: AuditItem) -> ItemBean {
    ItemBean {
        id: i.id,
        name: i.name,
        type_name: i.type_name,
        parent_id: i.parent_id,
        parent_name: i.parent_name,
    }
}

fn record(r: AuditRecord) -> RecordBean {
    RecordBean {
        id: r.id,
        summary: r.entry.summary,
        remote_address: r.remote_address,
        author_key: r.author_key,
        created: r.created.to_jira(),
        category: r.entry.category,
        event_source: "",
        object_item: item(r.entry.object),
        changed_values: r
            .entry
            .changed_values
            .into_iter()
            .map(|v| ChangedValueBean {
                field_name: v.field_name,
                changed_from: v.changed_from,
                changed_to: v.changed_to,
            })
            .collect(),
        associated_items: r.entry.associated_items.into_iter().map(item).collect(),
    }
}

/// `from` / `to`: a Jira timestamp (`2026-01-31T14:00:00.000+0000`), a date, or
/// milliseconds since the epoch.
fn timestamp(name: &str, raw: Option<&str>) -> Result<Option<Millis>, Error> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if let Ok(ms) = raw.parse::<i64>() {
        return Ok(Some(Millis(ms)));
    }
    Millis::parse(raw)
        .or_else(|| {
            crate::domain::time::parse_date(raw)
                .and_then(|d| Millis::parse(&format!("{d}T00:00:00.000+0000")))
        })
        .map(Some)
        .ok_or_else(|| Error::bad_request(format!("'{name}' is not a valid timestamp: '{raw}'.")))
}

/// # `GET /rest/api/2/auditing/record` (getRecords)
///
/// Newest first. `filter` matches the summary, category, object, author and changed
/// values; `from` after `to` gives an empty page, as Jira documents.
async fn get_records(ctx: Ctx, Query(q): Query<RecordsQuery>) -> JiraResult<Json<RecordsBean>> {
    let caller = ctx.user()?;
    let offset = q.offset.unwrap_or(0).max(0) as usize;
    let limit = match q.limit {
        Some(l) if l > 0 && (l as usize) <= MAX_LIMIT => l as usize,
        _ => MAX_LIMIT,
    };
    let query = AuditQuery {
        text: q.filter.filter(|f| !f.trim().is_empty()),
        from: timestamp("from", q.from.as_deref())?,
        to: timestamp("to", q.to.as_deref())?,
        offset,
        limit,
    };
    let (records, total) = ctx.app.audit.records(caller, query).await?;
    Ok(Json(RecordsBean {
        offset,
        limit,
        total,
        records: records.into_iter().map(record).collect(),
    }))
}
