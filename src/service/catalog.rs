//! An in-memory snapshot of the small tables every request reads: statuses, priorities,
//! issue types, workflows, custom fields, permission schemes. Reloaded after each change.

use std::sync::{Arc, RwLock};

use crate::domain::*;
use crate::error::Result;
use crate::store::{
    Store, StoreResult,
    queries::{Db, catalog as q},
};

#[derive(Debug, Clone)]
pub struct Grant {
    pub scheme_id: i64,
    pub permission: String,
    pub holder_type: String,
    pub holder_param: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub status_categories: Vec<StatusCategory>,
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub resolutions: Vec<Resolution>,
    pub issue_types: Vec<IssueType>,
    /// (workflow id, transition)
    pub transitions: Vec<(i64, Transition)>,
    pub link_types: Vec<LinkType>,
    pub roles: Vec<ProjectRole>,
    pub categories: Vec<ProjectCategory>,
    pub permission_schemes: Vec<PermissionScheme>,
    pub grants: Vec<Grant>,
    /// (permission, group)
    pub global_grants: Vec<(String, String)>,
    pub custom_fields: Vec<CustomField>,
    /// Time tracking options (`configuration/timetracking/options`).
    pub time_tracking: TimeTracking,
    /// Application properties (`application-properties`): feature switches, title.
    pub settings: crate::domain::settings::AppSettings,
}

impl Catalog {
    pub fn load(db: &Db) -> StoreResult<Catalog> {
        Ok(Catalog {
            status_categories: q::status_categories(db)?,
            statuses: q::statuses(db)?,
            priorities: q::priorities(db)?,
            resolutions: q::resolutions(db)?,
            issue_types: q::issue_types(db)?,
            transitions: q::transitions(db)?,
            link_types: q::link_types(db)?,
            roles: q::project_roles(db)?,
            categories: q::project_categories(db)?,
            permission_schemes: q::permission_schemes(db)?,
            grants: q::permission_grants(db)?
                .into_iter()
                .map(|(scheme_id, permission, holder_type, holder_param)| Grant {
                    scheme_id,
                    permission,
                    holder_type,
                    holder_param,
                })
                .collect(),
            global_grants: q::global_grants(db)?,
            custom_fields: q::custom_fields(db)?,
            time_tracking: load_time_tracking(db)?,
            settings: crate::domain::settings::AppSettings::from_stored(q::settings_with_prefix(
                db, "jira.",
            )?),
        })
    }

    pub fn status(&self, id: i64) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }
    pub fn status_category(&self, id: i64) -> Option<&StatusCategory> {
        self.status_categories.iter().find(|c| c.id == id)
    }
    pub fn category_of_status(&self, status: i64) -> Option<&StatusCategory> {
        self.status(status)
            .and_then(|s| self.status_category(s.category_id))
    }
    pub fn priority(&self, id: i64) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }
    pub fn default_priority(&self) -> Option<&Priority> {
        self.priorities
            .iter()
            .find(|p| p.is_default)
            .or(self.priorities.first())
    }
    pub fn resolution(&self, id: i64) -> Option<&Resolution> {
        self.resolutions.iter().find(|r| r.id == id)
    }
    pub fn default_resolution(&self) -> Option<&Resolution> {
        self.resolutions
            .iter()
            .find(|r| r.is_default)
            .or(self.resolutions.first())
    }
    pub fn issue_type(&self, id: i64) -> Option<&IssueType> {
        self.issue_types.iter().find(|t| t.id == id)
    }
    pub fn role(&self, id: i64) -> Option<&ProjectRole> {
        self.roles.iter().find(|r| r.id == id)
    }
    pub fn custom_field(&self, id: i64) -> Option<&CustomField> {
        self.custom_fields.iter().find(|f| f.id == id)
    }
    /// Finds a custom field by `customfield_10000`.
    pub fn custom_field_by_key(&self, key: &str) -> Option<&CustomField> {
        key.strip_prefix("customfield_")
            .and_then(|n| n.parse().ok())
            .and_then(|id| self.custom_field(id))
    }
    /// Finds a custom field by its name (case-insensitive), as create and edit accept it.
    pub fn custom_field_by_name(&self, name: &str) -> Option<&CustomField> {
        self.custom_fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
    /// The one custom field of a Jira Software kind (seeded by the agile migration).
    pub fn agile_field(&self, kind: CustomFieldKind) -> Option<&CustomField> {
        self.custom_fields.iter().find(|f| f.kind == kind)
    }
    pub fn link_type(&self, id: i64) -> Option<&LinkType> {
        self.link_types.iter().find(|l| l.id == id)
    }

    /// The status a new issue of a workflow starts in: the first "new"-category status.
    pub fn initial_status(&self) -> Option<&Status> {
        self.statuses
            .iter()
            .find(|s| s.category_id == 2)
            .or(self.statuses.first())
    }

    /// Transitions available from `status` in `workflow`, never to the status itself.
    pub fn transitions_from(&self, workflow: i64, status: i64) -> Vec<&Transition> {
        self.transitions
            .iter()
            .filter(|(w, t)| {
                *w == workflow && t.to_status != status && t.from_status.is_none_or(|f| f == status)
            })
            .map(|(_, t)| t)
            .collect()
    }

    /// Whether a status is in the "done" category (moving there resolves the issue).
    pub fn is_done(&self, status: i64) -> bool {
        self.category_of_status(status)
            .is_some_and(|c| c.key == "done")
    }
}

/// The catalog's owner: the current snapshot, swapped whole after a change to one of its
/// tables, so readers never see half of a reload.
pub struct Service {
    store: Store,
    current: RwLock<Arc<Catalog>>,
    /// Held from reading a fresh catalog to installing it, so a reload that read an
    /// older snapshot never replaces a newer one.
    reload: tokio::sync::Mutex<()>,
}

impl Service {
    pub(super) fn load(store: Store) -> Result<Service> {
        let current = RwLock::new(Arc::new(store.read_blocking(Catalog::load)?));
        Ok(Service {
            store,
            current,
            reload: tokio::sync::Mutex::new(()),
        })
    }

    /// The current snapshot (statuses, types, fields, schemes).
    pub fn current(&self) -> Arc<Catalog> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Reloads the snapshot after a change to one of its tables.
    pub(crate) async fn reload(&self) -> Result<()> {
        let _one_at_a_time = self.reload.lock().await;
        let fresh = self.store.read(Catalog::load).await?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        Ok(())
    }
}

/// The settings key of the time tracking options (`configuration/timetracking/options`).
pub const TIME_TRACKING_KEY: &str = "timetracking.options";

/// Loads the time tracking options from the settings table (defaults when unset).
fn load_time_tracking(db: &Db) -> StoreResult<TimeTracking> {
    let mut tt = TimeTracking::default();
    if let Some(raw) = q::setting(db, TIME_TRACKING_KEY)?
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&raw)
    {
        if let Some(h) = v["workingHoursPerDay"].as_f64() {
            tt.hours_per_day = h;
        }
        if let Some(d) = v["workingDaysPerWeek"].as_f64() {
            tt.days_per_week = d;
        }
        if let Some(f) = v["timeFormat"].as_str() {
            tt.time_format = f.to_string();
        }
        if let Some(u) = v["defaultUnit"].as_str() {
            tt.default_unit = u.to_string();
        }
    }
    Ok(tt)
}
