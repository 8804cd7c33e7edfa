//! The changelog: the items between two states of an issue, in Jira's shapes, driven by
//! the system field table (each entry knows how its value reads from an issue).

use super::catalog::{CHANGELOG_ORDER, Log, Owner, system_field};
use crate::domain::*;
use crate::service::Catalog;
use crate::store::StoreResult;
use crate::store::queries::{Db, issues as iq, projects as pq, users as uq};

/// The changelog items between two states of an issue.
pub fn diff(db: &Db, cat: &Catalog, old: &Issue, new: &Issue) -> StoreResult<Vec<ChangeItem>> {
    let mut items = Vec::new();
    let mut lists = ProjectLists::default();
    for f in CHANGELOG_ORDER.iter().filter_map(|id| system_field(id)) {
        system_item(db, cat, &mut lists, f.id, &f.log, old, new, &mut items)?;
    }
    if old.security_level_id != new.security_level_id {
        let side = |l: Option<i64>| -> StoreResult<Side> {
            Ok(match l {
                Some(id) => (
                    Some(id.to_string()),
                    crate::service::levels::level_name(db, id)?,
                ),
                None => (None, None),
            })
        };
        let (from, to) = (side(old.security_level_id)?, side(new.security_level_id)?);
        items.push(item("security", "security", "jira", from, to));
    }
    for f in &cat.custom_fields {
        let (a, b) = (custom_of(old, f.id), custom_of(new, f.id));
        if a != b {
            items.push(item(
                &f.name,
                &f.field_id(),
                "custom",
                (None, custom_text(db, f, a)?),
                (None, custom_text(db, f, b)?),
            ));
        }
    }
    Ok(items)
}

fn custom_of(issue: &Issue, field: i64) -> Option<&FieldValue> {
    issue
        .custom
        .iter()
        .find(|(id, _)| *id == field)
        .map(|(_, v)| v)
}

/// An (id, text) side of a changelog item.
type Side = (Option<String>, Option<String>);

fn item(field: &str, field_id: &str, ftype: &str, from: Side, to: Side) -> ChangeItem {
    ChangeItem {
        field: field.into(),
        field_type: ftype.into(),
        field_id: field_id.into(),
        from: from.0,
        from_string: from.1,
        to: to.0,
        to_string: to.1,
    }
}

/// The project's components and versions, loaded only when a change needs their names.
#[derive(Default)]
struct ProjectLists {
    components: Option<Vec<(i64, String)>>,
    versions: Option<Vec<(i64, String)>>,
}

impl ProjectLists {
    fn name(
        &mut self,
        db: &Db,
        project: ProjectId,
        owner: Owner,
        id: i64,
    ) -> StoreResult<Option<String>> {
        let list = match owner {
            Owner::Components => &mut self.components,
            Owner::Versions => &mut self.versions,
        };
        if list.is_none() {
            *list = Some(match owner {
                Owner::Components => pq::components(db, project)?
                    .into_iter()
                    .map(|c| (c.id, c.name))
                    .collect(),
                Owner::Versions => pq::versions(db, project)?
                    .into_iter()
                    .map(|v| (v.id, v.name))
                    .collect(),
            });
        }
        Ok(list
            .as_ref()
            .and_then(|l| l.iter().find(|(i, _)| *i == id))
            .map(|(_, n)| n.clone()))
    }
}

/// The items one system field contributes.
#[allow(clippy::too_many_arguments)] // the two states, where to write, and three lookups
fn system_item(
    db: &Db,
    cat: &Catalog,
    lists: &mut ProjectLists,
    id: &str,
    log: &Log,
    old: &Issue,
    new: &Issue,
    items: &mut Vec<ChangeItem>,
) -> StoreResult<()> {
    let mut push = |from: Side, to: Side| items.push(item(id, id, "jira", from, to));
    match log {
        Log::None => {}
        Log::Text(get) => {
            let (a, b) = (get(old), get(new));
            if a != b {
                push((None, a), (None, b));
            }
        }
        Log::Plain(get) => {
            let (a, b) = (get(old), get(new));
            if a != b {
                push((a.clone(), a), (b.clone(), b));
            }
        }
        Log::Named(get, name) => {
            let (a, b) = (get(old), get(new));
            if a != b {
                let side =
                    |v: Option<i64>| (v.map(|i| i.to_string()), v.and_then(|i| name(cat, i)));
                push(side(a), side(b));
            }
        }
        Log::User(get) => {
            let (a, b) = (get(old), get(new));
            if a != b {
                push(user_side(db, a)?, user_side(db, b)?);
            }
        }
        Log::Parent(label) => {
            if old.parent_id != new.parent_id {
                let side = |v: Option<IssueId>| -> StoreResult<Side> {
                    let key = match v {
                        Some(id) => iq::by_id(db, id)?.map(|i| i.key),
                        None => None,
                    };
                    Ok((v.map(|i| i.0.to_string()), key))
                };
                items.push(item(
                    label,
                    id,
                    "jira",
                    side(old.parent_id)?,
                    side(new.parent_id)?,
                ));
            }
        }
        Log::Each(label, owner, get) => {
            let (a, b) = (get(old), get(new));
            // One item per id removed, then per id added, as Jira records them.
            for gone in a.iter().filter(|i| !b.contains(i)) {
                let name = lists.name(db, new.project_id, *owner, *gone)?;
                items.push(item(
                    label,
                    id,
                    "jira",
                    (Some(gone.to_string()), name),
                    (None, None),
                ));
            }
            for added in b.iter().filter(|i| !a.contains(i)) {
                let name = lists.name(db, new.project_id, *owner, *added)?;
                items.push(item(
                    label,
                    id,
                    "jira",
                    (None, None),
                    (Some(added.to_string()), name),
                ));
            }
        }
    }
    Ok(())
}

fn user_side(db: &Db, id: Option<UserId>) -> StoreResult<Side> {
    Ok(match id {
        Some(id) => uq::by_id(db, id)?
            .map(|u| (Some(u.account_id), Some(u.display_name)))
            .unwrap_or((None, None)),
        None => (None, None),
    })
}

/// A custom value as changelog text.
fn custom_text(db: &Db, f: &CustomField, v: Option<&FieldValue>) -> StoreResult<Option<String>> {
    let opt = |id: &i64| {
        f.options
            .iter()
            .find(|o| o.id == *id)
            .map(|o| o.value.clone())
            .unwrap_or_default()
    };
    Ok(match v {
        None => None,
        Some(FieldValue::Text(s)) | Some(FieldValue::Date(s)) => Some(s.clone()),
        Some(FieldValue::Number(n)) => Some(n.to_string()),
        Some(FieldValue::DateTime(m)) => Some(m.to_jira()),
        Some(FieldValue::Option(o)) => Some(opt(o)),
        Some(FieldValue::Options(o)) => Some(o.iter().map(opt).collect::<Vec<_>>().join(",")),
        Some(FieldValue::Labels(l)) => Some(l.join(" ")),
        Some(FieldValue::User(u)) => uq::by_id(db, *u)?.map(|u| u.display_name),
    })
}
