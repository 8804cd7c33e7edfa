//! Ranking: issues placed before or after another, by rank strings computed inside one
//! write job (the writer is single, so two concurrent ranks never pick the same gap),
//! and the agile estimate (Story Points).

use super::*;
use crate::domain::agile::rank;

#[derive(Debug, Clone, Default)]
pub struct RankRequest {
    pub issues: Vec<String>,
    pub rank_before: Option<String>,
    pub rank_after: Option<String>,
    pub rank_field: Option<i64>,
}

/// Per issue: the key as given, the issue id when found, and what happened.
#[derive(Debug, Clone, Default)]
pub struct RankOutcome {
    pub entries: Vec<(String, Option<IssueId>, std::result::Result<(), String>)>,
}

impl RankOutcome {
    pub fn all_ok(&self) -> bool {
        self.entries.iter().all(|(_, _, r)| r.is_ok())
    }
    /// The outcome as a plain result: the first failure's message as a 400.
    pub fn into_result(self) -> Result<()> {
        let errors: Vec<String> = self
            .entries
            .into_iter()
            .filter_map(|(_, _, r)| r.err())
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error {
                kind: crate::error::Kind::BadRequest,
                messages: errors,
                fields: Default::default(),
            })
        }
    }
}

/// The rank of an issue, giving it one (last) when it has none.
fn rank_of(tx: &Tx, field: i64, issue: &mut Issue) -> StoreResult<String> {
    if let Some((_, FieldValue::Text(r))) = issue.custom.iter().find(|(id, _)| *id == field) {
        return Ok(r.clone());
    }
    let r = rank::after(q::last_rank(tx, field)?.as_deref());
    write_field(tx, issue, field, Some(FieldValue::Text(r.clone())))?;
    Ok(r)
}

impl Service {
    /// `PUT issue/rank`: at most 50 issues, placed in the given order just before
    /// `rankBeforeIssue` or just after `rankAfterIssue`. Issues the caller may not
    /// schedule fail one by one; the others are ranked.
    pub async fn rank_issues(
        &self,
        caller: Option<&Caller>,
        req: RankRequest,
    ) -> Result<RankOutcome> {
        let caller = require(caller)?.clone();
        if req.issues.is_empty() {
            return Err(Error::bad_request("No issues were given to rank."));
        }
        if req.issues.len() > 50 {
            return Err(Error::bad_request(
                "At most 50 issues may be ranked at once.",
            ));
        }
        let anchor = match (&req.rank_before, &req.rank_after) {
            (Some(b), None) => (b.clone(), true),
            (None, Some(a)) => (a.clone(), false),
            _ => {
                return Err(Error::bad_request(
                    "Give exactly one of rankBeforeIssue and rankAfterIssue.",
                ));
            }
        };
        let field = self.field(CustomFieldKind::Rank)?;
        if req.rank_field.is_some_and(|f| f != field) {
            return Err(Error::bad_request(format!(
                "Field customfield_{} is not a rank field.",
                req.rank_field.unwrap_or_default()
            )));
        }
        let cat = self.catalog.current();
        Ok(self
            .store
            .write(move |tx| {
                let (anchor_key, before) = anchor;
                let mut target = match writable_issue(
                    tx,
                    &cat,
                    &caller,
                    &anchor_key,
                    Permission::BrowseProjects,
                )? {
                    Ok(i) => i,
                    Err(e) => return Err(Error::bad_request(e).into()),
                };
                let mut out = RankOutcome::default();
                let mut movers = Vec::new();
                for key in &req.issues {
                    match writable_issue(tx, &cat, &caller, key, Permission::ScheduleIssues)? {
                        Ok(i) if i.id == target.id => out.entries.push((
                            key.clone(),
                            Some(i.id),
                            Err("An issue cannot be ranked relative to itself.".into()),
                        )),
                        Ok(i) => {
                            out.entries.push((key.clone(), Some(i.id), Ok(())));
                            movers.push(i);
                        }
                        Err(e) => out.entries.push((key.clone(), None, Err(e))),
                    }
                }
                let at = rank_of(tx, field, &mut target)?;
                // The gap next to the anchor; issues being moved may lie in it, which is
                // fine: they all get new ranks inside it, in the order given.
                let (mut lo, hi) = if before {
                    (q::previous_rank(tx, field, &at)?, Some(at))
                } else {
                    let next = q::next_rank(tx, field, &at)?;
                    (Some(at), next)
                };
                for mut issue in movers {
                    let r = rank::between(lo.as_deref(), hi.as_deref());
                    write_field(tx, &mut issue, field, Some(FieldValue::Text(r.clone())))?;
                    lo = Some(r);
                }
                Ok(out)
            })
            .await?)
    }

    /// `GET issue/{key}/estimation`: the Story Points field and its value.
    pub async fn estimation(
        &self,
        caller: Option<&Caller>,
        key: &str,
        board: Option<i64>,
    ) -> Result<(CustomField, Option<f64>)> {
        require(caller)?;
        if let Some(b) = board {
            self.board(caller, b).await?;
        }
        let view = self
            .issues
            .view_issue_with(
                caller,
                &IssueRef::parse(key),
                crate::service::issues::ViewNeeds::NONE,
            )
            .await?;
        let field = self.points_field()?;
        let value = view
            .issue
            .custom
            .iter()
            .find(|(id, _)| *id == field.id)
            .and_then(|(_, v)| match v {
                FieldValue::Number(n) => Some(*n),
                _ => None,
            });
        Ok((field, value))
    }

    /// `PUT issue/{key}/estimation`: sets Story Points (null clears).
    pub async fn set_estimation(
        &self,
        caller: Option<&Caller>,
        key: &str,
        board: Option<i64>,
        value: Option<f64>,
    ) -> Result<(CustomField, Option<f64>)> {
        let who = require(caller)?.clone();
        if let Some(b) = board {
            self.board(caller, b).await?;
        }
        let field = self.points_field()?;
        // A hidden issue is a missing one (404); a visible one the caller may not edit, 403.
        self.issues
            .view_issue_with(
                caller,
                &IssueRef::parse(key),
                crate::service::issues::ViewNeeds::NONE,
            )
            .await?;
        let (cat, fid, k) = (self.catalog.current(), field.id, key.to_string());
        self.store
            .write(move |tx| {
                let mut issue = match writable_issue(tx, &cat, &who, &k, Permission::EditIssues)? {
                    Ok(i) => i,
                    Err(e) => return Err(Error::forbidden(e).into()),
                };
                write_field(tx, &mut issue, fid, value.map(FieldValue::Number))
            })
            .await?;
        Ok((field, value))
    }

    fn points_field(&self) -> Result<CustomField> {
        self.catalog
            .current()
            .custom_field_by_name("Story Points")
            .filter(|f| f.kind == CustomFieldKind::Number)
            .cloned()
            .ok_or_else(|| Error::bad_request("The board has no estimation field."))
    }
}
