//! Worklogs and time tracking: logging work keeps the issue's time spent (the sum of its
//! worklogs) and remaining estimate consistent, records `timespent`, `timeestimate` and
//! `WorklogId` in the changelog, and reaches the index through the outbox. Also the time
//! tracking options (hours per day, days per week, format, default unit) and the worklog
//! change feeds.

use super::{catalog, issues, permissions, users};
use crate::store::Store;
use std::sync::Arc;

use std::collections::HashMap;

use super::issues::{after_worklog_change as after_change, load_for_write};
use super::permissions::{caller_permissions, can_see_visibility};
use super::{Caller, Catalog, Page, Permission};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::StoreResult;
use crate::store::queries::{Db, catalog as catq, issues as iq, projects as pq, worklogs as q};

/// Most entries one change-feed page returns, as Jira.
const FEED_LIMIT: i64 = 1000;

/// What a request sets on a worklog; `None` leaves a field as it is (on add: defaults).
#[derive(Debug, Clone, Default)]
pub struct WorklogInput {
    /// `timeSpent` (a duration string).
    pub time_spent: Option<String>,
    pub time_spent_seconds: Option<i64>,
    /// `started` as sent.
    pub started: Option<String>,
    pub comment: Option<String>,
    /// `Some(None)` clears the visibility.
    pub visibility: Option<Option<Visibility>>,
}

/// `adjustEstimate` with its companion parameters, as sent.
#[derive(Debug, Clone, Default)]
pub struct Adjust {
    pub mode: Option<String>,
    pub new_estimate: Option<String>,
    pub reduce_by: Option<String>,
    pub increase_by: Option<String>,
}

enum Estimate {
    Auto,
    Leave,
    New(i64),
    /// Reduce (add) or increase (delete) by a fixed amount.
    Manual(i64),
}

/// Worklogs with the users they name.
pub struct Worklogs<T> {
    pub items: T,
    pub users: HashMap<UserId, User>,
}

/// One change-feed page: (worklog id, time), the window and whether it is the last page.
pub struct Feed {
    pub values: Vec<(i64, Millis)>,
    pub since: Millis,
    pub until: Millis,
    pub last_page: bool,
}

fn worklog_missing(id: i64) -> Error {
    Error::not_found(format!("Cannot find worklog with id: {id}."))
}

fn duration(cat: &Catalog, field: &str, raw: &str) -> Result<i64> {
    super::fields::parse_duration_with(raw, &cat.time_tracking)
        .ok_or_else(|| Error::field(field, format!("Invalid time duration entered: '{raw}'.")))
}

fn estimate(cat: &Catalog, adjust: &Adjust, deleting: bool, updating: bool) -> Result<Estimate> {
    match adjust.mode.as_deref().unwrap_or("auto") {
        "auto" => Ok(Estimate::Auto),
        "leave" => Ok(Estimate::Leave),
        "new" => match adjust.new_estimate.as_deref() {
            Some(raw) => Ok(Estimate::New(duration(cat, "newEstimate", raw)?)),
            None => Err(Error::field(
                "newEstimate",
                "You must supply a valid new estimate.",
            )),
        },
        "manual" if !updating => {
            let (name, raw) = if deleting {
                ("increaseBy", adjust.increase_by.as_deref())
            } else {
                ("reduceBy", adjust.reduce_by.as_deref())
            };
            match raw {
                Some(raw) => Ok(Estimate::Manual(duration(cat, name, raw)?)),
                None => Err(Error::field(
                    name,
                    format!("You must supply a valid {name} value."),
                )),
            }
        }
        other => Err(Error::bad_request(format!(
            "adjustEstimate must be one of new, leave{}, auto; not '{other}'.",
            if updating { "" } else { ", manual" }
        ))),
    }
}

/// Worklogs and time-tracking options.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    issues: Arc<issues::Service>,
    users: Arc<users::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        issues: Arc<issues::Service>,
        users: Arc<users::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            issues,
            users,
        }
    }
}

