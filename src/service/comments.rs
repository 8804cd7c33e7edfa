//! Comments on issues.

use super::{catalog, issues, permissions};
use crate::store::Store;
use std::sync::Arc;

use super::issues::IssueView;
use super::permissions::{caller_permissions, can_see_visibility};
use super::{Caller, Page, Permission};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::{comment_events, comments as q, issues as iq, projects as pq};

#[derive(Debug, Clone)]
pub struct CommentInput {
    pub body: String,
    pub visibility: Option<Visibility>,
}

pub enum CommentOrder {
    CreatedAsc,
    CreatedDesc,
}

/// Comments on issues.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    permissions: Arc<permissions::Service>,
    issues: Arc<issues::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        permissions: Arc<permissions::Service>,
        issues: Arc<issues::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            permissions,
            issues,
        }
    }
}

impl Service {
    fn check_body(body: &str) -> Result<()> {
        if body.trim().is_empty() {
            return Err(Error::field("comment", "Comment body can not be empty!"));
        }
        if body.len() > 32_767 {
            return Err(Error::field(
                "comment",
                "The entered text is too long. It exceeds the allowed limit of 32,767 characters.",
            ));
        }
        Ok(())
    }

    pub async fn list_comments(
        &self,
        caller: &Caller,
        r: &IssueRef,
        start_at: i64,
        max_results: i64,
        order: CommentOrder,
    ) -> Result<(IssueView, Page<Comment>)> {
        let view = self.issues.view_issue(Some(caller), r).await?;
        let mut all = view.comments.clone();
        if matches!(order, CommentOrder::CreatedDesc) {
            all.reverse();
        }
        let page = Page::of(all, start_at, max_results);
        Ok((view, page))
    }

    pub async fn get_comment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
    ) -> Result<(IssueView, Comment)> {
        let view = self.issues.view_issue(Some(caller), r).await?;
        let comment = view
            .comments
            .iter()
            .find(|c| c.id == id)
            .cloned()
            .ok_or_else(|| comment_missing(id))?;
        Ok((view, comment))
    }

    pub async fn add_comment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        input: CommentInput,
    ) -> Result<(IssueView, Comment)> {
        Self::check_body(&input.body)?;
        self.permissions
            .check_visibility(caller, &input.visibility)?;
        let catalog = self.catalog.current();
        let c = caller.clone();
        let r2 = r.clone();
        let id = self
            .store
            .write(move |db| {
                let issue = iq::by_ref(db, &r2)?.ok_or_else(Error::issue_not_found)?;
                let project =
                    pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
                let perms = caller_permissions(db, &catalog, Some(&c), &project, Some(&issue))?;
                if !perms.has(Permission::BrowseProjects) {
                    return Err(Error::issue_not_found().into());
                }
                if !perms.has(Permission::AddComments) {
                    return Err(Error::forbidden(
                        "You do not have the permission to comment on this issue.",
                    )
                    .into());
                }
                let now = db.now();
                let id = q::insert(
                    db,
                    &Comment {
                        id: 0,
                        issue_id: issue.id,
                        author_id: Some(c.user.id),
                        update_author_id: Some(c.user.id),
                        body: input.body,
                        created: now,
                        updated: now,
                        visibility: input.visibility,
                    },
                )?;
                iq::touch(db, issue.id, now)?;
                iq::enqueue_index(db, issue.id, now)?;
                Ok(id)
            })
            .await?;
        self.get_comment(caller, r, id).await
    }

    pub async fn update_comment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
        input: CommentInput,
    ) -> Result<(IssueView, Comment)> {
        Self::check_body(&input.body)?;
        self.permissions
            .check_visibility(caller, &input.visibility)?;
        self.change_comment(caller, r, id, Some(input)).await?;
        self.get_comment(caller, r, id).await
    }

    pub async fn delete_comment(&self, caller: &Caller, r: &IssueRef, id: i64) -> Result<()> {
        self.change_comment(caller, r, id, None).await
    }

    /// Edits (`Some`) or deletes (`None`) a comment, with the own/all permission split.
    async fn change_comment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
        edit: Option<CommentInput>,
    ) -> Result<()> {
        let catalog = self.catalog.current();
        let c = caller.clone();
        let r = r.clone();
        self.store
            .write(move |db| {
                let issue = iq::by_ref(db, &r)?.ok_or_else(Error::issue_not_found)?;
                let project =
                    pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
                let perms = caller_permissions(db, &catalog, Some(&c), &project, Some(&issue))?;
                if !perms.has(Permission::BrowseProjects) {
                    return Err(Error::issue_not_found().into());
                }
                let mut comment = q::by_id(db, id)?
                    .filter(|x| x.issue_id == issue.id)
                    .ok_or_else(|| comment_missing(id))?;
                if !can_see_visibility(db, Some(&c), &project, comment.visibility.as_ref())? {
                    return Err(comment_missing(id).into());
                }
                let own = comment.author_id == Some(c.user.id);
                let now = db.now();
                match edit {
                    Some(input) => {
                        let allowed = perms.has(Permission::EditAllComments)
                            || (own && perms.has(Permission::EditOwnComments));
                        if !allowed {
                            return Err(Error::forbidden(
                                "You do not have the permission to edit this comment.",
                            )
                            .into());
                        }
                        comment.body = input.body;
                        comment.visibility = input.visibility;
                        comment.update_author_id = Some(c.user.id);
                        comment.updated = now;
                        q::update(db, &comment)?;
                        comment_events::record(db, issue.id, id, Some(c.user.id), false, now)?;
                    }
                    None => {
                        let allowed = perms.has(Permission::DeleteAllComments)
                            || (own && perms.has(Permission::DeleteOwnComments));
                        if !allowed {
                            return Err(Error::forbidden(
                                "You do not have the permission to delete this comment.",
                            )
                            .into());
                        }
                        q::delete(db, id)?;
                        comment_events::record(db, issue.id, id, Some(c.user.id), true, now)?;
                    }
                }
                iq::touch(db, issue.id, now)?;
                iq::enqueue_index(db, issue.id, now)
            })
            .await?;
        Ok(())
    }
}

fn comment_missing(id: i64) -> Error {
    Error::not_found(format!("Can not find a comment for the id: {id}."))
}
