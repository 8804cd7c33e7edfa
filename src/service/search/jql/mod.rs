//! JQL in the service: resolution wired to the store and the index. `jql::resolve`
//! turns a parsed query into a plan through [`StoreLookup`] (inside one read
//! transaction), `search::from_plan` turns the plan into an index filter, and the
//! caller's browsable projects become the search scope.

mod lookup;
mod picker;
mod suggestions;

use crate::domain::*;
use crate::search::{Filter, SortKey};
use crate::service::Caller;
use crate::store::queries::projects as pq;
use lookup::StoreLookup;

pub use crate::jql::Validation;

/// A resolved query.
pub struct Resolved {
    pub filter: Filter,
    /// Projects the caller may browse, every search being confined to them; `None` when
    /// that is every project (no restriction to evaluate).
    pub scope: Option<Vec<i64>>,
    pub sort: Vec<SortKey>,
    pub warnings: Vec<String>,
}

/// A page of search results.
pub struct SearchPage {
    pub views: Vec<crate::service::issues::IssueView>,
    pub total: usize,
    pub warnings: Vec<String>,
    /// Where the time went, for the `Server-Timing` header.
    pub timing: SearchTiming,
}

/// Time spent resolving and running the query, and loading the page's issues.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchTiming {
    pub query: std::time::Duration,
    pub load: std::time::Duration,
}

impl super::Service {
    /// Parses and resolves `jql` for the caller; errors are Jira-worded 400s.
    pub async fn resolve_jql(
        &self,
        caller: Option<&Caller>,
        jql: &str,
        validation: Validation,
    ) -> crate::error::Result<Resolved> {
        let query =
            crate::jql::parse(jql).map_err(|e| crate::error::Error::bad_request(e.message))?;
        let projects: Vec<Project> = self
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        let resolved = self
            .store
            .read(move |db| {
                let every_project = pq::count(db)? == projects.len() as i64;
                let security =
                    crate::service::levels::search_filter(db, caller.as_ref(), &projects)?;
                let levels: Vec<(i64, String)> = crate::store::queries::security::all(db)?
                    .into_iter()
                    .flat_map(|s| s.levels)
                    .map(|l| (l.id, l.name))
                    .collect();
                let lookup = StoreLookup {
                    levels: &levels,
                    db,
                    catalog: &catalog,
                    caller: caller.as_ref().map(|c| c.user.id),
                    projects: &projects,
                    now: db.now().0,
                    // The caller's zone; anonymous callers and unknown names read UTC.
                    time_zone: caller
                        .as_ref()
                        .and_then(|c| jiff::tz::TimeZone::get(&c.user.time_zone).ok())
                        .unwrap_or(jiff::tz::TimeZone::UTC),
                };
                let plan = crate::jql::resolve(&lookup, &query, validation)?;
                Ok(plan.map(|plan| {
                    let (filter, sort) = crate::search::from_plan(&plan);
                    Resolved {
                        // Issue security rides on the filter, so every search and count
                        // that uses the resolved query is restricted by it.
                        filter: match security {
                            Some(s) => Filter::And(vec![s, filter]),
                            None => filter,
                        },
                        // Browsing everything: no scope to evaluate per document.
                        scope: (!every_project).then(|| projects.iter().map(|p| p.id.0).collect()),
                        sort,
                        warnings: plan.warnings,
                    }
                }))
            })
            .await?;
        resolved.map_err(|messages| crate::error::Error {
            kind: crate::error::Kind::BadRequest,
            messages,
            fields: Default::default(),
        })
    }

    /// Runs a JQL search: one page of issues (with everything needed to render them).
    pub async fn search_jql(
        &self,
        caller: Option<&Caller>,
        jql: &str,
        validation: Validation,
        start: usize,
        max: usize,
        needs: crate::service::issues::ViewNeeds,
    ) -> crate::error::Result<SearchPage> {
        let started = std::time::Instant::now();
        let resolved = self.resolve_jql(caller, jql, validation).await?;
        let (ids, total) = self
            .search_scoped(resolved.scope, resolved.filter, resolved.sort, start, max)
            .await?;
        let queried = std::time::Instant::now();
        let views = self
            .issues
            .view_issues_with(caller, ids.into_iter().map(IssueId).collect(), needs)
            .await?;
        Ok(SearchPage {
            views,
            total,
            warnings: resolved.warnings,
            timing: SearchTiming {
                query: queried - started,
                load: queried.elapsed(),
            },
        })
    }

    /// Counts the matches of a JQL query.
    pub async fn count_jql(
        &self,
        caller: Option<&Caller>,
        jql: &str,
    ) -> crate::error::Result<usize> {
        let resolved = self.resolve_jql(caller, jql, Validation::Strict).await?;
        self.count_scoped(resolved.scope, resolved.filter).await
    }
}