impl Service {
    /// Validates an input into (seconds spent, started, comment, visibility) over `base`.
    fn worklog_fields(
        &self,
        caller: &Caller,
        input: WorklogInput,
        base: Option<&Worklog>,
    ) -> Result<(i64, Millis, String, Option<Visibility>)> {
        let cat = self.catalog.current();
        let spent = match (&input.time_spent, input.time_spent_seconds) {
            (Some(raw), _) => Some(duration(&cat, "timeLogged", raw)?),
            (None, Some(s)) => Some(s),
            (None, None) => None,
        };
        let spent = match (spent, base) {
            (Some(s), _) => s,
            (None, Some(b)) => b.time_spent,
            (None, None) => {
                return Err(Error::field(
                    "timeLogged",
                    "You must indicate the time spent working.",
                ));
            }
        };
        if spent <= 0 {
            return Err(Error::field(
                "timeLogged",
                "Time spent must be greater than zero.",
            ));
        }
        let started = match (&input.started, base) {
            (Some(raw), _) => Millis::parse(raw).ok_or_else(|| {
                Error::field(
                    "started",
                    format!("Invalid date '{raw}': use 2026-01-31T14:00:00.000+0000."),
                )
            })?,
            (None, Some(b)) => b.started,
            (None, None) => self.store.now(),
        };
        let comment = input
            .comment
            .or_else(|| base.map(|b| b.comment.clone()))
            .unwrap_or_default();
        if comment.len() > 32_767 {
            return Err(Error::field(
                "comment",
                "The entered text is too long. It exceeds the allowed limit of 32,767 characters.",
            ));
        }
        let visibility = match input.visibility {
            Some(v) => v,
            None => base.and_then(|b| b.visibility.clone()),
        };
        self.permissions.check_visibility(caller, &visibility)?;
        Ok((spent, started, comment, visibility))
    }

