//! Jira Software: boards over saved filters, sprints, the backlog, ranking and epics.
//!
//! Boards and sprints have their own tables; which sprint an issue is in, its rank, its
//! epic name and its story points are the values of the Jira Software custom fields, so
//! the issue view, edit screens and JQL see them as fields. Listings are JQL searches
//! (the board's filter and a clause), so an issue the caller may not see never appears.
//! Every write to issues here changes one field value in one write job, with the outbox.

mod boards;
mod epics;
mod properties;
mod ranking;
mod sprints;

use std::sync::Arc;

pub use boards::{BoardConfig, BoardQuery, BoardView, Listing, NewBoard};
pub use epics::{EpicPatch, EpicView, epic_view};
pub use properties::Owner;
pub use ranking::{RankOutcome, RankRequest};
pub use sprints::{SprintInput, SprintView};

use super::fields::custom;
use super::{Caller, Catalog, Permission, catalog, filters, issues, permissions, search};
use crate::domain::agile::*;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::{Db, agile as q, issues as iq, projects as pq};
use crate::store::{Store, StoreResult, Tx};

pub const BOARD_NOT_FOUND: &str = "The requested board cannot be viewed because it either does not exist or you do not have permission to view it.";

pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    search: Arc<search::Service>,
    filters: Arc<filters::Service>,
    issues: Arc<issues::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        search: Arc<search::Service>,
        filters: Arc<filters::Service>,
        issues: Arc<issues::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            search,
            filters,
            issues,
        }
    }

    /// The id of one of the Jira Software fields (seeded by migration V18).
    fn field(&self, kind: CustomFieldKind) -> Result<i64> {
        field_id(&self.catalog.current(), kind)
    }
}

fn field_id(cat: &Catalog, kind: CustomFieldKind) -> Result<i64> {
    cat.agile_field(kind).map(|f| f.id).ok_or_else(|| {
        tracing::error!(?kind, "a Jira Software field is missing");
        Error::internal()
    })
}

/// Not logged in: the agile API answers 401 to anonymous callers.
pub fn require_caller(caller: Option<&Caller>) -> Result<&Caller> {
    require(caller)
}

fn require(caller: Option<&Caller>) -> Result<&Caller> {
    caller.ok_or_else(Error::unauthenticated)
}

/// Sprint ids in an issue's Sprint field.
fn sprint_ids(issue: &Issue, field: i64) -> Vec<i64> {
    issue
        .custom
        .iter()
        .find(|(id, _)| *id == field)
        .map(|(_, v)| match v {
            FieldValue::Options(ids) => ids.clone(),
            _ => Vec::new(),
        })
        .unwrap_or_default()
}

/// Writes one custom field value of an issue: the row, its `updated` stamp and the
/// outbox for the index, inside the caller's write job.
fn write_field(
    tx: &Tx,
    issue: &mut Issue,
    field: i64,
    value: Option<FieldValue>,
) -> StoreResult<()> {
    custom::set(issue, field, value);
    write_issue(tx, issue)
}

/// Writes an issue's sprints and records the change in its history, as Jira shows it
/// (`Sprint`: the sprint ids and names before and after).
fn write_sprints(
    tx: &Tx,
    issue: &mut Issue,
    field: i64,
    ids: Vec<i64>,
    who: Option<UserId>,
) -> StoreResult<()> {
    let before = sprint_ids(issue, field);
    if before == ids {
        return Ok(());
    }
    let describe = |ids: &[i64]| -> StoreResult<(Option<String>, Option<String>)> {
        if ids.is_empty() {
            return Ok((None, None));
        }
        let sprints = q::sprints_by_ids(tx, ids)?;
        let name = |id: &i64| {
            sprints
                .iter()
                .find(|s| s.id == *id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let join = |f: &dyn Fn(&i64) -> String| ids.iter().map(f).collect::<Vec<_>>().join(", ");
        Ok((Some(join(&|i| i.to_string())), Some(join(&name))))
    };
    let (from, from_string) = describe(&before)?;
    let (to, to_string) = describe(&ids)?;
    crate::store::queries::changelog::record(
        tx,
        issue.id,
        who,
        tx.now(),
        &[ChangeItem {
            field: "Sprint".into(),
            field_type: "custom".into(),
            field_id: format!("customfield_{field}"),
            from,
            from_string,
            to,
            to_string,
        }],
    )?;
    let value = (!ids.is_empty()).then_some(FieldValue::Options(ids));
    write_field(tx, issue, field, value)
}

fn write_issue(tx: &Tx, issue: &mut Issue) -> StoreResult<()> {
    issue.updated = tx.now();
    iq::update(tx, issue)?;
    iq::enqueue_index(tx, issue.id, tx.now())
}

/// An issue the caller may change with `need`, loaded inside the write job; the error
/// is the per-issue message Jira gives (a hidden issue reads as a missing one).
fn writable_issue(
    db: &Db,
    cat: &Catalog,
    caller: &Caller,
    key: &str,
    need: Permission,
) -> StoreResult<std::result::Result<Issue, String>> {
    // The key is not repeated: an error about a hidden issue names nothing it holds.
    let missing =
        || Err("Issue does not exist or you do not have permission to see it.".to_string());
    let Some(issue) = iq::by_ref(db, &IssueRef::parse(key))? else {
        return Ok(missing());
    };
    let Some(project) = pq::by_id(db, issue.project_id)? else {
        return Ok(missing());
    };
    let perms = permissions::caller_permissions(db, cat, Some(caller), &project, Some(&issue))?;
    Ok(if !perms.has(Permission::BrowseProjects) {
        missing()
    } else if !perms.has(need) {
        Err(format!(
            "You do not have permission to change issue {}: {} is required.",
            issue.key,
            need.name()
        ))
    } else {
        Ok(issue)
    })
}

/// Refuses a batch with Jira's 400 when any issue failed, naming each.
fn all_or_error(errors: Vec<String>) -> std::result::Result<(), crate::store::StoreError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error {
            kind: crate::error::Kind::BadRequest,
            messages: errors,
            fields: Default::default(),
        }
        .into())
    }
}

/// The WHERE part of a filter's JQL (its ORDER BY dropped), so clauses can be added.
fn where_part(jql: &str) -> String {
    crate::jql::split_order_by(jql).0.to_string()
}

/// `(a) AND (b) ...` over the non-empty parts, then the order.
fn and_jql(parts: &[&str], order: &str) -> String {
    let parts: Vec<String> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| format!("({p})"))
        .collect();
    format!("{} {order}", parts.join(" AND "))
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_part_drops_the_order() {
        assert_eq!(where_part("project = A ORDER BY Rank ASC"), "project = A");
        assert_eq!(
            where_part("summary ~ \"order by\""),
            "summary ~ \"order by\""
        );
        assert_eq!(where_part("ORDER BY created"), "");
        assert_eq!(
            and_jql(&["project = A", "", "sprint = 1"], "ORDER BY Rank"),
            "(project = A) AND (sprint = 1) ORDER BY Rank"
        );
    }
}
