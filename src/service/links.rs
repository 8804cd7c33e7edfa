//! Issue links between issues and the link types that name them.
//!
//! A link is directed: `source` <outward description> `dest` ("A blocks B"). On the wire
//! (`POST /issueLink`) Jira calls the source `inwardIssue` and the destination
//! `outwardIssue`; the source shows the link as `outwardIssue` in its `issuelinks`.

use super::{catalog, permissions};
use crate::store::Store;
use std::sync::Arc;

use super::comments::CommentInput;
use super::permissions::caller_permissions;
use super::{Caller, Catalog, Permission};
use crate::domain::*;
use crate::error::{Error, Kind, Result};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, changelog as cq, comments as comq, issues as iq, links as q, projects as pq,
};

pub use super::issues::LinkedIssue;

/// A link with both its issues, for `GET /issueLink/{id}`.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub id: i64,
    pub link_type: LinkType,
    pub source: Issue,
    pub dest: Issue,
}

/// A link type named by id or by name (`{"id": "10000"}` or `{"name": "Blocks"}`).
#[derive(Debug, Clone)]
pub enum LinkTypeRef {
    Id(String),
    Name(String),
}

#[derive(Debug, Clone)]
pub struct LinkInput {
    pub link_type: Option<LinkTypeRef>,
    /// The source of the link (Jira's `inwardIssue`).
    pub inward: Option<IssueRef>,
    /// The destination of the link (Jira's `outwardIssue`).
    pub outward: Option<IssueRef>,
    pub comment: Option<CommentInput>,
}

fn can_browse(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    issue: &Issue,
) -> StoreResult<bool> {
    let Some(project) = pq::by_id(db, issue.project_id)? else {
        return Ok(false);
    };
    Ok(
        caller_permissions(db, catalog, caller, &project, Some(issue))?
            .has(Permission::BrowseProjects),
    )
}

fn may_link(db: &Db, catalog: &Catalog, caller: &Caller, issue: &Issue) -> StoreResult<bool> {
    let Some(project) = pq::by_id(db, issue.project_id)? else {
        return Ok(false);
    };
    Ok(
        caller_permissions(db, catalog, Some(caller), &project, Some(issue))?
            .has(Permission::LinkIssues),
    )
}

fn link_missing(id: i64) -> Error {
    Error::not_found(format!("No issue link with id '{id}' exists."))
}

fn no_link_permission() -> Error {
    // Jira answers 401 here (its reference says so), not 403.
    Error::new(
        Kind::Unauthenticated,
        "You do not have the permission to link issues.",
    )
}

/// The two "Link" changelog items Jira writes, one per issue.
fn link_items(lt: &LinkType, source: &Issue, dest: &Issue, added: bool) -> [ChangeItem; 2] {
    let item = |other: &Issue, phrase: &str| {
        let value = Some(other.key.clone());
        let text = Some(format!("This issue {phrase} {}", other.key));
        let (from, from_string, to, to_string) = if added {
            (None, None, value, text)
        } else {
            (value, text, None, None)
        };
        ChangeItem {
            field: "Link".into(),
            field_type: "jira".into(),
            field_id: "issuelinks".into(),
            from,
            from_string,
            to,
            to_string,
        }
    };
    [item(dest, &lt.outward), item(source, &lt.inward)]
}

fn validate_type_text(name: &str, inward: &str, outward: &str) -> Result<()> {
    let mut errors = std::collections::BTreeMap::new();
    for (field, value) in [("name", name), ("inward", inward), ("outward", outward)] {
        if value.trim().is_empty() {
            errors.insert(
                field.to_string(),
                format!("The issue link type {field} must not be empty."),
            );
        } else if value.chars().count() > 255 {
            errors.insert(
                field.to_string(),
                format!("The issue link type {field} must not exceed 255 characters."),
            );
        }
    }
    match Error::from_fields(errors) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Issue link types and issue links.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
        }
    }
}

impl Service {
    fn link_type_or_404(&self, id: i64) -> Result<LinkType> {
        self.catalog
            .current()
            .link_type(id)
            .cloned()
            .ok_or_else(|| Error::not_found(format!("No issue link type with id '{id}' exists.")))
    }

