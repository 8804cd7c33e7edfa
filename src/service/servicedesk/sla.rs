//! SLAs: each goal of the request's desk as one cycle, started when the request was
//! raised and stopped by the goal's event (the first public answer by someone other than
//! the reporter; the resolution), measured in wall-clock time against the store's
//! clock (business-hours calendars are not modelled).

use super::Service;
use super::requests::{RequestView, is_public};
use crate::domain::servicedesk::*;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::Caller;
use crate::store::queries::servicedesk as q;

#[derive(Debug, Clone)]
pub struct SlaCycle {
    pub start: Millis,
    /// `None` while the cycle runs.
    pub stop: Option<Millis>,
    pub breach_time: Millis,
    pub breached: bool,
    pub goal_millis: i64,
    pub elapsed_millis: i64,
    pub remaining_millis: i64,
}

#[derive(Debug, Clone)]
pub struct SlaMetric {
    pub goal: SlaGoal,
    pub completed: Vec<SlaCycle>,
    pub ongoing: Option<SlaCycle>,
}

/// When `event` happened on the request, if it has.
fn happened(r: &RequestView, event: SlaEvent) -> Option<Millis> {
    let issue = &r.view.issue;
    match event {
        SlaEvent::Created => Some(issue.created),
        SlaEvent::Resolved => issue.resolution_date,
        SlaEvent::FirstAgentComment => r
            .view
            .comments
            .iter()
            .filter(|c| is_public(c) && c.author_id.is_some() && c.author_id != issue.reporter_id)
            .map(|c| c.created)
            .min(),
    }
}

/// The goal's cycle on the request at `now`.
pub fn metric(r: &RequestView, goal: SlaGoal, now: Millis) -> SlaMetric {
    let Some(start) = happened(r, goal.start_on) else {
        return SlaMetric {
            goal,
            completed: Vec::new(),
            ongoing: None,
        };
    };
    let stop = happened(r, goal.stop_on).filter(|s| s.0 >= start.0);
    let end = stop.unwrap_or(now);
    let elapsed = (end.0 - start.0).max(0);
    let cycle = SlaCycle {
        start,
        stop,
        breach_time: Millis(start.0 + goal.goal_millis),
        breached: elapsed > goal.goal_millis,
        goal_millis: goal.goal_millis,
        elapsed_millis: elapsed,
        remaining_millis: goal.goal_millis - elapsed,
    };
    match stop {
        Some(_) => SlaMetric {
            goal,
            completed: vec![cycle],
            ongoing: None,
        },
        None => SlaMetric {
            goal,
            completed: Vec::new(),
            ongoing: Some(cycle),
        },
    }
}

impl Service {
    /// Every SLA of the request. Agents only: customers do not see SLAs.
    pub async fn slas(
        &self,
        caller: &Caller,
        r: &IssueRef,
    ) -> Result<(RequestView, Vec<SlaMetric>)> {
        let request = self.request(caller, r).await?;
        if !request.agent {
            return Err(Error::forbidden(
                "You do not have permission to view the SLAs of this request.",
            ));
        }
        let desk = request.desk.id;
        let goals = self.store.read(move |db| q::sla_goals(db, desk)).await?;
        let now = self.store.now();
        let metrics = goals
            .into_iter()
            .map(|g| metric(&request, g, now))
            .collect();
        Ok((request, metrics))
    }

    pub async fn sla(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: &str,
    ) -> Result<(RequestView, SlaMetric)> {
        let (request, metrics) = self.slas(caller, r).await?;
        let found = metrics
            .into_iter()
            .find(|m| m.goal.id.to_string() == id)
            .ok_or_else(|| Error::not_found(format!("The SLA metric '{id}' does not exist.")))?;
        Ok((request, found))
    }
}
