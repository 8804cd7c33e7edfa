//! JQL autocomplete (`jql/autocompletedata` and its suggestions): values of a field
//! the caller may see, matching what they typed.

use crate::domain::*;
use crate::jql::resolve::{FieldKind as Kind, system_kind};
use crate::service::search::Service;
use crate::service::{Caller, Permission};
use crate::store::queries::{issues as iq, projects as pq, users as uq};

impl Service {
    /// Values for `jql/autocompletedata/suggestions`: (value, display) pairs drawn from
    /// data the caller may see, matching `prefix` (case-insensitive).
    pub async fn jql_suggestions(
        &self,
        caller: Option<&Caller>,
        field: &str,
        prefix: &str,
    ) -> crate::error::Result<Vec<(String, String)>> {
        let lower = prefix.to_lowercase();
        let matches = |s: &str| {
            s.to_lowercase().starts_with(&lower) || s.to_lowercase().contains(&format!(" {lower}"))
        };
        let catalog = self.catalog.current();
        let projects: Vec<Project> = self
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let named = |items: Vec<String>| {
            items
                .into_iter()
                .filter(|n| matches(n))
                .map(|n| (n.clone(), n))
                .collect::<Vec<_>>()
        };
        let kind = system_kind(field).or_else(|| {
            catalog
                .custom_fields
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(field) || format!("cf[{}]", f.id) == field)
                .map(|f| Kind::Custom(f.id))
        });
        let mut out = match kind {
            Some(Kind::Project) => projects
                .iter()
                .filter(|p| matches(&p.key) || matches(&p.name))
                .map(|p| (p.key.clone(), format!("{} ({})", p.name, p.key)))
                .collect(),
            Some(Kind::Status) => named(catalog.statuses.iter().map(|s| s.name.clone()).collect()),
            Some(Kind::StatusCategory) => named(
                catalog
                    .status_categories
                    .iter()
                    .map(|s| s.name.clone())
                    .collect(),
            ),
            Some(Kind::IssueType) => {
                named(catalog.issue_types.iter().map(|s| s.name.clone()).collect())
            }
            Some(Kind::Priority) => {
                named(catalog.priorities.iter().map(|s| s.name.clone()).collect())
            }
            Some(Kind::Resolution) => {
                let mut r = named(catalog.resolutions.iter().map(|s| s.name.clone()).collect());
                if matches("Unresolved") {
                    r.push(("Unresolved".into(), "Unresolved".into()));
                }
                r
            }
            Some(Kind::User(_)) => user_suggestions(self, caller, prefix).await?,
            Some(Kind::Labels) => {
                let ids: Vec<i64> = projects.iter().map(|p| p.id.0).collect();
                let q = prefix.to_string();
                let who = caller.cloned();
                self.store
                    .read(move |db| {
                        // A label only issues behind a level the caller is outside of
                        // carry is theirs to hide as much as their titles.
                        let mut labels = iq::labels_in_projects(db, &q, &ids, 15)?;
                        for (label, id) in iq::secured_labels_in_projects(db, &q, &ids)? {
                            if labels.contains(&label) {
                                continue;
                            }
                            if let Some(issue) = iq::by_id(db, id)?
                                && crate::service::levels::can_see_issue(db, who.as_ref(), &issue)?
                            {
                                labels.push(label);
                            }
                        }
                        labels.sort();
                        Ok(labels)
                    })
                    .await?
                    .into_iter()
                    .map(|l| (l.clone(), l))
                    .collect()
            }
            Some(Kind::SecurityLevel) => {
                let who = caller.cloned();
                let projects = projects.clone();
                named(
                    self.store
                        .read(move |db| {
                            crate::service::levels::visible_level_names(db, who.as_ref(), &projects)
                        })
                        .await?,
                )
            }
            Some(Kind::Component) | Some(Kind::Version(_)) => {
                let components = matches!(kind, Some(Kind::Component));
                named(component_or_version_names(self, projects, components).await?)
            }
            Some(Kind::Custom(id)) => catalog
                .custom_field(id)
                .map(|f| {
                    named(
                        f.options
                            .iter()
                            .filter(|o| !o.disabled)
                            .map(|o| o.value.clone())
                            .collect(),
                    )
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        out.truncate(15);
        Ok(out)
    }

    /// Fields a caller can search and sort, for `jql/autocompletedata`.
    pub fn jql_custom_fields(&self) -> Vec<CustomField> {
        self.catalog.current().custom_fields.clone()
    }
}

/// Users matching `prefix`, for callers who may pick users.
async fn user_suggestions(
    app: &Service,
    caller: Option<&Caller>,
    prefix: &str,
) -> crate::error::Result<Vec<(String, String)>> {
    Ok(match caller {
        Some(c)
            if app
                .permissions
                .global_permissions(Some(c))
                .has(Permission::UserPicker) =>
        {
            let q = prefix.to_string();
            app.store
                .read(move |db| uq::search(db, &q, false, 15, 0))
                .await?
                .into_iter()
                .map(|u| {
                    (
                        u.username.clone(),
                        format!("{} ({})", u.display_name, u.username),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    })
}

/// The names of the components (or versions) of `projects`, sorted, once each.
async fn component_or_version_names(
    app: &Service,
    projects: Vec<Project>,
    components: bool,
) -> crate::error::Result<Vec<String>> {
    let names: Vec<String> = app
        .store
        .read(move |db| {
            let mut names = Vec::new();
            for p in &projects {
                if components {
                    names.extend(pq::components(db, p.id)?.into_iter().map(|c| c.name));
                } else {
                    names.extend(pq::versions(db, p.id)?.into_iter().map(|v| v.name));
                }
            }
            names.sort();
            names.dedup();
            Ok(names)
        })
        .await?;
    Ok(names)
}
