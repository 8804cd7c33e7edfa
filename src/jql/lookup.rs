//! What resolution needs to know about the world, behind a trait: the service answers
//! from the store and its catalog, tests from a few vectors. Every call that may touch
//! storage returns `Result<_, Self::Error>`; the catalog and the caller are at hand.

use super::plan::HistoryWindow;
use crate::domain::*;

/// How strictly unknown values are treated (`validateQuery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    /// Unknown values are errors.
    Strict,
    /// Unknown values match nothing and are reported as warnings.
    Warn,
    /// Unknown values match nothing, silently.
    None,
}

/// An issue as resolution needs it: to check it is in scope and to read its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueHandle {
    pub id: IssueId,
    pub project_id: ProjectId,
    pub key: String,
}

/// The users an issue function asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Involvement {
    Watching,
    Voting,
}

/// The data and context a query is resolved against.
pub trait Lookup {
    type Error;

    /// The time relative dates and date functions count from, in epoch milliseconds.
    fn now(&self) -> i64;
    /// The zone calendar dates and the `startOf…`/`endOf…` functions are read in: the
    /// caller's own, as in Jira.
    fn time_zone(&self) -> &jiff::tz::TimeZone;
    /// The user `currentUser()` means; `None` when anonymous.
    fn caller(&self) -> Option<UserId>;
    /// The projects the caller may browse: names resolve only among these.
    fn projects(&self) -> &[Project];

    fn issue_types(&self) -> &[IssueType];
    fn statuses(&self) -> &[Status];
    fn status_categories(&self) -> &[StatusCategory];
    /// Highest first.
    fn priorities(&self) -> &[Priority];
    fn resolutions(&self) -> &[Resolution];
    fn link_types(&self) -> &[LinkType];
    fn custom_fields(&self) -> &[CustomField];
    /// Issue security levels as (id, name), for `level`; none by default.
    fn security_levels(&self) -> &[(i64, String)] {
        &[]
    }
    /// A duration (`2h`, `1d 4h`, a bare number) in seconds, with the configured day
    /// and week lengths and default unit; `None` when it is not one.
    fn duration_seconds(&self, text: &str) -> Option<i64>;
    /// Ids of the sprints in these states (`openSprints()` and its kin); none by default.
    fn sprints_in(
        &self,
        _states: &[crate::domain::agile::SprintState],
    ) -> Result<Vec<i64>, Self::Error> {
        Ok(Vec::new())
    }
    /// Ids of the sprints called `name` (any case); none by default.
    fn sprints_named(&self, _name: &str) -> Result<Vec<i64>, Self::Error> {
        Ok(Vec::new())
    }

    fn user_by_login(&self, login: &str) -> Result<Option<User>, Self::Error>;
    /// A user (active or not) whose display name is `name` (case-insensitive).
    fn user_by_display_name(&self, name: &str) -> Result<Option<User>, Self::Error>;
    /// The members of a group, inactive ones too; `None` when there is no such group.
    fn group_members(&self, group: &str) -> Result<Option<Vec<UserId>>, Self::Error>;
    /// Account ids of users, as the changelog records them.
    fn account_ids(&self, users: &[UserId]) -> Result<Vec<String>, Self::Error>;
    /// Every user (active or not) in display order, for sorting by a user field.
    fn users_in_order(&self) -> Result<Vec<UserId>, Self::Error>;

    fn components(&self, project: ProjectId) -> Result<Vec<Component>, Self::Error>;
    /// A project's versions in their order.
    fn versions(&self, project: ProjectId) -> Result<Vec<Version>, Self::Error>;

    /// An issue by key or id, in any project.
    fn issue(&self, key_or_id: &str) -> Result<Option<IssueHandle>, Self::Error>;
    fn links(&self, issue: IssueId) -> Result<Vec<IssueLink>, Self::Error>;
    /// Ids of the issues a user watches or voted for.
    fn issues_of(&self, set: Involvement, user: UserId) -> Result<Vec<i64>, Self::Error>;
    /// Ids of the issues a user changed between two times (`updatedBy()`).
    fn issues_updated_by(
        &self,
        user: UserId,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Vec<i64>, Self::Error>;
    /// Ids of the issues whose `field` changed within the window (`CHANGED`).
    fn changed(&self, field: &str, window: &HistoryWindow) -> Result<Vec<i64>, Self::Error>;
    /// Ids of the issues whose `field` held one of `values` within the window (`WAS`).
    fn was(
        &self,
        field: &str,
        values: &[String],
        window: &HistoryWindow,
    ) -> Result<Vec<i64>, Self::Error>;
}
