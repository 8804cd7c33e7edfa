//! Epics: an issue of the epic level with its Epic Name, Epic Colour and Epic Status;
//! its issues are the issues whose parent it is (the Epic Link field shows the same).

use super::*;
use crate::jql::lookup::Validation;
use crate::service::issues::ViewNeeds;
use crate::service::search::jql::SearchPage;

#[derive(Debug, Clone)]
pub struct EpicView {
    pub issue: Issue,
    pub name: String,
    pub color: String,
    pub done: bool,
}

#[derive(Debug, Clone, Default)]
pub struct EpicPatch {
    pub name: Option<String>,
    pub summary: Option<String>,
    pub color: Option<String>,
    pub done: Option<bool>,
}

pub const NOT_AN_EPIC: &str =
    "The issue does not exist, is not an epic, or you do not have permission to see it.";

fn is_epic(cat: &Catalog, issue: &Issue) -> bool {
    cat.issue_type(issue.issue_type_id)
        .is_some_and(|t| !t.subtask && t.hierarchy_level >= 1)
}

pub fn epic_view(cat: &Catalog, issue: Issue) -> EpicView {
    let text = |kind| {
        cat.agile_field(kind).and_then(|f| {
            issue
                .custom
                .iter()
                .find(|(id, _)| *id == f.id)
                .and_then(|(_, v)| match v {
                    FieldValue::Text(s) => Some(s.clone()),
                    _ => None,
                })
        })
    };
    let done = cat
        .agile_field(CustomFieldKind::EpicStatus)
        .and_then(|f| {
            issue
                .custom
                .iter()
                .find(|(id, _)| *id == f.id)
                .and_then(|(_, v)| match v {
                    FieldValue::Option(o) => f
                        .options
                        .iter()
                        .find(|x| x.id == *o)
                        .map(|x| x.value == "Done"),
                    _ => None,
                })
        })
        .unwrap_or(false);
    EpicView {
        name: text(CustomFieldKind::EpicLabel).unwrap_or_else(|| issue.summary.clone()),
        color: text(CustomFieldKind::EpicColor).unwrap_or_else(|| "ghx-label-1".into()),
        done,
        issue,
    }
}

impl Service {
    /// `GET epic/{idOrKey}`.
    pub async fn epic(&self, caller: Option<&Caller>, key: &str) -> Result<EpicView> {
        require(caller)?;
        let view = self
            .issues
            .view_issue_with(caller, &IssueRef::parse(key), ViewNeeds::NONE)
            .await
            .map_err(|e| match e.kind {
                crate::error::Kind::NotFound => Error::not_found(NOT_AN_EPIC),
                _ => e,
            })?;
        let cat = self.catalog.current();
        if !is_epic(&cat, &view.issue) {
            return Err(Error::not_found(NOT_AN_EPIC));
        }
        Ok(epic_view(&cat, view.issue))
    }

    /// `POST epic/{idOrKey}`: name, summary, colour and done, each when given.
    pub async fn update_epic(
        &self,
        caller: Option<&Caller>,
        key: &str,
        patch: EpicPatch,
    ) -> Result<EpicView> {
        let epic = self.epic(caller, key).await?;
        let who = require(caller)?.clone();
        let cat = self.catalog.current();
        let k = epic.issue.key.clone();
        self.store
            .write(move |tx| {
                let mut issue = match writable_issue(tx, &cat, &who, &k, Permission::EditIssues)? {
                    Ok(i) => i,
                    Err(e) => return Err(Error::forbidden(e).into()),
                };
                if let Some(s) = patch.summary.as_deref().map(str::trim) {
                    if s.is_empty() {
                        return Err(Error::field(
                            "summary",
                            "You must specify a summary of the issue.",
                        )
                        .into());
                    }
                    issue.summary = s.to_string();
                }
                let mut set = |kind, value: Option<FieldValue>| {
                    if let Some(f) = cat.agile_field(kind) {
                        custom::set(&mut issue, f.id, value);
                    }
                };
                if let Some(n) = patch.name {
                    set(
                        CustomFieldKind::EpicLabel,
                        (!n.trim().is_empty()).then(|| FieldValue::Text(n.trim().to_string())),
                    );
                }
                if let Some(c) = patch.color {
                    set(
                        CustomFieldKind::EpicColor,
                        (!c.is_empty()).then_some(FieldValue::Text(c)),
                    );
                }
                if let Some(done) = patch.done
                    && let Some(f) = cat.agile_field(CustomFieldKind::EpicStatus)
                {
                    let want = if done { "Done" } else { "To Do" };
                    let option = f.options.iter().find(|o| o.value == want).map(|o| o.id);
                    set(CustomFieldKind::EpicStatus, option.map(FieldValue::Option));
                }
                write_issue(tx, &mut issue)
            })
            .await?;
        self.epic(caller, key).await
    }