    /// `POST issueLinkType`: administrators only.
    pub async fn create_link_type(
        &self,
        caller: &Caller,
        name: &str,
        inward: &str,
        outward: &str,
    ) -> Result<LinkType> {
        self.permissions.require_admin(caller)?;
        validate_type_text(name, inward, outward)?;
        let name = name.trim().to_string();
        if self
            .catalog
            .current()
            .link_types
            .iter()
            .any(|t| t.name.eq_ignore_ascii_case(&name))
        {
            return Err(Error::field(
                "name",
                format!("An issue link type with the name '{name}' already exists."),
            ));
        }
        let (inward, outward) = (inward.trim().to_string(), outward.trim().to_string());
        let id = self
            .store
            .write(move |db| q::insert_type(db, &name, &inward, &outward))
            .await?;
        self.catalog.reload().await?;
        self.link_type_or_404(id)
    }

    /// `PUT issueLinkType/{id}`: fields present replace the current values.
    pub async fn update_link_type(
        &self,
        caller: &Caller,
        id: i64,
        name: Option<String>,
        inward: Option<String>,
        outward: Option<String>,
    ) -> Result<LinkType> {
        self.permissions.require_admin(caller)?;
        let mut t = self.link_type_or_404(id)?;
        if let Some(n) = name {
            t.name = n.trim().to_string();
        }
        if let Some(i) = inward {
            t.inward = i.trim().to_string();
        }
        if let Some(o) = outward {
            t.outward = o.trim().to_string();
        }
        validate_type_text(&t.name, &t.inward, &t.outward)?;
        if self
            .catalog
            .current()
            .link_types
            .iter()
            .any(|x| x.id != id && x.name.eq_ignore_ascii_case(&t.name))
        {
            return Err(Error::field(
                "name",
                format!(
                    "An issue link type with the name '{}' already exists.",
                    t.name
                ),
            ));
        }
        let u = t.clone();
        self.store
            .write(move |db| {
                q::update_type(db, &u)?;
                // Rendered link descriptions and `issueLinkType` searches change.
                let now = db.now();
                for issue in q::issues_linked_by_type(db, u.id)? {
                    iq::enqueue_index(db, IssueId(issue), now)?;
                }
                Ok(())
            })
            .await?;
        self.catalog.reload().await?;
        Ok(t)
    }

    /// `DELETE issueLinkType/{id}`: the type's links go with it.
    pub async fn delete_link_type(&self, caller: &Caller, id: i64) -> Result<()> {
        self.permissions.require_admin(caller)?;
        self.link_type_or_404(id)?;
        self.store
            .write(move |db| {
                let now = db.now();
                for issue in q::issues_linked_by_type(db, id)? {
                    iq::enqueue_index(db, IssueId(issue), now)?;
                }
                q::delete_type(db, id)
            })
            .await?;
        self.catalog.reload().await?;
        Ok(())
    }

