//! Remote issue links: links from an issue to objects in other systems, found by id or by
//! the client's `globalId`. Creating, updating and deleting one records `RemoteIssueLink`
//! in the changelog, bumps `updated` and reaches the index through the outbox.

use super::{catalog, issues};
use crate::store::Store;
use std::sync::Arc;

use super::issues::load_for_write;
use super::{Caller, Permission};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::StoreResult;
use crate::store::queries::{Db, Tx, changelog as clq, issues as iq, remote_links as q};

/// The result of `POST issue/{key}/remotelink`.
pub enum Upserted {
    Created(i64),
    Updated(i64),
}

fn link_missing(what: &str) -> Error {
    Error::not_found(format!("No remote link {what} exists on this issue."))
}

fn validate(link: &RemoteLink) -> Result<()> {
    let mut errors = std::collections::BTreeMap::new();
    if link.url.trim().is_empty() {
        errors.insert("url".to_string(), "'url' is required.".to_string());
    }
    if link.title.trim().is_empty() {
        errors.insert("title".to_string(), "'title' is required.".to_string());
    }
    for (name, v) in [("url", &link.url), ("title", &link.title)] {
        if v.len() > 2048 {
            errors.insert(
                name.to_string(),
                format!("'{name}' is longer than 2048 characters."),
            );
        }
    }
    match Error::from_fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn change(id: i64, title: &str, created: bool) -> ChangeItem {
    let (from, to) = if created {
        (None, Some(id.to_string()))
    } else {
        (Some(id.to_string()), None)
    };
    let text = Some(format!("This issue links to \"{title}\""));
    ChangeItem {
        field: "RemoteIssueLink".into(),
        field_type: "jira".into(),
        field_id: "RemoteIssueLink".into(),
        from,
        from_string: if created { None } else { text.clone() },
        to,
        to_string: if created { text } else { None },
    }
}

fn record(db: &Tx, caller: &Caller, issue: IssueId, items: &[ChangeItem]) -> StoreResult<()> {
    let now = db.now();
    clq::record(db, issue, Some(caller.user.id), now, items)?;
    iq::touch(db, issue, now)?;
    iq::enqueue_index(db, issue, now)
}

/// Remote issue links.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    issues: Arc<issues::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        issues: Arc<issues::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            issues,
        }
    }
}

impl Service {
    /// `GET issue/{key}/remotelink`: every link, or the one with `global_id` (404 if none).
    pub async fn remote_links(
        &self,
        caller: Option<&Caller>,
        r: &IssueRef,
        global_id: Option<String>,
    ) -> Result<(Issue, Vec<RemoteLink>)> {
        let issue = self.issues.view_issue(caller, r).await?.issue;
        let id = issue.id;
        let gid = global_id.clone();
        let links = self
            .store
            .read(move |db| match gid {
                Some(g) => Ok(q::by_global_id(db, id, &g)?.into_iter().collect()),
                None => q::of_issue(db, id),
            })
            .await?;
        if global_id.is_some() && links.is_empty() {
            return Err(link_missing("with this global id"));
        }
        Ok((issue, links))
    }

    pub async fn remote_link(
        &self,
        caller: Option<&Caller>,
        r: &IssueRef,
        id: i64,
    ) -> Result<(Issue, RemoteLink)> {
        let issue = self.issues.view_issue(caller, r).await?.issue;
        let issue_id = issue.id;
        let link = self
            .store
            .read(move |db| q::by_id(db, id))
            .await?
            .filter(|l| l.issue_id == issue_id)
            .ok_or_else(|| link_missing(&format!("with id {id}")))?;
        Ok((issue, link))
    }

    /// `POST issue/{key}/remotelink`: updates the link with the same `globalId`, if any,
    /// replacing every field; creates one otherwise.
    pub async fn upsert_remote_link(
        &self,
        caller: &Caller,
        r: &IssueRef,
        link: RemoteLink,
    ) -> Result<(Issue, Upserted)> {
        validate(&link)?;
        let cat = self.catalog.current();
        let c = caller.clone();
        let r = r.clone();
        Ok(self
            .store
            .write(move |db| {
                let issue = writable(db, &cat, &c, &r)?;
                let existing = match &link.global_id {
                    Some(g) => q::by_global_id(db, issue.id, g)?,
                    None => None,
                };
                let now = db.now();
                let outcome = match existing {
                    Some(old) => {
                        let new = RemoteLink {
                            id: old.id,
                            issue_id: issue.id,
                            ..link
                        };
                        q::update(db, &new, now)?;
                        Upserted::Updated(old.id)
                    }
                    None => {
                        let new = RemoteLink {
                            issue_id: issue.id,
                            ..link
                        };
                        let id = q::insert(db, &new, now)?;
                        record(db, &c, issue.id, &[change(id, &new.title, true)])?;
                        Upserted::Created(id)
                    }
                };
                if let Upserted::Updated(_) = outcome {
                    iq::touch(db, issue.id, now)?;
                    iq::enqueue_index(db, issue.id, now)?;
                }
                Ok((issue, outcome))
            })
            .await?)
    }

