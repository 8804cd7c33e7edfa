//! The issue picker over a JQL query (`issue/picker` with `currentJQL`).

use super::Validation;
use crate::domain::*;
use crate::search::{Filter, TextField, TextMatch};
use crate::service::Caller;
use crate::service::search::Service;

impl Service {
    /// `issue/picker` with `currentJQL`: matches of the query (key or summary words
    /// starting with it) among the JQL's results, in the JQL's order.
    pub async fn pick_issues_jql(
        &self,
        caller: Option<&Caller>,
        query: &str,
        jql: &str,
        limit: usize,
    ) -> crate::error::Result<Vec<Issue>> {
        let resolved = self.resolve_jql(caller, jql, Validation::Strict).await?;
        let text = query.trim();
        let filter = if text.is_empty() {
            resolved.filter
        } else {
            Filter::And(vec![
                resolved.filter,
                Filter::Or(vec![
                    Filter::KeyIn(vec![text.to_uppercase()]),
                    Filter::Text(
                        vec![TextField::Summary],
                        TextMatch::Prefix(text.to_string()),
                    ),
                ]),
            ])
        };
        let (ids, _) = self
            .search_scoped(resolved.scope, filter, resolved.sort, 0, limit)
            .await?;
        let views = self
            .issues
            .view_issues(caller, ids.into_iter().map(IssueId).collect())
            .await?;
        Ok(views.into_iter().map(|v| v.issue).collect())
    }
}
