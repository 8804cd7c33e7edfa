//! Groups: the group with a page of members, deletion with a swap group, member pages
//! and the group pickers.

use super::Service;
use crate::domain::User;
use crate::domain::audit::{AuditEntry, AuditItem, category};
use crate::error::{Error, Result};
use crate::service::Caller;
use crate::service::audit::record;
use crate::store::queries::{users as uq, users_admin as q};

/// A group and one page of its members (`GET group`, `expand=users[a:b]`).
#[derive(Debug, Clone)]
pub struct GroupView {
    pub name: String,
    pub total: i64,
    pub start: i64,
    pub members: Vec<User>,
}

/// A page of a group's members (`GET group/member`).
#[derive(Debug, Clone)]
pub struct GroupPage {
    pub name: String,
    pub start: i64,
    pub max: i64,
    pub total: i64,
    pub members: Vec<User>,
}

/// Groups matching a picker query: the first `groups`, of `total` matching.
#[derive(Debug, Clone)]
pub struct PickedGroups {
    pub total: usize,
    pub groups: Vec<String>,
}

fn unknown_group(name: &str) -> Error {
    Error::not_found(format!("Group with name '{name}' does not exist."))
}

impl Service {
    async fn group_row(&self, name: &str) -> Result<(i64, String)> {
        let n = name.to_string();
        let found = self
            .store
            .read(move |db| {
                Ok(uq::group_names(db)?
                    .into_iter()
                    .find(|(_, g)| g.eq_ignore_ascii_case(&n)))
            })
            .await?;
        found.ok_or_else(|| unknown_group(name))
    }

    /// A group with members `start..=end` (administrators; `members: None` skips them).
    pub async fn get_group(
        &self,
        caller: &Caller,
        name: &str,
        members: Option<(i64, i64)>,
    ) -> Result<GroupView> {
        self.permissions.require_admin(caller)?;
        let (id, name) = self.group_row(name).await?;
        let (start, end) = members.unwrap_or((0, -1));
        let max = (end - start + 1).max(0);
        let (total, members) = self
            .store
            .read(move |db| q::member_page(db, id, false, start, max))
            .await?;
        Ok(GroupView {
            name,
            total,
            start,
            members,
        })
    }

    /// `GET group/member`: members by username, a page at a time (administrators).
    pub async fn group_members(
        &self,
        caller: &Caller,
        name: &str,
        include_inactive: bool,
        start: i64,
        max: i64,
    ) -> Result<GroupPage> {
        self.permissions.require_admin(caller)?;
        let (id, name) = self.group_row(name).await?;
        let (total, members) = self
            .store
            .read(move |db| q::member_page(db, id, include_inactive, start, max))
            .await?;
        Ok(GroupPage {
            name,
            start,
            max,
            total,
            members,
        })
    }

    /// Deletes a group; with `swap`, what the group held moves to that group (see
    /// `users_admin::delete_group`). The administrators' group cannot go.
    pub async fn delete_group(
        &self,
        caller: &Caller,
        name: &str,
        swap: Option<&str>,
    ) -> Result<()> {
        self.permissions.require_admin(caller)?;
        let (id, name) = self.group_row(name).await?;
        if name.eq_ignore_ascii_case("jira-administrators") {
            return Err(Error::bad_request(
                "The group 'jira-administrators' holds the administration and cannot be deleted.",
            ));
        }
        let swap = match swap.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                let found = self.group_row(s).await.map_err(|_| {
                    Error::bad_request(format!("The swap group '{s}' does not exist."))
                })?;
                if found.0 == id {
                    return Err(Error::bad_request(
                        "The swap group must be another group than the one deleted.",
                    ));
                }
                Some(found)
            }
        };
        let caller = caller.clone();
        self.store
            .write(move |tx| {
                let moved =
                    q::delete_group(tx, id, &name, swap.as_ref().map(|(i, n)| (*i, n.as_str())))?;
                let mut entry = AuditEntry::new(
                    category::GROUP_MANAGEMENT,
                    "Group deleted",
                    AuditItem::group(&name),
                );
                if let Some((_, s)) = &swap {
                    entry = entry
                        .changed("swapGroup", None::<String>, Some(s.clone()))
                        .associated(AuditItem::group(s));
                }
                entry = entry
                    .changed(
                        "globalPermissions",
                        None::<String>,
                        Some(moved.global_grants.to_string()),
                    )
                    .changed(
                        "permissionGrants",
                        None::<String>,
                        Some(moved.scheme_grants.to_string()),
                    )
                    .changed(
                        "roleActors",
                        None::<String>,
                        Some(moved.role_actors.to_string()),
                    )
                    .changed(
                        "filterShares",
                        None::<String>,
                        Some(moved.filter_shares.to_string()),
                    )
                    .changed(
                        "restrictedComments",
                        None::<String>,
                        Some(moved.restricted_comments.to_string()),
                    )
                    .changed(
                        "restrictedWorklogs",
                        None::<String>,
                        Some(moved.restricted_worklogs.to_string()),
                    );
                record(tx, &caller, &entry)?;
                Ok(())
            })
            .await?;
        // Global and scheme grants live in the catalog snapshot.
        self.catalog.reload().await?;
        Ok(())
    }

    /// Groups whose name contains `query` (case-insensitive), sorted, minus `exclude`,
    /// only `user`'s groups when one is named.
    pub async fn find_groups(
        &self,
        caller: &Caller,
        query: &str,
        exclude: &[String],
        max: usize,
        user: Option<&crate::service::users::UserRef>,
    ) -> Result<PickedGroups> {
        self.require_user_picker(caller)?;
        let only: Option<Vec<String>> = match user {
            None => None,
            Some(r) => Some(self.users.get_user(caller, r).await?.1),
        };
        let all = self.store.read(uq::group_names).await?;
        let needle = query.to_lowercase();
        let matching: Vec<String> = all
            .into_iter()
            .map(|(_, n)| n)
            .filter(|n| n.to_lowercase().contains(&needle))
            .filter(|n| !exclude.iter().any(|e| e.eq_ignore_ascii_case(n)))
            .filter(|n| {
                only.as_ref()
                    .is_none_or(|o| o.iter().any(|g| g.eq_ignore_ascii_case(n)))
            })
            .collect();
        Ok(PickedGroups {
            total: matching.len(),
            groups: matching.into_iter().take(max).collect(),
        })
    }
}