    async fn with_users<T: Send + 'static>(
        &self,
        items: T,
        ids: Vec<UserId>,
    ) -> Result<Worklogs<T>> {
        let users = self.users.users_map(ids).await?;
        Ok(Worklogs { items, users })
    }

    /// `GET issue/{key}/worklog`: a page of the worklogs the caller may see.
    pub async fn list_worklogs(
        &self,
        caller: &Caller,
        r: &IssueRef,
        start_at: i64,
        max_results: i64,
    ) -> Result<Worklogs<Page<Worklog>>> {
        let view = self.issues.view_issue(Some(caller), r).await?;
        let page = Page::of(view.worklogs, start_at, max_results);
        Ok(Worklogs {
            items: page,
            users: view.users,
        })
    }

    pub async fn get_worklog(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
    ) -> Result<Worklogs<Worklog>> {
        let view = self.issues.view_issue(Some(caller), r).await?;
        let w = view
            .worklogs
            .into_iter()
            .find(|w| w.id == id)
            .ok_or_else(|| worklog_missing(id))?;
        Ok(Worklogs {
            items: w,
            users: view.users,
        })
    }

    /// `POST issue/{key}/worklog`.
    pub async fn add_worklog(
        &self,
        caller: &Caller,
        r: &IssueRef,
        input: WorklogInput,
        adjust: Adjust,
    ) -> Result<Worklogs<Worklog>> {
        let cat = self.catalog.current();
        if !cat.settings.time_tracking() {
            return Err(time_tracking_disabled());
        }
        let est = estimate(&cat, &adjust, false, false)?;
        let (spent, started, comment, visibility) = self.worklog_fields(caller, input, None)?;
        let c = caller.clone();
        let r = r.clone();
        let w = self
            .store
            .write(move |db| {
                let (issue, _, perms) = load_for_write(db, &cat, &c, &r)?;
                if !perms.has(Permission::WorkOnIssues) {
                    return Err(Error::forbidden(
                        "You do not have the permission to log work on this issue.",
                    )
                    .into());
                }
                let now = db.now();
                let mut w = Worklog {
                    id: 0,
                    issue_id: issue.id,
                    author_id: Some(c.user.id),
                    update_author_id: Some(c.user.id),
                    comment,
                    started,
                    time_spent: spent,
                    created: now,
                    updated: now,
                    visibility,
                };
                w.id = q::insert(db, &w)?;
                let remaining = match est {
                    Estimate::Auto => issue.remaining_estimate.map(|e| (e - spent).max(0)),
                    Estimate::Leave => issue.remaining_estimate,
                    Estimate::New(v) => Some(v),
                    Estimate::Manual(by) => {
                        Some((issue.remaining_estimate.unwrap_or(0) - by).max(0))
                    }
                };
                let id_item = ChangeItem {
                    field: "WorklogId".into(),
                    field_type: "jira".into(),
                    field_id: "WorklogId".into(),
                    from: None,
                    from_string: None,
                    to: Some(w.id.to_string()),
                    to_string: Some(w.id.to_string()),
                };
                after_change(db, &c, &issue, remaining, now, Some(id_item))?;
                Ok(w)
            })
            .await?;
        let ids = vec![caller.user.id];
        self.with_users(w, ids).await
    }

    /// `PUT issue/{key}/worklog/{id}`.
    pub async fn update_worklog(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
        input: WorklogInput,
        adjust: Adjust,
    ) -> Result<Worklogs<Worklog>> {
        let cat = self.catalog.current();
        let est = estimate(&cat, &adjust, false, true)?;
        let current = self.get_worklog(caller, r, id).await?.items;
        let (spent, started, comment, visibility) =
            self.worklog_fields(caller, input, Some(&current))?;
        let c = caller.clone();
        let r2 = r.clone();
        self.store
            .write(move |db| {
                let (issue, _, perms, mut w) = load_worklog(db, &cat, &c, &r2, id)?;
                let own = w.author_id == Some(c.user.id);
                if !(perms.has(Permission::EditAllWorklogs)
                    || own && perms.has(Permission::EditOwnWorklogs))
                {
                    return Err(Error::forbidden(
                        "You do not have the permission to edit this worklog.",
                    )
                    .into());
                }
                let now = db.now();
                let delta = spent - w.time_spent;
                w.time_spent = spent;
                w.started = started;
                w.comment = comment;
                w.visibility = visibility;
                w.update_author_id = Some(c.user.id);
                w.updated = now;
                q::update(db, &w)?;
                let remaining = match est {
                    Estimate::Auto => issue.remaining_estimate.map(|e| (e - delta).max(0)),
                    Estimate::New(v) => Some(v),
                    Estimate::Leave | Estimate::Manual(_) => issue.remaining_estimate,
                };
                after_change(db, &c, &issue, remaining, now, None)
            })
            .await?;
        self.get_worklog(caller, r, id).await
    }

    /// `DELETE issue/{key}/worklog/{id}`.
    pub async fn delete_worklog(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
        adjust: Adjust,
    ) -> Result<()> {
        let cat = self.catalog.current();
        let est = estimate(&cat, &adjust, true, false)?;
        let c = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let (issue, _, perms, w) = load_worklog(db, &cat, &c, &r, id)?;
                let own = w.author_id == Some(c.user.id);
                if !(perms.has(Permission::DeleteAllWorklogs)
                    || own && perms.has(Permission::DeleteOwnWorklogs))
                {
                    return Err(Error::forbidden(
                        "You do not have the permission to delete this worklog.",
                    )
                    .into());
                }
                q::delete(db, id)?;
                let remaining = match est {
                    Estimate::Auto => Some(issue.remaining_estimate.unwrap_or(0) + w.time_spent),
                    Estimate::Leave => issue.remaining_estimate,
                    Estimate::New(v) => Some(v),
                    Estimate::Manual(by) => Some(issue.remaining_estimate.unwrap_or(0) + by),
                };
                let id_item = ChangeItem {
                    field: "WorklogId".into(),
                    field_type: "jira".into(),
                    field_id: "WorklogId".into(),
                    from: Some(id.to_string()),
                    from_string: Some(id.to_string()),
                    to: None,
                    to_string: None,
                };
                after_change(db, &c, &issue, remaining, db.now(), Some(id_item))
            })
            .await?;
        Ok(())
    }

    /// `POST worklog/list`: the worklogs with these ids the caller may see.
    pub async fn worklogs_by_ids(
        &self,
        caller: &Caller,
        ids: Vec<i64>,
    ) -> Result<Worklogs<Vec<Worklog>>> {
        if ids.len() > 1000 {
            return Err(Error::bad_request(
                "Too many worklog ids: at most 1000 per request.",
            ));
        }
        let cat = self.catalog.current();
        let c = caller.clone();
        let items = self
            .store
            .read(move |db| {
                let mut out = Vec::new();
                for id in ids {
                    if let Some(w) = q::by_id(db, id)?
                        && may_see(db, &cat, &c, &w)?
                    {
                        out.push(w);
                    }
                }
                Ok(out)
            })
            .await?;
        let users = items
            .iter()
            .flat_map(|w| [w.author_id, w.update_author_id])
            .flatten()
            .collect();
        self.with_users(items, users).await
    }

    /// `GET worklog/updated` (`deleted == false`) and `GET worklog/deleted`: ids and
    /// times of changes at or after `since` the caller may see, oldest first.
    pub async fn worklog_feed(&self, caller: &Caller, since: i64, deleted: bool) -> Result<Feed> {
        let cat = self.catalog.current();
        let c = caller.clone();
        let since = Millis(since.max(0));
        let admin = self.permissions.is_admin(caller);
        let (values, raw_count, last_time) = self
            .store
            .read(move |db| {
                let mut out = Vec::new();
                let (count, last) = if deleted {
                    let rows = q::deleted_since(db, since, FEED_LIMIT)?;
                    for (id, issue, at) in &rows {
                        // Ids of worklogs removed with their issue: administrators only.
                        let visible = match iq::by_id(db, *issue)? {
                            Some(i) => browse(db, &cat, &c, &i)?,
                            None => admin,
                        };
                        if visible {
                            out.push((*id, *at));
                        }
                    }
                    (rows.len(), rows.last().map(|r| r.2))
                } else {
                    let rows = q::updated_since(db, since, FEED_LIMIT)?;
                    for w in &rows {
                        if may_see(db, &cat, &c, w)? {
                            out.push((w.id, w.updated));
                        }
                    }
                    (rows.len(), rows.last().map(|w| w.updated))
                };
                Ok((out, count, last))
            })
            .await?;
        let until = last_time.unwrap_or(since);
        Ok(Feed {
            values,
            since,
            until,
            last_page: (raw_count as i64) < FEED_LIMIT,
        })
    }

    pub fn time_tracking_options(&self) -> TimeTracking {
        self.catalog.current().time_tracking.clone()
    }

    /// `PUT configuration/timetracking/options` (administrators).
    pub async fn set_time_tracking_options(
        &self,
        caller: &Caller,
        opts: TimeTracking,
    ) -> Result<TimeTracking> {
        self.permissions.require_admin(caller)?;
        let mut errors = std::collections::BTreeMap::new();
        if !(opts.hours_per_day > 0.0 && opts.hours_per_day <= 24.0) {
            errors.insert(
                "workingHoursPerDay".to_string(),
                "Working hours per day must be more than 0 and at most 24.".to_string(),
            );
        }
        if !(opts.days_per_week > 0.0 && opts.days_per_week <= 7.0) {
            errors.insert(
                "workingDaysPerWeek".to_string(),
                "Working days per week must be more than 0 and at most 7.".to_string(),
            );
        }
        if !matches!(opts.time_format.as_str(), "pretty" | "days" | "hours") {
            errors.insert(
                "timeFormat".to_string(),
                "The time format must be pretty, days or hours.".to_string(),
            );
        }
        if !matches!(
            opts.default_unit.as_str(),
            "minute" | "hour" | "day" | "week"
        ) {
            errors.insert(
                "defaultUnit".to_string(),
                "The default unit must be minute, hour, day or week.".to_string(),
            );
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let raw = serde_json::json!({
            "workingHoursPerDay": opts.hours_per_day,
            "workingDaysPerWeek": opts.days_per_week,
            "timeFormat": opts.time_format,
            "defaultUnit": opts.default_unit,
        })
        .to_string();
        self.store
            .write(move |db| catq::set_setting(db, super::catalog::TIME_TRACKING_KEY, &raw))
            .await?;
        self.catalog.reload().await?;
        Ok(self.time_tracking_options())
    }
}

