//! The activity stream of an issue: its creation, every change group of the changelog
//! (field edits, transitions, attachments, links), and its comments being added, edited
//! and deleted — newest first.
//!
//! Nothing is recorded twice for it: events are derived from the issue row, the
//! changelog, the comments and the comment events, read in one snapshot.

use super::{issues, users};
use crate::store::Store;
use std::sync::Arc;

use std::collections::{HashMap, HashSet};

use super::Caller;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::queries::{changelog, comment_events, comments, users as uq};

/// What happened, as the v1 surface names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    IssueCreated,
    IssueUpdated,
    IssueTransitioned,
    CommentCreated,
    CommentUpdated,
    CommentDeleted,
    AttachmentAdded,
    AttachmentRemoved,
    LinkAdded,
    LinkRemoved,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 10] = [
        ActivityKind::IssueCreated,
        ActivityKind::IssueUpdated,
        ActivityKind::IssueTransitioned,
        ActivityKind::CommentCreated,
        ActivityKind::CommentUpdated,
        ActivityKind::CommentDeleted,
        ActivityKind::AttachmentAdded,
        ActivityKind::AttachmentRemoved,
        ActivityKind::LinkAdded,
        ActivityKind::LinkRemoved,
    ];

    pub fn event_type(self) -> &'static str {
        match self {
            ActivityKind::IssueCreated => "issue.created.v1",
            ActivityKind::IssueUpdated => "issue.updated.v1",
            ActivityKind::IssueTransitioned => "issue.transitioned.v1",
            ActivityKind::CommentCreated => "issue-comment.created.v1",
            ActivityKind::CommentUpdated => "issue-comment.updated.v1",
            ActivityKind::CommentDeleted => "issue-comment.deleted.v1",
            ActivityKind::AttachmentAdded => "issue-attachment.created.v1",
            ActivityKind::AttachmentRemoved => "issue-attachment.deleted.v1",
            ActivityKind::LinkAdded => "issue-link.created.v1",
            ActivityKind::LinkRemoved => "issue-link.deleted.v1",
        }
    }

    pub fn from_event_type(s: &str) -> Option<ActivityKind> {
        Self::ALL.into_iter().find(|k| k.event_type() == s)
    }

    /// The kind of one change group: a status change is a transition; a group that only
    /// adds or removes an attachment or a link is that; anything else is an update.
    fn of_changes(items: &[ChangeItem]) -> ActivityKind {
        if items.iter().any(|i| i.field == "status") {
            return ActivityKind::IssueTransitioned;
        }
        let only = |fields: &[&str]| items.iter().all(|i| fields.contains(&i.field.as_str()));
        let added = items.iter().any(|i| i.to.is_some());
        if only(&["Attachment"]) {
            return if added {
                ActivityKind::AttachmentAdded
            } else {
                ActivityKind::AttachmentRemoved
            };
        }
        if only(&["Link", "RemoteIssueLink"]) {
            return if added {
                ActivityKind::LinkAdded
            } else {
                ActivityKind::LinkRemoved
            };
        }
        ActivityKind::IssueUpdated
    }
}

/// Which record an event comes from; with the row id it identifies the event for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActivitySource {
    Issue = 0,
    Changelog = 1,
    Comment = 2,
    CommentEvent = 3,
}

impl ActivitySource {
    pub fn tag(self) -> &'static str {
        match self {
            ActivitySource::Issue => "created",
            ActivitySource::Changelog => "change",
            ActivitySource::Comment => "comment",
            ActivitySource::CommentEvent => "commentevent",
        }
    }
}

/// The position of an event in the stream: later events sort after earlier ones, and
/// events recorded later never sort before events already recorded.
pub type ActivityKey = (i64, ActivitySource, i64);

#[derive(Debug, Clone)]
pub struct ActivityEvent {
    pub source: ActivitySource,
    pub source_id: i64,
    pub kind: ActivityKind,
    pub actor_id: Option<UserId>,
    /// The actor, when the account still exists.
    pub actor: Option<User>,
    pub occurred: Millis,
    /// The changed fields, for changelog events.
    pub items: Vec<ChangeItem>,
}

impl ActivityEvent {
    pub fn key(&self) -> ActivityKey {
        (self.occurred.0, self.source, self.source_id)
    }
}

/// Filters of `GET /v1/issues/{key}/activity`; every one is optional.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub actor_account_id: Option<String>,
    pub kind: Option<ActivityKind>,
    /// Inclusive bounds.
    pub from: Option<Millis>,
    pub to: Option<Millis>,
}

