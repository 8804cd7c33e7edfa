//! References of a change set resolved against the catalog and the store.

use crate::domain::change::{By, NamedRef, OptionBy, OptionRef, UserSel};
use crate::domain::*;
use crate::store::StoreResult;
use crate::store::queries::{Db, users as uq};

/// The entry of `items` a reference names (by id, or by name ignoring case).
pub fn named<'a, T>(
    r: &NamedRef,
    items: &'a [T],
    id: impl Fn(&T) -> i64,
    name: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    match &r.by {
        By::Id(wanted) => items.iter().find(|t| id(t) == *wanted),
        By::Name(wanted) => items.iter().find(|t| name(t).eq_ignore_ascii_case(wanted)),
        By::Nothing => None,
    }
}

/// The enabled option of a select field a reference names.
pub fn option_id(f: &CustomField, r: &OptionRef) -> Result<i64, String> {
    let mut enabled = f.options.iter().filter(|o| !o.disabled);
    let found = match &r.by {
        OptionBy::Id(id) => enabled.find(|x| x.id == *id),
        OptionBy::Value(s) => enabled.find(|x| &x.value == s),
        OptionBy::IdOrValue(s) => enabled.find(|x| x.id.to_string() == *s || &x.value == s),
        OptionBy::Nothing => None,
    };
    found
        .map(|o| o.id)
        .ok_or_else(|| format!("Option value '{}' is not valid", r.text))
}

/// The active user a reference names; `Ok(None)` means "nobody". `Automatic` is the
/// caller's to resolve (it depends on the project), so here it reads as Jira's `-1`.
pub fn user(db: &Db, sel: &UserSel) -> StoreResult<Result<Option<User>, String>> {
    let key = match sel {
        UserSel::Nobody => return Ok(Ok(None)),
        UserSel::Invalid(e) => return Ok(Err(e.clone())),
        UserSel::Automatic => "-1",
        UserSel::Key(k) => k.as_str(),
    };
    let found = match uq::by_username(db, key)? {
        Some(u) => Some(u),
        None => match uq::by_account_id(db, key)? {
            Some(u) => Some(u),
            None => uq::by_login(db, key)?,
        },
    };
    Ok(match found {
        Some(u) if u.active => Ok(Some(u)),
        _ => Err(format!("User '{key}' does not exist.")),
    })
}
