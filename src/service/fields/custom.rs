//! Custom field values of a change set checked against the field's kind and resolved.

use super::resolve;
use crate::domain::change::{CustomValue, validate_label};
use crate::domain::*;
use crate::store::StoreResult;
use crate::store::queries::Db;

/// The stored value for `v` on field `f`; `Ok(None)` clears the field.
pub fn value(
    db: &Db,
    f: &CustomField,
    v: &CustomValue,
) -> StoreResult<Result<Option<FieldValue>, String>> {
    use CustomFieldKind as K;
    let name = &f.name;
    Ok(match (f.kind, v) {
        (_, CustomValue::Clear) => Ok(None),
        (
            K::Text | K::Textarea | K::Url | K::EpicLabel | K::EpicColor | K::Rank,
            CustomValue::Text(s),
        ) => text(f, s),
        (K::EpicStatus, CustomValue::Option(r)) => {
            resolve::option_id(f, r).map(|id| Some(FieldValue::Option(id)))
        }
        (K::Sprint, CustomValue::Option(r)) => sprint(db, f, r)?,
        (K::Number, CustomValue::Number(n)) => Ok(Some(FieldValue::Number(*n))),
        (K::Date, CustomValue::Date(d)) => Ok(Some(FieldValue::Date(d.clone()))),
        (K::DateTime, CustomValue::DateTime(m)) => Ok(Some(FieldValue::DateTime(*m))),
        (K::Select, CustomValue::Option(r)) => {
            resolve::option_id(f, r).map(|id| Some(FieldValue::Option(id)))
        }
        (K::MultiSelect, CustomValue::Options(rs)) => rs
            .iter()
            .map(|r| resolve::option_id(f, r))
            .collect::<Result<Vec<_>, _>>()
            .map(|ids| Some(FieldValue::Options(ids))),
        (K::Labels, CustomValue::Labels(ls)) => ls
            .iter()
            .map(|l| validate_label(l))
            .collect::<Result<Vec<_>, _>>()
            .map(|l| Some(FieldValue::Labels(l))),
        (K::User, CustomValue::User(sel)) => match resolve::user(db, sel)? {
            Ok(u) => Ok(u.map(|u| FieldValue::User(u.id))),
            Err(e) => Err(e),
        },
        // Only when the field's kind changed after the request was read.
        _ => Err(format!("{name}: the value does not fit the field's type.")),
    })
}

/// A sprint by id: it must exist and not be closed (Jira refuses adding to a closed one).
fn sprint(
    db: &Db,
    f: &CustomField,
    r: &crate::domain::change::OptionRef,
) -> StoreResult<Result<Option<FieldValue>, String>> {
    use crate::domain::change::OptionBy;
    let id = match &r.by {
        OptionBy::Id(id) => Some(*id),
        OptionBy::IdOrValue(s) | OptionBy::Value(s) => s.trim().parse().ok(),
        _ => None,
    };
    let name = &f.name;
    Ok(
        match id
            .map(|id| crate::store::queries::agile::sprint(db, id))
            .transpose()?
            .flatten()
        {
            None => Err(format!(
                "{name}: Sprint with id '{}' does not exist.",
                id.unwrap_or_default()
            )),
            Some(s) if s.state == crate::domain::agile::SprintState::Closed => Err(format!(
                "{name}: Sprint '{}' is closed; issues cannot be added to it.",
                s.name
            )),
            Some(s) => Ok(Some(FieldValue::Options(vec![s.id]))),
        },
    )
}

fn text(f: &CustomField, s: &str) -> Result<Option<FieldValue>, String> {
    let name = &f.name;
    if s.is_empty() {
        return Ok(None);
    }
    if f.kind == CustomFieldKind::Text && s.chars().count() > 255 {
        return Err(format!("{name}: the text must not exceed 255 characters."));
    }
    if f.kind == CustomFieldKind::Url && !(s.starts_with("http://") || s.starts_with("https://")) {
        return Err(format!("{name}: not a valid URL."));
    }
    Ok(Some(FieldValue::Text(s.to_string())))
}

/// Sets (or with `None` clears) one custom value, keeping the list sorted by field.
pub fn set(issue: &mut Issue, field: i64, value: Option<FieldValue>) {
    issue.custom.retain(|(id, _)| *id != field);
    if let Some(v) = value {
        issue.custom.push((field, v));
        issue.custom.sort_by_key(|(id, _)| *id);
    }
}