/// The activity stream of an issue.
pub struct Service {
    store: Store,
    issues: Arc<issues::Service>,
    users: Arc<users::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        issues: Arc<issues::Service>,
        users: Arc<users::Service>,
    ) -> Service {
        Service {
            store,
            issues,
            users,
        }
    }
}

impl Service {
    /// The activity of an issue the caller may browse, newest first. Events of comments
    /// the caller may not see are left out.
    pub async fn issue_activity(
        &self,
        caller: &Caller,
        r: &IssueRef,
        filter: ActivityFilter,
    ) -> Result<(Issue, Vec<ActivityEvent>)> {
        let view = self.issues.view_issue(Some(caller), r).await?;
        let issue = view.issue.clone();
        let visible: HashSet<i64> = view.comments.iter().map(|c| c.id).collect();
        let id = issue.id;
        let (groups, all_comments, edits) = self
            .store
            .read(move |db| {
                let (groups, _) = changelog::of_issue(db, id, 0, i64::MAX)?;
                Ok((
                    groups,
                    comments::of_issue(db, id)?,
                    comment_events::of_issue(db, id)?,
                ))
            })
            .await?;
        let groups = self.issues.visible_history(caller, groups).await?;
        // Comments that exist but are restricted from this caller; deleted ones leave
        // only "a comment was deleted", which tells nothing of their content.
        let hidden: HashSet<i64> = all_comments
            .iter()
            .map(|c| c.id)
            .filter(|c| !visible.contains(c))
            .collect();

        let event = |source, source_id, kind, actor_id, occurred, items| ActivityEvent {
            source,
            source_id,
            kind,
            actor_id,
            actor: None,
            occurred,
            items,
        };
        let mut events = vec![event(
            ActivitySource::Issue,
            issue.id.0,
            ActivityKind::IssueCreated,
            issue.creator_id.or(issue.reporter_id),
            issue.created,
            Vec::new(),
        )];
        for g in groups {
            let kind = ActivityKind::of_changes(&g.items);
            events.push(event(
                ActivitySource::Changelog,
                g.id,
                kind,
                g.author_id,
                g.created,
                g.items,
            ));
        }
        for c in all_comments.iter().filter(|c| !hidden.contains(&c.id)) {
            events.push(event(
                ActivitySource::Comment,
                c.id,
                ActivityKind::CommentCreated,
                c.author_id,
                c.created,
                Vec::new(),
            ));
        }
        for e in edits.iter().filter(|e| !hidden.contains(&e.comment_id)) {
            let kind = if e.deleted {
                ActivityKind::CommentDeleted
            } else {
                ActivityKind::CommentUpdated
            };
            events.push(event(
                ActivitySource::CommentEvent,
                e.id,
                kind,
                e.actor_id,
                e.occurred,
                Vec::new(),
            ));
        }

        let actor_filter = match &filter.actor_account_id {
            Some(account) => {
                let account = account.clone();
                let user = self
                    .store
                    .read(move |db| uq::by_account_id(db, &account))
                    .await?;
                // An unknown actor matches nothing rather than being an error: the filter
                // asks "what did this account do", and the answer is nothing.
                Some(user.map(|u| u.id))
            }
            None => None,
        };
        events.retain(|e| {
            filter.kind.is_none_or(|k| k == e.kind)
                && actor_filter.is_none_or(|a| a.is_some() && e.actor_id == a)
                && filter.from.is_none_or(|f| e.occurred.0 >= f.0)
                && filter.to.is_none_or(|t| e.occurred.0 <= t.0)
        });

        let ids: Vec<UserId> = events
            .iter()
            .filter_map(|e| e.actor_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let users: HashMap<UserId, User> = self.users.users_map(ids).await?;
        for e in events.iter_mut() {
            e.actor = e.actor_id.and_then(|a| users.get(&a).cloned());
        }
        events.sort_by_key(|e| std::cmp::Reverse(e.key()));
        Ok((issue, events))
    }
}

/// Parses a v1 event type filter, with the list of known ones in the error.
pub fn parse_event_type(s: &str) -> Result<ActivityKind> {
    ActivityKind::from_event_type(s).ok_or_else(|| {
        let known: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.event_type()).collect();
        Error::bad_request(format!(
            "Unknown event type '{s}'; known types: {}.",
            known.join(", ")
        ))
    })
}
