//! The JQL lookup over the store and the catalogue: what `jql::resolve` asks, answered
//! inside one read transaction.

use crate::domain::*;
use crate::jql::lookup::{Involvement, IssueHandle, Lookup};
use crate::jql::plan::HistoryWindow;
use crate::service::Catalog;
use crate::store::StoreError;
use crate::store::queries::{
    Db, changelog, issues as iq, links as lq, projects as pq, users as uq, watchers as wq,
};

/// One resolution's view of the data: a read transaction, the catalogue, the caller
/// and the projects they may browse, and the time it runs at.
pub(super) struct StoreLookup<'a> {
    pub db: &'a Db,
    pub catalog: &'a Catalog,
    pub caller: Option<UserId>,
    pub projects: &'a [Project],
    pub now: i64,
    /// Every issue security level (id, name): which issues match is up to the search's
    /// security filter, so names need no hiding.
    pub levels: &'a [(i64, String)],
    pub time_zone: jiff::tz::TimeZone,
}

impl Lookup for StoreLookup<'_> {
    type Error = StoreError;

    fn now(&self) -> i64 {
        self.now
    }
    fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.time_zone
    }
    fn caller(&self) -> Option<UserId> {
        self.caller
    }
    fn projects(&self) -> &[Project] {
        self.projects
    }
    fn issue_types(&self) -> &[IssueType] {
        &self.catalog.issue_types
    }
    fn statuses(&self) -> &[Status] {
        &self.catalog.statuses
    }
    fn status_categories(&self) -> &[StatusCategory] {
        &self.catalog.status_categories
    }
    fn priorities(&self) -> &[Priority] {
        &self.catalog.priorities
    }
    fn resolutions(&self) -> &[Resolution] {
        &self.catalog.resolutions
    }
    fn link_types(&self) -> &[LinkType] {
        &self.catalog.link_types
    }
    fn custom_fields(&self) -> &[CustomField] {
        &self.catalog.custom_fields
    }
    fn security_levels(&self) -> &[(i64, String)] {
        self.levels
    }
    fn duration_seconds(&self, text: &str) -> Option<i64> {
        crate::service::fields::parse_duration_with(text, &self.catalog.time_tracking)
    }

    fn user_by_login(&self, login: &str) -> Result<Option<User>, StoreError> {
        uq::by_login(self.db, login)
    }
    fn user_by_display_name(&self, name: &str) -> Result<Option<User>, StoreError> {
        // The first two matches of the name, as the resolver has always looked.
        Ok(uq::search(self.db, name, true, 2, 0)?
            .into_iter()
            .find(|u| u.display_name.eq_ignore_ascii_case(name)))
    }
    fn group_members(&self, group: &str) -> Result<Option<Vec<UserId>>, StoreError> {
        match uq::group_id(self.db, group)? {
            Some(g) => Ok(Some(
                uq::group_members(self.db, g, true)?
                    .into_iter()
                    .map(|u| u.id)
                    .collect(),
            )),
            None => Ok(None),
        }
    }
    fn account_ids(&self, users: &[UserId]) -> Result<Vec<String>, StoreError> {
        Ok(uq::by_ids(self.db, users)?
            .into_iter()
            .map(|u| u.account_id)
            .collect())
    }
    fn users_in_order(&self) -> Result<Vec<UserId>, StoreError> {
        Ok(uq::search(self.db, "", true, i64::MAX, 0)?
            .into_iter()
            .map(|u| u.id)
            .collect())
    }

    fn components(&self, project: ProjectId) -> Result<Vec<Component>, StoreError> {
        pq::components(self.db, project)
    }
    fn versions(&self, project: ProjectId) -> Result<Vec<Version>, StoreError> {
        pq::versions(self.db, project)
    }
    fn sprints_in(&self, states: &[agile::SprintState]) -> Result<Vec<i64>, StoreError> {
        crate::store::queries::agile::sprint_ids_in(self.db, states)
    }
    fn sprints_named(&self, name: &str) -> Result<Vec<i64>, StoreError> {
        crate::store::queries::agile::sprint_ids_named(self.db, name)
    }

    fn issue(&self, key_or_id: &str) -> Result<Option<IssueHandle>, StoreError> {
        Ok(
            iq::by_ref(self.db, &IssueRef::parse(key_or_id))?.map(|i| IssueHandle {
                id: i.id,
                project_id: i.project_id,
                key: i.key,
            }),
        )
    }
    fn links(&self, issue: IssueId) -> Result<Vec<IssueLink>, StoreError> {
        lq::of_issue(self.db, issue)
    }
    fn issues_of(&self, set: Involvement, user: UserId) -> Result<Vec<i64>, StoreError> {
        let set = match set {
            Involvement::Watching => wq::UserSet::Watchers,
            Involvement::Voting => wq::UserSet::Voters,
        };
        wq::issues_of_user(self.db, set, user)
    }
    fn issues_updated_by(
        &self,
        user: UserId,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Vec<i64>, StoreError> {
        changelog::issues_updated_by(self.db, user, from, to)
    }
    fn changed(&self, field: &str, window: &HistoryWindow) -> Result<Vec<i64>, StoreError> {
        iq::changed(self.db, field, &store_window(window))
    }
    fn was(
        &self,
        field: &str,
        values: &[String],
        window: &HistoryWindow,
    ) -> Result<Vec<i64>, StoreError> {
        iq::was(self.db, field, values, &store_window(window))
    }
}

fn store_window(w: &HistoryWindow) -> iq::HistoryWindow {
    iq::HistoryWindow {
        after: w.after,
        before: w.before,
        by: w.by.clone(),
        from: w.from.clone(),
        to: w.to.clone(),
    }
}