    /// `POST issueLink`: links two issues, optionally commenting on the source; returns
    /// the link id. Needs Link Issues on the source and Browse on both.
    pub async fn link_issues(&self, caller: &Caller, input: LinkInput) -> Result<i64> {
        let catalog = self.catalog.current();
        if !catalog.settings.linking() {
            // Jira's answer while `jira.option.issuelinking` is off.
            return Err(Error::not_found("Issue linking is currently disabled."));
        }
        let link_type = match &input.link_type {
            None => {
                return Err(Error::field(
                    "issueLinkType",
                    "No issue link type specified.",
                ));
            }
            Some(LinkTypeRef::Id(id)) => catalog
                .link_types
                .iter()
                .find(|t| t.id.to_string() == *id)
                .cloned()
                .ok_or_else(|| {
                    Error::not_found(format!("No issue link type with id '{id}' exists."))
                })?,
            Some(LinkTypeRef::Name(name)) => catalog
                .link_types
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(name))
                .cloned()
                .ok_or_else(|| {
                    Error::not_found(format!("No issue link type with name '{name}' found."))
                })?,
        };
        let (Some(inward), Some(outward)) = (input.inward.clone(), input.outward.clone()) else {
            return Err(Error::bad_request(
                "Both inwardIssue and outwardIssue must be given, by key or id.",
            ));
        };
        let comment = match input.comment {
            Some(c) if c.body.trim().is_empty() => {
                return Err(Error::field("comment", "Comment body can not be empty!"));
            }
            other => other,
        };
        let caller = caller.clone();
        Ok(self
            .store
            .write(move |db| {
                let source = iq::by_ref(db, &inward)?.ok_or_else(Error::issue_not_found)?;
                let dest = iq::by_ref(db, &outward)?.ok_or_else(Error::issue_not_found)?;
                if !can_browse(db, &catalog, Some(&caller), &source)?
                    || !can_browse(db, &catalog, Some(&caller), &dest)?
                {
                    return Err(Error::issue_not_found().into());
                }
                if !may_link(db, &catalog, &caller, &source)? {
                    return Err(no_link_permission().into());
                }
                if source.id == dest.id {
                    return Err(Error::bad_request("You cannot link an issue to itself.").into());
                }
                let now = db.now();
                let (id, created) = q::insert(db, link_type.id, source.id, dest.id, now)?;
                if created {
                    let [on_source, on_dest] = link_items(&link_type, &source, &dest, true);
                    cq::record(db, source.id, Some(caller.user.id), now, &[on_source])?;
                    cq::record(db, dest.id, Some(caller.user.id), now, &[on_dest])?;
                }
                if let Some(c) = comment {
                    comq::insert(
                        db,
                        &Comment {
                            id: 0,
                            issue_id: source.id,
                            author_id: Some(caller.user.id),
                            update_author_id: Some(caller.user.id),
                            body: c.body,
                            created: now,
                            updated: now,
                            visibility: c.visibility,
                        },
                    )?;
                }
                for issue in [source.id, dest.id] {
                    iq::touch(db, issue, now)?;
                    iq::enqueue_index(db, issue, now)?;
                }
                Ok(id)
            })
            .await?)
    }

    /// `GET issueLink/{id}`: visible when the caller may browse both issues.
    pub async fn get_link(&self, caller: Option<&Caller>, id: i64) -> Result<LinkView> {
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        self.store
            .read(move |db| {
                let link = q::by_id(db, id)?.ok_or_else(|| link_missing(id))?;
                let source = iq::by_id(db, link.source_id)?.ok_or_else(|| link_missing(id))?;
                let dest = iq::by_id(db, link.dest_id)?.ok_or_else(|| link_missing(id))?;
                if !can_browse(db, &catalog, caller.as_ref(), &source)?
                    || !can_browse(db, &catalog, caller.as_ref(), &dest)?
                {
                    return Err(link_missing(id).into());
                }
                let link_type = catalog
                    .link_type(link.link_type_id)
                    .cloned()
                    .ok_or_else(|| link_missing(id))?;
                Ok(LinkView {
                    id,
                    link_type,
                    source,
                    dest,
                })
            })
            .await
            .map_err(Error::from)
    }

    /// `DELETE issueLink/{id}`: needs Link Issues on either issue.
    pub async fn delete_link(&self, caller: &Caller, id: i64) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        self.store
            .write(move |db| {
                let link = q::by_id(db, id)?.ok_or_else(|| link_missing(id))?;
                let source = iq::by_id(db, link.source_id)?.ok_or_else(|| link_missing(id))?;
                let dest = iq::by_id(db, link.dest_id)?.ok_or_else(|| link_missing(id))?;
                if !can_browse(db, &catalog, Some(&caller), &source)?
                    || !can_browse(db, &catalog, Some(&caller), &dest)?
                {
                    return Err(link_missing(id).into());
                }
                if !may_link(db, &catalog, &caller, &source)?
                    && !may_link(db, &catalog, &caller, &dest)?
                {
                    return Err(no_link_permission().into());
                }
                let now = db.now();
                q::delete(db, id)?;
                if let Some(lt) = catalog.link_type(link.link_type_id) {
                    let [on_source, on_dest] = link_items(lt, &source, &dest, false);
                    cq::record(db, source.id, Some(caller.user.id), now, &[on_source])?;
                    cq::record(db, dest.id, Some(caller.user.id), now, &[on_dest])?;
                }
                for issue in [source.id, dest.id] {
                    iq::touch(db, issue, now)?;
                    iq::enqueue_index(db, issue, now)?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }
}
