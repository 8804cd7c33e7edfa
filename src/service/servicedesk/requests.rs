//! Customer requests: raising, listing and reading them, and what happens on one
//! (comments, participants, status history, transitions, notifications, feedback).

use std::collections::HashSet;

use super::{DeskView, Service, desk_missing};
use crate::domain::change::{By, IssueChange, NamedRef, Op, UserSel, Value};
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::error::{Error, Kind, Result};
use crate::service::comments::CommentInput;
use crate::service::issues::{IssueView, ViewNeeds};
use crate::service::users::UserRef;
use crate::service::{Caller, Page};
use crate::store::queries::{projects as pq, servicedesk as q};

/// The visibility an internal comment carries (shown to everyone but customers; see
/// `permissions::can_see_visibility`). JSM keeps the flag in the `sd.public.comment`
/// property; Tessera keeps it as the comment's visibility.
pub const INTERNAL: &str = "internal";

pub fn internal_visibility() -> Visibility {
    Visibility {
        kind: INTERNAL.into(),
        value: "sd.public.comment".into(),
    }
}

/// Whether a comment is public (shown to the request's customers).
pub fn is_public(c: &Comment) -> bool {
    c.visibility.is_none()
}

/// `POST request`.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub service_desk_id: Option<String>,
    pub request_type_id: Option<String>,
    /// `requestFieldValues`, parsed as Jira's `fields`.
    pub change: IssueChange,
    pub raise_on_behalf_of: Option<String>,
    pub participants: Vec<String>,
    /// The request type's `approvers` field, by account id or username.
    pub approvers: Vec<String>,
    /// `organizations`: ids of the desk's organizations to share the request with.
    pub organizations: Vec<String>,
    pub channel: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOwnership {
    Owned,
    Participated,
    Organization,
    AllOrganizations,
    Approver,
    All,
}

