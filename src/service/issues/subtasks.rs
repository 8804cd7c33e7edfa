//! The sub-tasks of an issue with their status and assignee, filtered (the v1
//! surface's "subissues" are exactly these).

use std::collections::HashSet;

use crate::domain::*;
use crate::error::Result;
use crate::service::Caller;

#[derive(Debug, Clone, Default)]
pub struct SubtaskFilter {
    /// Any of these statuses (all when empty).
    pub status_ids: Vec<i64>,
    /// Assigned to any of these accounts (all when empty).
    pub assignee_account_ids: Vec<String>,
    /// Also those in a done-category status.
    pub include_completed: bool,
}

#[derive(Debug, Clone)]
pub struct Subtask {
    pub issue: Issue,
    pub status: Status,
    pub category: StatusCategory,
    pub assignee: Option<User>,
}

impl Subtask {
    pub fn is_completed(&self) -> bool {
        self.category.key == "done"
    }
}

impl super::Service {
    /// Sub-tasks of an issue the caller may browse, oldest first.
    pub async fn subtasks(
        &self,
        caller: &Caller,
        r: &IssueRef,
        filter: &SubtaskFilter,
    ) -> Result<Vec<Subtask>> {
        let view = self.view_issue(Some(caller), r).await?;
        let catalog = self.catalog.current();
        let assignees = view.subtasks.iter().filter_map(|s| s.assignee_id).collect();
        let users = self.users.users_map(assignees).await?;
        let wanted_accounts: HashSet<&str> = filter
            .assignee_account_ids
            .iter()
            .map(String::as_str)
            .collect();
        let mut out = Vec::new();
        for issue in view.subtasks {
            let (Some(status), assignee) = (
                catalog.status(issue.status_id).cloned(),
                issue.assignee_id.and_then(|u| users.get(&u).cloned()),
            ) else {
                continue;
            };
            let Some(category) = catalog.status_category(status.category_id).cloned() else {
                continue;
            };
            let item = Subtask {
                issue,
                status,
                category,
                assignee,
            };
            let status_ok =
                filter.status_ids.is_empty() || filter.status_ids.contains(&item.status.id);
            let assignee_ok = wanted_accounts.is_empty()
                || item
                    .assignee
                    .as_ref()
                    .is_some_and(|u| wanted_accounts.contains(u.account_id.as_str()));
            let completion_ok = filter.include_completed || !item.is_completed();
            if status_ok && assignee_ok && completion_ok {
                out.push(item);
            }
        }
        Ok(out)
    }
}
