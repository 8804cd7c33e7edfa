//! Approvals: a request raised with approvers (the request type's `approvers` field)
//! waits for them; the first decision completes the approval and moves the request
//! along the workflow — approved into work (the first transition to an "In Progress"
//! status), declined to done — acting as the project's lead, who works the desk.

use super::Service;
use super::requests::RequestView;
use crate::domain::change::IssueChange;
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::Caller;
use crate::store::queries::{servicedesk as q, users as uq};

fn approval_missing(id: impl std::fmt::Display) -> Error {
    Error::not_found(format!(
        "The approval with id '{id}' does not exist on this request."
    ))
}

impl Service {
    /// Opens the request's approval for `approvers` (who become customers of the desk).
    pub(super) async fn open_approval(
        &self,
        issue: IssueId,
        project: ProjectId,
        approvers: Vec<User>,
    ) -> Result<()> {
        let ids: Vec<UserId> = approvers.iter().map(|u| u.id).collect();
        self.store
            .write(move |db| {
                q::insert_approval(db, issue, "Approval", &ids)?;
                super::requests::make_customers(db, project, &approvers)
            })
            .await?;
        Ok(())
    }

    pub async fn approvals(
        &self,
        caller: &Caller,
        r: &IssueRef,
    ) -> Result<(RequestView, Vec<Approval>)> {
        let request = self.request(caller, r).await?;
        let issue = request.view.issue.id;
        let list = self.store.read(move |db| q::approvals(db, issue)).await?;
        Ok((request, list))
    }

    pub async fn approval(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
    ) -> Result<(RequestView, Approval)> {
        let (request, list) = self.approvals(caller, r).await?;
        let found = list
            .into_iter()
            .find(|a| a.id.to_string() == id)
            .ok_or_else(|| approval_missing(id))?;
        Ok((request, found))
    }

    /// Records the caller's decision; the first one completes the approval and moves
    /// the request on.
    pub async fn answer_approval(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
        decision: Decision,
    ) -> Result<(RequestView, Approval)> {
        let (request, approval) = self.approval(caller, r, id).await?;
        if approval.decision.is_some() {
            return Err(Error::conflict("This approval has already been decided."));
        }
        if !approval.approvers.iter().any(|(u, _)| *u == caller.user.id) {
            return Err(Error::forbidden("You are not an approver of this request."));
        }
        let (aid, me) = (approval.id, caller.user.id);
        self.store
            .write(move |db| q::decide(db, aid, me, decision))
            .await?;
        self.move_on(&request, decision).await?;
        self.approval(caller, r, id).await
    }

    /// Takes the workflow's transition the decision calls for, as the project lead.
    async fn move_on(&self, request: &RequestView, decision: Decision) -> Result<()> {
        let catalog = self.catalog.current();
        let project = &request.view.project;
        let wanted = match decision {
            Decision::Approved => "indeterminate",
            Decision::Declined => "done",
        };
        let Some(t) = catalog
            .transitions_from(project.workflow_id, request.view.issue.status_id)
            .into_iter()
            .find(|t| {
                catalog
                    .category_of_status(t.to_status)
                    .is_some_and(|c| c.key == wanted)
            })
            .cloned()
        else {
            return Ok(());
        };
        let lead = project.lead_id;
        let found = self
            .store
            .read(move |db| {
                let Some(user) = uq::by_id(db, lead)? else {
                    return Ok(None);
                };
                let groups = uq::groups_of(db, lead)?;
                Ok(Some((user, groups)))
            })
            .await?;
        let Some((user, groups)) = found.filter(|(u, _)| u.active) else {
            return Ok(());
        };
        let lead = Caller {
            user,
            groups,
            grants: crate::auth::scopes::Grants::Full,
            client: None,
        };
        self.issues
            .do_transition(
                &lead,
                &IssueRef::Id(request.view.issue.id.0),
                &t.id.to_string(),
                IssueChange::default(),
            )
            .await
    }
}