impl RequestOwnership {
    pub fn parse(raw: &str) -> Option<RequestOwnership> {
        Some(match raw {
            "OWNED_REQUESTS" => RequestOwnership::Owned,
            "PARTICIPATED_REQUESTS" => RequestOwnership::Participated,
            "ORGANIZATION" => RequestOwnership::Organization,
            "ALL_ORGANIZATIONS" => RequestOwnership::AllOrganizations,
            "APPROVER" => RequestOwnership::Approver,
            "ALL_REQUESTS" => RequestOwnership::All,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatusFilter {
    Open,
    Closed,
    All,
}

/// `GET request`'s filters.
#[derive(Debug, Clone)]
pub struct RequestFilter {
    pub search_term: Option<String>,
    /// Empty: owned, participated and all organizations (JSM's default).
    pub ownership: Vec<RequestOwnership>,
    pub status: RequestStatusFilter,
    pub organization_id: Option<i64>,
    /// With `APPROVER`: `Some(true)` only those waiting for the caller's decision,
    /// `Some(false)` only those they decided.
    pub approval_pending: Option<bool>,
    pub service_desk_id: Option<i64>,
    pub request_type_id: Option<i64>,
}

/// A request as one caller may see it.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub view: IssueView,
    pub request: Request,
    pub desk: ServiceDesk,
    pub request_type: Option<RequestType>,
    pub fields: Vec<RequestTypeField>,
    pub participants: Vec<User>,
    pub reporter: Option<User>,
    /// The caller works on the request (not a customer of its desk).
    pub agent: bool,
}

/// One page of a request's comments, with their authors.
pub struct CommentPage {
    pub request: RequestView,
    pub page: Page<Comment>,
}

/// One entry of a request's status history, newest first.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub status_id: i64,
    pub at: Millis,
}

fn request_missing() -> Error {
    Error::not_found("Request does not exist or you do not have permission to see it.")
}

fn not_agent() -> Error {
    Error::forbidden("You do not have permission to perform this operation on this request.")
}

impl Service {
    /// A request the caller may see, with everything a render needs.
    pub async fn request(&self, caller: &Caller, r: &IssueRef) -> Result<RequestView> {
        let view = self.issues.view_issue(Some(caller), r).await.map_err(|e| {
            if e.kind == Kind::NotFound {
                request_missing()
            } else {
                e
            }
        })?;
        self.request_of(caller, view).await
    }

    async fn request_of(&self, caller: &Caller, view: IssueView) -> Result<RequestView> {
        let id = view.issue.id;
        let project = view.project.clone();
        let c = caller.clone();
        let loaded = self
            .store
            .read(move |db| {
                let Some(request) = q::request(db, id)? else {
                    return Ok(None);
                };
                let Some(desk) = q::desk(db, request.desk_id)? else {
                    return Ok(None);
                };
                let rt = q::request_type(db, request.request_type_id)?;
                let fields = match &rt {
                    Some(rt) => q::request_type_fields(db, rt.id)?,
                    None => Vec::new(),
                };
                let participants = q::participants(db, id)?;
                let customer = crate::service::levels::customer_only_in(db, Some(&c), &project)?;
                Ok(Some((request, desk, rt, fields, participants, customer)))
            })
            .await?;
        let (request, desk, request_type, fields, participants, customer) =
            loaded.ok_or_else(request_missing)?;
        let participants = self.users_by_ids(participants).await?;
        let reporter = view
            .issue
            .reporter_id
            .and_then(|id| view.users.get(&id).cloned());
        Ok(RequestView {
            view,
            request,
            desk,
            request_type,
            fields,
            participants,
            reporter,
            agent: !customer,
        })
    }

    /// `POST request`: raises a request of a desk's request type.
    pub async fn create_request(&self, caller: &Caller, input: NewRequest) -> Result<RequestView> {
        let desk_id = input
            .service_desk_id
            .clone()
            .ok_or_else(|| Error::field("serviceDeskId", "The service desk id is required."))?;
        let rt_id = input
            .request_type_id
            .clone()
            .ok_or_else(|| Error::field("requestTypeId", "The request type id is required."))?;
        let desk = self.desk(caller, &desk_id).await?;
        let (_, rt) = self
            .request_type(caller, &desk_id, &rt_id)
            .await
            .map_err(|e| {
                if e.kind == Kind::NotFound {
                    Error::field(
                        "requestTypeId",
                        format!("The request type '{rt_id}' does not exist in this service desk."),
                    )
                } else {
                    e
                }
            })?;
        if !desk.agent && input.raise_on_behalf_of.is_some() {
            return Err(Error::bad_request(
                "raiseOnBehalfOf is not available to users who are customers only.",
            ));
        }
        if !desk.agent && !input.participants.is_empty() {
            return Err(Error::bad_request(
                "requestParticipants is not available to users who are customers only.",
            ));
        }
        let mut change = input.change;
        let mut errors = std::collections::BTreeMap::new();
        for e in &change.edits {
            if !rt.fields.iter().any(|f| f.field_id == e.key) {
                errors.insert(
                    e.key.clone(),
                    format!(
                        "The field '{}' is not on the request type '{}'.",
                        e.key, rt.request_type.name
                    ),
                );
            }
        }
        if !input.approvers.is_empty() && !rt.fields.iter().any(|f| f.field_id == APPROVERS_FIELD) {
            errors.insert(
                APPROVERS_FIELD.into(),
                format!(
                    "The request type '{}' takes no approvers.",
                    rt.request_type.name
                ),
            );
        }
        for f in rt.fields.iter().filter(|f| f.required) {
            let given = change.names(&f.field_id)
                || (f.field_id == APPROVERS_FIELD && !input.approvers.is_empty());
            if !given {
                errors.insert(
                    f.field_id.clone(),
                    format!("{}: You must specify a value for this field.", f.label),
                );
            }
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let on_behalf = match &input.raise_on_behalf_of {
            Some(who) => Some(self.user_named(who, "raiseOnBehalfOf").await?),
            None => None,
        };
        let mut participants = Vec::new();
        for p in &input.participants {
            participants.push(self.user_named(p, "requestParticipants").await?);
        }
        let orgs = self
            .organizations_to_share(caller, &desk, &input.organizations)
            .await?;
        let mut approvers = Vec::new();
        for a in &input.approvers {
            approvers.push(self.user_named(a, APPROVERS_FIELD).await?);
        }
        change.project = Some(ProjectRef::Id(desk.project.id.0));
        let it = rt.request_type.issue_type_id;
        change.push(
            "issuetype",
            Op::Set(Value::IssueType(NamedRef {
                by: By::Id(it),
                text: it.to_string(),
            })),
        );
        if let Some(u) = &on_behalf {
            change.push(
                "reporter",
                Op::Set(Value::Reporter(UserSel::Key(u.account_id.clone()))),
            );
        }
        let issue = self.issues.create_issue(caller, change).await?;
        let request = Request {
            issue_id: issue.id,
            desk_id: desk.desk.id,
            request_type_id: rt.request_type.id,
            channel: input.channel.unwrap_or_else(|| "api".into()),
        };
        let project = desk.project.id;
        let people: Vec<User> = on_behalf
            .iter()
            .chain(participants.iter())
            .cloned()
            .collect();
        let ids: Vec<UserId> = participants.iter().map(|u| u.id).collect();
        self.store
            .write(move |db| {
                q::insert_request(db, &request)?;
                for id in ids {
                    q::add_participant(db, request.issue_id, id)?;
                }
                for org in orgs {
                    q::share_with_org(db, request.issue_id, org)?;
                }
                // Whoever a request is raised for or shared with becomes a customer.
                make_customers(db, project, &people)?;
                Ok(())
            })
            .await?;
        if !approvers.is_empty() {
            self.open_approval(issue.id, project, approvers).await?;
        }
        self.request(caller, &IssueRef::Id(issue.id.0)).await
    }

    /// A user named by account id or username; a field error naming `field` otherwise.
    pub(super) async fn user_named(&self, who: &str, field: &str) -> Result<User> {
        self.users
            .user_by_ref(&UserRef::Username(who.to_string()))
            .await?
            .ok_or_else(|| Error::field(field, format!("The user '{who}' does not exist.")))
    }

    /// `GET request`: the requests the caller may see, filtered as asked.
    pub async fn requests(
        &self,
        caller: &Caller,
        filter: RequestFilter,
        start: i64,
        limit: i64,
    ) -> Result<Page<RequestView>> {
        if filter.organization_id.is_some()
            && !filter.ownership.contains(&RequestOwnership::Organization)
        {
            return Err(Error::bad_request(
                "organizationId is only valid with requestOwnership=ORGANIZATION.",
            ));
        }
        if let Some(d) = filter.service_desk_id {
            self.desk(caller, &d.to_string()).await?;
        }
        let ownership = if filter.ownership.is_empty() {
            vec![
                RequestOwnership::Owned,
                RequestOwnership::Participated,
                RequestOwnership::AllOrganizations,
            ]
        } else {
            filter.ownership.clone()
        };
        let me = caller.user.id;
        let (desk, rt, org) = (
            filter.service_desk_id,
            filter.request_type_id,
            filter.organization_id,
        );
        let pending = filter.approval_pending;
        let (ids, participated, all_orgs, one_org, approving) = self
            .store
            .read(move |db| {
                let approving: HashSet<i64> = q::approver_of(db, me)?
                    .into_iter()
                    .filter(|(_, waiting)| pending.is_none_or(|p| p == *waiting))
                    .map(|(id, _)| id)
                    .collect();
                let ids = q::request_ids(db, desk, rt)?;
                let participated: HashSet<i64> = q::participated(db, me)?.into_iter().collect();
                let all_orgs: HashSet<i64> =
                    q::shared_with_orgs_of(db, me, None)?.into_iter().collect();
                let one_org: HashSet<i64> = match org {
                    Some(o) => q::shared_with_orgs_of(db, me, Some(o))?
                        .into_iter()
                        .collect(),
                    None => HashSet::new(),
                };
                Ok((ids, participated, all_orgs, one_org, approving))
            })
            .await?;
        let views = self
            .issues
            .view_issues_with(Some(caller), ids, ViewNeeds::NONE)
            .await?;
        let catalog = self.catalog.current();
        let term = filter
            .search_term
            .as_deref()
            .map(|t| t.replace('*', "").trim().to_lowercase())
            .filter(|t| !t.is_empty());
        let matching: Vec<IssueId> = views
            .into_iter()
            .filter(|v| {
                let id = v.issue.id.0;
                ownership.iter().any(|o| match o {
                    RequestOwnership::Owned => v.issue.reporter_id == Some(me),
                    RequestOwnership::Participated => participated.contains(&id),
                    RequestOwnership::Organization => one_org.contains(&id),
                    RequestOwnership::AllOrganizations => all_orgs.contains(&id),
                    RequestOwnership::Approver => approving.contains(&id),
                    RequestOwnership::All => true,
                })
            })
            .filter(|v| match filter.status {
                RequestStatusFilter::All => true,
                RequestStatusFilter::Closed => catalog.is_done(v.issue.status_id),
                RequestStatusFilter::Open => !catalog.is_done(v.issue.status_id),
            })
            .filter(|v| {
                term.as_ref()
                    .is_none_or(|t| v.issue.summary.to_lowercase().contains(t))
            })
            .map(|v| v.issue.id)
            .collect();
        let page = Page::of(matching, start, limit);
        let mut items = Vec::with_capacity(page.items.len());
        for id in &page.items {
            items.push(self.request(caller, &IssueRef::Id(id.0)).await?);
        }
        Ok(Page {
            start_at: page.start_at,
            max_results: page.max_results,
            total: page.total,
            items,
        })
    }

    /// A request's comments the caller may see (internal ones never reach customers),
    /// optionally only the public or only the internal ones.
    pub async fn comments(
        &self,
        caller: &Caller,
        r: &IssueRef,
        public: bool,
        internal: bool,
        start: i64,
        limit: i64,
    ) -> Result<CommentPage> {
        let request = self.request(caller, r).await?;
        let list: Vec<Comment> = request
            .view
            .comments
            .iter()
            .filter(|c| if is_public(c) { public } else { internal })
            .cloned()
            .collect();
        Ok(CommentPage {
            page: Page::of(list, start, limit),
            request,
        })
    }

    pub async fn comment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
    ) -> Result<(RequestView, Comment)> {
        let request = self.request(caller, r).await?;
        let found = id
            .parse::<i64>()
            .ok()
            .and_then(|id| request.view.comments.iter().find(|c| c.id == id).cloned())
            .ok_or_else(|| Error::not_found(format!("The comment '{id}' does not exist.")))?;
        Ok((request, found))
    }

    /// Adds a public comment, or (agents only) an internal one.
    pub async fn add_comment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        body: String,
        public: bool,
    ) -> Result<(RequestView, Comment)> {
        let request = self.request(caller, r).await?;
        if !public && !request.agent {
            return Err(Error::forbidden(
                "Customers cannot add internal comments: set public to true.",
            ));
        }
        let key = IssueRef::Id(request.view.issue.id.0);
        let (_, comment) = self
            .comments
            .add_comment(
                caller,
                &key,
                CommentInput {
                    body,
                    visibility: (!public).then(internal_visibility),
                },
            )
            .await?;
        let request = self.request(caller, &key).await?;
        Ok((request, comment))
    }

    /// The users who may change the participants: agents, the reporter and the
    /// participants themselves.
    fn may_share(&self, caller: &Caller, r: &RequestView) -> bool {
        r.agent
            || r.view.issue.reporter_id == Some(caller.user.id)
            || r.participants.iter().any(|p| p.id == caller.user.id)
    }

    /// Adds (`add`) or removes participants, by account id or username.
    pub async fn change_participants(
        &self,
        caller: &Caller,
        r: &IssueRef,
        who: Vec<String>,
        add: bool,
    ) -> Result<RequestView> {
        let request = self.request(caller, r).await?;
        if !self.may_share(caller, &request) {
            return Err(not_agent());
        }
        let mut users = Vec::new();
        for w in &who {
            users.push(self.user_named(w, "accountIds").await?);
        }
        let issue = request.view.issue.id;
        let project = request.view.project.id;
        self.store
            .write(move |db| {
                for u in &users {
                    if add {
                        q::add_participant(db, issue, u.id)?;
                    } else {
                        q::remove_participant(db, issue, u.id)?;
                    }
                }
                if add {
                    make_customers(db, project, &users)?;
                }
                Ok(())
            })
            .await?;
        self.request(caller, r).await
    }

    /// The request's statuses, newest first, each with when it was entered.
    pub async fn status_history(
        &self,
        caller: &Caller,
        r: &IssueRef,
    ) -> Result<(RequestView, Vec<StatusChange>)> {
        let request = self.request(caller, r).await?;
        let key = IssueRef::Id(request.view.issue.id.0);
        let (_, page, _) = self.issues.changelog(caller, &key, 0, 10_000).await?;
        let mut changes = Vec::new();
        let mut first: Option<i64> = None;
        for g in &page.items {
            for item in g.items.iter().filter(|i| i.field == "status") {
                if first.is_none() {
                    first = item.from.as_deref().and_then(|s| s.parse().ok());
                }
                if let Some(to) = item.to.as_deref().and_then(|s| s.parse().ok()) {
                    changes.push(StatusChange {
                        status_id: to,
                        at: g.created,
                    });
                }
            }
        }
        changes.insert(
            0,
            StatusChange {
                status_id: first.unwrap_or(request.view.issue.status_id),
                at: request.view.issue.created,
            },
        );
        changes.reverse();
        Ok((request, changes))
    }

    /// The transitions the caller may take on the request (agents; customers get none:
    /// no customer transitions are configured).
    pub async fn transitions(
        &self,
        caller: &Caller,
        r: &IssueRef,
    ) -> Result<(RequestView, Vec<Transition>)> {
        let request = self.request(caller, r).await?;
        let list = if request.agent {
            request.view.transitions.clone()
        } else {
            Vec::new()
        };
        Ok((request, list))
    }

    pub async fn transition(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
        comment: Option<String>,
    ) -> Result<()> {
        let (request, list) = self.transitions(caller, r).await?;
        if !list.iter().any(|t| t.id.to_string() == id) {
            return Err(Error::bad_request(format!(
                "The transition '{id}' is not available on this request."
            )));
        }
        let mut change = IssueChange::default();
        if let Some(body) = comment.filter(|b| !b.trim().is_empty()) {
            change.push("comment", Op::Comment(body));
        }
        self.issues
            .do_transition(caller, &IssueRef::Id(request.view.issue.id.0), id, change)
            .await
    }

    /// Whether the caller gets the request's notifications: their own choice, else
    /// yes for the reporter and the participants.
    pub async fn subscription(&self, caller: &Caller, r: &IssueRef) -> Result<bool> {
        let request = self.request(caller, r).await?;
        let (issue, me) = (request.view.issue.id, caller.user.id);
        let choice = self
            .store
            .read(move |db| q::subscription(db, issue, me))
            .await?;
        Ok(choice.unwrap_or_else(|| {
            request.view.issue.reporter_id == Some(me)
                || request.participants.iter().any(|p| p.id == me)
        }))
    }

    pub async fn set_subscription(&self, caller: &Caller, r: &IssueRef, on: bool) -> Result<()> {
        let request = self.request(caller, r).await?;
        let (issue, me) = (request.view.issue.id, caller.user.id);
        self.store
            .write(move |db| q::set_subscription(db, issue, me, on))
            .await?;
        Ok(())
    }

    /// The request's feedback (404 when none was given).
    pub async fn feedback(&self, caller: &Caller, r: &IssueRef) -> Result<Feedback> {
        let request = self.request(caller, r).await?;
        let issue = request.view.issue.id;
        self.store
            .read(move |db| q::feedback(db, issue))
            .await?
            .ok_or_else(|| Error::not_found("No feedback has been given on this request."))
    }

    /// Rates a resolved request, once: the reporter only.
    pub async fn give_feedback(
        &self,
        caller: &Caller,
        r: &IssueRef,
        rating: i64,
        comment: Option<String>,
    ) -> Result<Feedback> {
        let request = self.request(caller, r).await?;
        if request.view.issue.reporter_id != Some(caller.user.id) {
            return Err(Error::forbidden(
                "Only the reporter of the request may give feedback on it.",
            ));
        }
        if !(1..=5).contains(&rating) {
            return Err(Error::field(
                "rating",
                "The rating must be between 1 and 5.",
            ));
        }
        if request.view.issue.resolution_date.is_none() {
            return Err(Error::bad_request(
                "Feedback can be given once the request is resolved.",
            ));
        }
        let f = Feedback {
            issue_id: request.view.issue.id,
            user_id: Some(caller.user.id),
            rating,
            comment: comment.filter(|c| !c.trim().is_empty()),
            created: self.store.now(),
        };
        let stored = f.clone();
        self.store
            .write(move |db| {
                if q::feedback(db, stored.issue_id)?.is_some() {
                    return Err(Error::conflict(
                        "Feedback has already been given on this request.",
                    )
                    .into());
                }
                q::set_feedback(db, &stored)
            })
            .await?;
        Ok(f)
    }

    pub async fn delete_feedback(&self, caller: &Caller, r: &IssueRef) -> Result<()> {
        let request = self.request(caller, r).await?;
        if request.view.issue.reporter_id != Some(caller.user.id) && !request.agent {
            return Err(not_agent());
        }
        let issue = request.view.issue.id;
        let gone = self
            .store
            .write(move |db| q::delete_feedback(db, issue))
            .await?;
        if !gone {
            return Err(Error::not_found(
                "No feedback has been given on this request.",
            ));
        }
        Ok(())
    }

    /// The desk of a request, for a caller who sees the request.
    pub async fn desk_of(&self, caller: &Caller, r: &RequestView) -> Result<DeskView> {
        self.desk(caller, &r.desk.id.to_string())
            .await
            .map_err(|_| desk_missing(r.desk.id))
    }
}

/// Puts users in the project's customer role (no-op for those already in it).
pub(super) fn make_customers(
    db: &crate::store::Tx,
    project: ProjectId,
    users: &[User],
) -> crate::store::StoreResult<()> {
    let Some(role) = q::role(db, "customer")? else {
        return Ok(());
    };
    for u in users {
        pq::add_role_actor(db, project, role, "user", &u.username)?;
    }
    Ok(())
}