    /// Adds a web link (a remote link with only a url and a title). When the issue has
    /// a link with the same url and title already, that one is returned and nothing is
    /// written: `Ok((link, false))`.
    pub async fn add_web_link(
        &self,
        caller: &Caller,
        r: &IssueRef,
        url: String,
        title: String,
    ) -> Result<(RemoteLink, bool)> {
        let link = RemoteLink {
            id: 0,
            issue_id: IssueId(0),
            global_id: None,
            url,
            title,
            summary: None,
            relationship: None,
            application_type: None,
            application_name: None,
            icon: LinkIcon::default(),
            status_resolved: None,
            status_icon: LinkIcon::default(),
            created: Millis(0),
        };
        validate(&link)?;
        // A web link is something a person opens: only http(s) addresses.
        let lower = link.url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(Error::field(
                "url",
                "'url' must be an absolute http or https URL.",
            ));
        }
        let cat = self.catalog.current();
        let c = caller.clone();
        let r = r.clone();
        Ok(self
            .store
            .write(move |db| {
                let issue = writable(db, &cat, &c, &r)?;
                if let Some(same) = q::of_issue(db, issue.id)?
                    .into_iter()
                    .find(|l| l.url == link.url && l.title == link.title)
                {
                    return Ok((same, false));
                }
                let new = RemoteLink {
                    issue_id: issue.id,
                    ..link
                };
                let id = q::insert(db, &new, db.now())?;
                record(db, &c, issue.id, &[change(id, &new.title, true)])?;
                let stored =
                    q::by_id(db, id)?.ok_or_else(|| link_missing(&format!("with id {id}")))?;
                Ok((stored, true))
            })
            .await?)
    }

    /// `PUT issue/{key}/remotelink/{id}`: replaces every field (missing ones become null).
    pub async fn update_remote_link(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
        link: RemoteLink,
    ) -> Result<()> {
        validate(&link)?;
        let cat = self.catalog.current();
        let c = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let issue = writable(db, &cat, &c, &r)?;
                let old = q::by_id(db, id)?
                    .filter(|l| l.issue_id == issue.id)
                    .ok_or_else(|| link_missing(&format!("with id {id}")))?;
                if let Some(g) = &link.global_id
                    && let Some(other) = q::by_global_id(db, issue.id, g)?
                    && other.id != old.id
                {
                    return Err(Error::field(
                        "globalId",
                        "Another remote link of this issue has this global id.",
                    )
                    .into());
                }
                let now = db.now();
                q::update(
                    db,
                    &RemoteLink {
                        id,
                        issue_id: issue.id,
                        ..link
                    },
                    now,
                )?;
                iq::touch(db, issue.id, now)?;
                iq::enqueue_index(db, issue.id, now)
            })
            .await?;
        Ok(())
    }

    /// `DELETE issue/{key}/remotelink/{id}` (`Ok(id)`) or `?globalId=` (`Err(globalId)`).
    pub async fn delete_remote_link(
        &self,
        caller: &Caller,
        r: &IssueRef,
        which: std::result::Result<i64, String>,
    ) -> Result<()> {
        let cat = self.catalog.current();
        let c = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let issue = writable(db, &cat, &c, &r)?;
                let link = match &which {
                    Ok(id) => q::by_id(db, *id)?.filter(|l| l.issue_id == issue.id),
                    Err(g) => q::by_global_id(db, issue.id, g)?,
                }
                .ok_or_else(|| match &which {
                    Ok(id) => link_missing(&format!("with id {id}")),
                    Err(_) => link_missing("with this global id"),
                })?;
                q::delete(db, link.id)?;
                record(db, &c, issue.id, &[change(link.id, &link.title, false)])
            })
            .await?;
        Ok(())
    }
}

/// The issue, when the caller may browse it (404 otherwise) and link it (403 otherwise).
fn writable(db: &Db, cat: &super::Catalog, caller: &Caller, r: &IssueRef) -> StoreResult<Issue> {
    let (issue, _, perms) = load_for_write(db, cat, caller, r)?;
    if !perms.has(Permission::LinkIssues) {
        return Err(Error::forbidden(
            "You do not have the permission to link issues in this project.",
        )
        .into());
    }
    Ok(issue)
}