    /// `GET epic/{idOrKey}/issue` (`epic` given) and `GET epic/none/issue`: the issues
    /// under the epic, or under none, that the caller may see, ranked.
    pub async fn epic_issues(
        &self,
        caller: Option<&Caller>,
        epic: Option<&str>,
        jql: Option<String>,
        start: i64,
        max: i64,
        needs: ViewNeeds,
    ) -> Result<SearchPage> {
        let cat = self.catalog.current();
        let clause = match epic {
            Some(key) => format!("parent = {}", self.epic(caller, key).await?.issue.key),
            None => {
                require(caller)?;
                format!(
                    "parent IS EMPTY AND issuetype NOT IN ({})",
                    boards::epic_type_ids(&cat)
                )
            }
        };
        let extra = jql.map(|j| where_part(&j)).unwrap_or_default();
        let query = and_jql(&[&clause, &extra], "ORDER BY Rank ASC");
        self.search
            .search_jql(
                caller,
                &query,
                Validation::Strict,
                start as usize,
                max as usize,
                needs,
            )
            .await
    }

    /// `POST epic/{idOrKey}/issue` (`epic` given) and `POST epic/none/issue`: the issues
    /// move under the epic (their parent becomes it), or out of their epic.
    pub async fn move_to_epic(
        &self,
        caller: Option<&Caller>,
        epic: Option<&str>,
        keys: Vec<String>,
    ) -> Result<()> {
        let target = match epic {
            Some(k) => Some(self.epic(caller, k).await?.issue),
            None => None,
        };
        let who = require(caller)?.clone();
        if keys.len() > 50 {
            return Err(Error::bad_request(
                "At most 50 issues may be moved at once.",
            ));
        }
        let cat = self.catalog.current();
        self.store
            .write(move |tx| {
                let mut errors = Vec::new();
                let mut issues = Vec::new();
                for key in &keys {
                    match writable_issue(tx, &cat, &who, key, Permission::EditIssues)? {
                        Ok(i) if is_epic(&cat, &i) => errors.push(format!(
                            "Issue {} is an epic: epics cannot be moved to an epic.",
                            i.key
                        )),
                        Ok(i) if cat.issue_type(i.issue_type_id).is_some_and(|t| t.subtask) => {
                            errors.push(format!(
                                "Issue {} is a sub-task: it belongs to its parent.",
                                i.key
                            ))
                        }
                        Ok(i)
                            if target
                                .as_ref()
                                .is_some_and(|t| t.project_id != i.project_id) =>
                        {
                            errors.push(format!(
                                "Issue {} is in another project than the epic.",
                                i.key
                            ))
                        }
                        Ok(i) => issues.push(i),
                        Err(e) => errors.push(e),
                    }
                }
                all_or_error(errors)?;
                for mut issue in issues {
                    let parent = target.as_ref().map(|t| t.id);
                    let current_is_epic = match issue.parent_id {
                        Some(p) => iq::by_id(tx, p)?.is_some_and(|p| is_epic(&cat, &p)),
                        None => false,
                    };
                    if parent.is_none() && !current_is_epic {
                        continue;
                    }
                    issue.parent_id = parent;
                    write_issue(tx, &mut issue)?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `PUT epic/{idOrKey}/rank`: ranks an epic before or after another epic.
    pub async fn rank_epic(
        &self,
        caller: Option<&Caller>,
        key: &str,
        before: Option<String>,
        after: Option<String>,
        field: Option<i64>,
    ) -> Result<()> {
        let epic = self.epic(caller, key).await?;
        if let Some(other) = before.as_deref().or(after.as_deref()) {
            self.epic(caller, other).await.map_err(|_| {
                Error::bad_request(format!(
                    "Issue {other} is not an epic: epics rank among epics."
                ))
            })?;
        }
        self.rank_issues(
            caller,
            RankRequest {
                issues: vec![epic.issue.key],
                rank_before: before,
                rank_after: after,
                rank_field: field,
            },
        )
        .await?
        .into_result()
    }
}