/// Logging work while `jira.option.timetracking` is off.
pub(crate) fn time_tracking_disabled() -> Error {
    Error::field("worklog", crate::domain::settings::TIME_TRACKING_OFF)
}

fn browse(db: &Db, cat: &Catalog, caller: &Caller, issue: &Issue) -> StoreResult<bool> {
    let Some(project) = pq::by_id(db, issue.project_id)? else {
        return Ok(false);
    };
    let perms = caller_permissions(db, cat, Some(caller), &project, Some(issue))?;
    Ok(perms.has(Permission::BrowseProjects))
}

/// Whether the caller may browse the worklog's issue and see its visibility.
fn may_see(db: &Db, cat: &Catalog, caller: &Caller, w: &Worklog) -> StoreResult<bool> {
    let Some(issue) = iq::by_id(db, w.issue_id)? else {
        return Ok(false);
    };
    let Some(project) = pq::by_id(db, issue.project_id)? else {
        return Ok(false);
    };
    let perms = caller_permissions(db, cat, Some(caller), &project, Some(&issue))?;
    Ok(perms.has(Permission::BrowseProjects)
        && can_see_visibility(db, Some(caller), &project, w.visibility.as_ref())?)
}

/// Loads a worklog of a browsable issue that the caller may see, or 404.
pub(super) fn load_worklog(
    db: &Db,
    cat: &Catalog,
    caller: &Caller,
    r: &IssueRef,
    id: i64,
) -> StoreResult<(Issue, Project, super::PermissionSet, Worklog)> {
    let (issue, project, perms) = load_for_write(db, cat, caller, r)?;
    let w = q::by_id(db, id)?
        .filter(|w| w.issue_id == issue.id)
        .ok_or_else(|| worklog_missing(id))?;
    if !can_see_visibility(db, Some(caller), &project, w.visibility.as_ref())? {
        return Err(worklog_missing(id).into());
    }
    Ok((issue, project, perms, w))
}
