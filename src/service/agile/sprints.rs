//! Sprints: create, read, update with Jira's state rules (future → active → closed),
//! delete, swap, and the issues in a sprint. Completing a sprint moves its unfinished
//! issues to the board's next future sprint, or to the backlog.

use super::*;

#[derive(Debug, Clone)]
pub struct SprintView {
    pub sprint: Sprint,
}

/// A sprint's fields as a request gives them; `None` is "not given" for a partial
/// update and "null" for a full one.
#[derive(Debug, Clone, Default)]
pub struct SprintInput {
    pub name: Option<String>,
    pub goal: Option<String>,
    pub state: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub origin_board_id: Option<i64>,
    pub complete_date: Option<String>,
}

pub const SPRINT_NOT_FOUND: &str =
    "The sprint does not exist or you do not have permission to view it.";

fn date(field: &str, raw: Option<&str>) -> Result<Option<Millis>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Millis::parse(s).map(Some).ok_or_else(|| {
            Error::field(
                field,
                format!(
                    "'{s}' is not a valid date: use ISO 8601, e.g. 2015-04-11T15:22:00.000+10:00."
                ),
            )
        }),
    }
}

impl Service {
    /// The sprint and its board when the caller may see the board.
    pub(super) async fn visible_sprint(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<(Sprint, BoardView)> {
        let sprint = self
            .store
            .read(move |db| q::sprint(db, id))
            .await?
            .ok_or_else(|| Error::not_found(SPRINT_NOT_FOUND))?;
        let board = self
            .board(caller, sprint.board_id)
            .await
            .map_err(|e| match e.kind {
                crate::error::Kind::NotFound => Error::not_found(SPRINT_NOT_FOUND),
                _ => e,
            })?;
        Ok((sprint, board))
    }

    /// Manage Sprints in the board's project (administrators of a board without one).
    pub(super) async fn require_manage_sprints(
        &self,
        caller: Option<&Caller>,
        board: &BoardView,
    ) -> Result<()> {
        let caller = require(caller)?;
        let ok = match &board.project {
            Some(p) => self
                .permissions
                .project_permissions(Some(caller), p)
                .await?
                .has(Permission::ManageSprints),
            None => self.is_board_admin(caller, board).await?,
        };
        if ok {
            Ok(())
        } else {
            Err(Error::forbidden(
                "You do not have permission to manage sprints: the Manage Sprints permission is required.",
            ))
        }
    }

    /// `GET sprint/{id}`.
    pub async fn sprint(&self, caller: Option<&Caller>, id: i64) -> Result<Sprint> {
        require(caller)?;
        Ok(self.visible_sprint(caller, id).await?.0)
    }

    /// `GET board/{id}/sprint`: the board's sprints in order, by state when asked.
    pub async fn board_sprints(
        &self,
        caller: Option<&Caller>,
        board: i64,
        states: Vec<String>,
        start: i64,
        max: i64,
    ) -> Result<crate::service::Page<Sprint>> {
        let view = self.board(caller, board).await?;
        if view.board.kind == BoardKind::Kanban {
            return Err(Error::bad_request("The board does not support sprints."));
        }
        let mut wanted = Vec::new();
        for s in &states {
            wanted.push(SprintState::parse(s).ok_or_else(|| {
                Error::bad_request(format!(
                    "'{s}' is not a sprint state: use future, active or closed."
                ))
            })?);
        }
        let all = self
            .store
            .read(move |db| q::sprints_of_board(db, board))
            .await?;
        let all = all
            .into_iter()
            .filter(|s| wanted.is_empty() || wanted.contains(&s.state))
            .collect();
        Ok(crate::service::Page::of(all, start, max))
    }

    /// `POST sprint`: a future sprint on a scrum board.
    pub async fn create_sprint(
        &self,
        caller: Option<&Caller>,
        input: SprintInput,
    ) -> Result<Sprint> {
        require(caller)?;
        let name = input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        if name.is_empty() {
            return Err(Error::field("name", "The sprint name is required."));
        }
        if name.chars().count() > 30 {
            return Err(Error::field(
                "name",
                "The sprint name must be at most 30 characters.",
            ));
        }
        let Some(board) = input.origin_board_id else {
            return Err(Error::field("originBoardId", "The board id is required."));
        };
        let view = self.board(caller, board).await?;
        if view.board.kind == BoardKind::Kanban {
            return Err(Error::bad_request("The board does not support sprints."));
        }
        self.require_manage_sprints(caller, &view).await?;
        let start_date = date("startDate", input.start_date.as_deref())?;
        let end_date = date("endDate", input.end_date.as_deref())?;
        check_dates(start_date, end_date)?;
        let sprint = Sprint {
            id: 0,
            board_id: board,
            name,
            goal: input.goal.unwrap_or_default(),
            state: SprintState::Future,
            start_date,
            end_date,
            complete_date: None,
            sequence: 0,
        };
        let id = self
            .store
            .write(move |tx| q::insert_sprint(tx, &sprint))
            .await?;
        self.sprint(caller, id).await
    }

    /// `PUT sprint/{id}` (`full`) and `POST sprint/{id}` (partial): name, goal, dates and
    /// the state change future → active (needs both dates) or active → closed.
    pub async fn update_sprint(
        &self,
        caller: Option<&Caller>,
        id: i64,
        input: SprintInput,
        full: bool,
    ) -> Result<Sprint> {
        let (old, view) = self.visible_sprint(caller, id).await?;
        self.require_manage_sprints(caller, &view).await?;
        if old.state == SprintState::Closed {
            return Err(Error::bad_request(
                "Sprints that are in a closed state cannot be updated.",
            ));
        }
        if input.complete_date.is_some() {
            return Err(Error::bad_request(
                "The completeDate field cannot be updated manually.",
            ));
        }
        let mut s = old.clone();
        // A full update clears what is missing, except the name and the dates: clients
        // (python `jira`'s update_sprint) PUT only what they change, and a sprint without
        // its name, or an active one without its dates, cannot exist.
        if input.name.is_some() {
            let name = input
                .name
                .as_deref()
                .map(str::trim)
                .unwrap_or_default()
                .to_string();
            if name.is_empty() {
                return Err(Error::field("name", "The sprint name is required."));
            }
            s.name = name;
        }
        if full || input.goal.is_some() {
            s.goal = input.goal.clone().unwrap_or_default();
        }
        if input.start_date.is_some() {
            s.start_date = date("startDate", input.start_date.as_deref())?;
        }
        if input.end_date.is_some() {
            s.end_date = date("endDate", input.end_date.as_deref())?;
        }
        check_dates(s.start_date, s.end_date)?;
        let state = match input.state.as_deref() {
            Some(raw) => SprintState::parse(raw).ok_or_else(|| {
                Error::field(
                    "state",
                    format!("'{raw}' is not a sprint state: use future, active or closed."),
                )
            })?,
            None => old.state,
        };
        match (old.state, state) {
            (a, b) if a == b => {}
            (SprintState::Future, SprintState::Active) => {
                if s.start_date.is_none() || s.end_date.is_none() {
                    return Err(Error::bad_request(
                        "A sprint can be started only when it has a startDate and an endDate.",
                    ));
                }
            }
            (SprintState::Active, SprintState::Closed) => {}
            (from, to) => {
                return Err(Error::bad_request(format!(
                    "A {} sprint cannot become {}: a sprint goes from future to active, and from active to closed.",
                    from.as_str(),
                    to.as_str()
                )));
            }
        }
        s.state = state;
        let who = caller.map(|c| c.user.id);
        let closing = old.state == SprintState::Active && state == SprintState::Closed;
        let (sprint_field, cat) = (self.field(CustomFieldKind::Sprint)?, self.catalog.current());
        self.store
            .write(move |tx| {
                if closing {
                    s.complete_date = Some(tx.now());
                    complete(tx, &cat, sprint_field, &s, who)?;
                }
                q::update_sprint(tx, &s)
            })
            .await?;
        self.sprint(caller, id).await
    }

    /// `DELETE sprint/{id}`: its open issues go back to the backlog.
    pub async fn delete_sprint(&self, caller: Option<&Caller>, id: i64) -> Result<()> {
        let (_, view) = self.visible_sprint(caller, id).await?;
        self.require_manage_sprints(caller, &view).await?;
        let sprint_field = self.field(CustomFieldKind::Sprint)?;
        let who = caller.map(|c| c.user.id);
        self.store
            .write(move |tx| {
                drop_sprint_from_issues(tx, sprint_field, id, who)?;
                q::delete_sprint(tx, id)
            })
            .await?;
        Ok(())
    }

    /// `POST sprint/{id}/swap`: the two sprints exchange places in the board's order.
    pub async fn swap_sprint(
        &self,
        caller: Option<&Caller>,
        id: i64,
        other: Option<i64>,
    ) -> Result<()> {
        let Some(other) = other else {
            return Err(Error::field(
                "sprintToSwapWith",
                "The sprint to swap with is required.",
            ));
        };
        let (a, view) = self.visible_sprint(caller, id).await?;
        let (b, _) = self.visible_sprint(caller, other).await?;
        self.require_manage_sprints(caller, &view).await?;
        if a.board_id != b.board_id {
            return Err(Error::bad_request(
                "Sprints of different boards cannot be swapped.",
            ));
        }
        self.store
            .write(move |tx| {
                let (mut a2, mut b2) = (a.clone(), b.clone());
                std::mem::swap(&mut a2.sequence, &mut b2.sequence);
                q::update_sprint(tx, &a2)?;
                q::update_sprint(tx, &b2)
            })
            .await?;
        Ok(())
    }

    /// `POST sprint/{id}/issue`: moves issues into an open sprint (out of any other open
    /// sprint), optionally ranking them. All or nothing: one bad issue refuses the batch.
    pub async fn move_to_sprint(
        &self,
        caller: Option<&Caller>,
        id: i64,
        keys: Vec<String>,
        rank: Option<RankRequest>,
    ) -> Result<()> {
        let (sprint, _) = self.visible_sprint(caller, id).await?;
        let caller = require(caller)?.clone();
        if keys.len() > 50 {
            return Err(Error::bad_request(
                "At most 50 issues may be moved at once.",
            ));
        }
        if sprint.state == SprintState::Closed {
            return Err(Error::bad_request(format!(
                "Issues can be moved only to open sprints; sprint '{}' is closed.",
                sprint.name
            )));
        }
        let (sprint_field, cat) = (self.field(CustomFieldKind::Sprint)?, self.catalog.current());
        let who = caller.clone();
        let moved = keys.clone();
        self.store
            .write(move |tx| {
                let mut errors = Vec::new();
                let mut issues = Vec::new();
                for key in &keys {
                    match writable_issue(tx, &cat, &who, key, Permission::EditIssues)? {
                        Ok(i) => issues.push(i),
                        Err(e) => errors.push(e),
                    }
                }
                all_or_error(errors)?;
                for mut issue in issues {
                    let kept = closed_only(tx, &sprint_ids(&issue, sprint_field))?;
                    let mut ids = kept;
                    ids.push(sprint.id);
                    write_sprints(tx, &mut issue, sprint_field, ids, Some(who.user.id))?;
                }
                Ok(())
            })
            .await?;
        if let Some(r) = rank {
            self.rank_issues(Some(&caller), RankRequest { issues: moved, ..r })
                .await?
                .into_result()?;
        }
        Ok(())
    }

    /// `POST backlog/issue`: the issues leave their open sprints.
    pub async fn move_to_backlog(&self, caller: Option<&Caller>, keys: Vec<String>) -> Result<()> {
        let caller = require(caller)?.clone();
        if keys.len() > 50 {
            return Err(Error::bad_request(
                "At most 50 issues may be moved at once.",
            ));
        }
        let (sprint_field, cat) = (self.field(CustomFieldKind::Sprint)?, self.catalog.current());
        self.store
            .write(move |tx| {
                let mut errors = Vec::new();
                let mut issues = Vec::new();
                for key in &keys {
                    match writable_issue(tx, &cat, &caller, key, Permission::EditIssues)? {
                        Ok(i) => issues.push(i),
                        Err(e) => errors.push(e),
                    }
                }
                all_or_error(errors)?;
                for mut issue in issues {
                    let ids = sprint_ids(&issue, sprint_field);
                    let kept = closed_only(tx, &ids)?;
                    if kept.len() != ids.len() {
                        write_sprints(tx, &mut issue, sprint_field, kept, Some(caller.user.id))?;
                    }
                }
                Ok(())
            })
            .await?;
        Ok(())
    }
}

fn check_dates(start: Option<Millis>, end: Option<Millis>) -> Result<()> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(Error::field(
            "endDate",
            "The sprint's end date must be after its start date.",
        )),
        _ => Ok(()),
    }
}

/// The closed sprints among `ids` (an issue keeps those when it changes sprint).
fn closed_only(db: &Db, ids: &[i64]) -> StoreResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(q::sprints_by_ids(db, ids)?
        .into_iter()
        .filter(|s| s.state == SprintState::Closed)
        .map(|s| s.id)
        .collect())
}

/// Completes `sprint`: issues not done move to the board's next future sprint, or to the
/// backlog; done issues keep the sprint, now closed.
fn complete(
    tx: &Tx,
    cat: &Catalog,
    field: i64,
    sprint: &Sprint,
    who: Option<UserId>,
) -> StoreResult<()> {
    let next = q::sprints_of_board(tx, sprint.board_id)?
        .into_iter()
        .find(|s| s.state == SprintState::Future && s.id != sprint.id);
    let done = cat
        .status_categories
        .iter()
        .find(|c| c.key == "done")
        .map(|c| c.id);
    for id in q::issues_with_option(tx, field, sprint.id)? {
        let Some(mut issue) = iq::by_id(tx, id)? else {
            continue;
        };
        let finished = cat
            .status(issue.status_id)
            .is_some_and(|s| Some(s.category_id) == done);
        if finished {
            continue;
        }
        if let Some(n) = &next {
            let mut ids = sprint_ids(&issue, field);
            if !ids.contains(&n.id) {
                ids.push(n.id);
                write_sprints(tx, &mut issue, field, ids, who)?;
            }
        }
    }
    Ok(())
}

/// Takes a sprint out of every issue's Sprint field (the sprint is going away).
pub(super) fn drop_sprint_from_issues(
    tx: &Tx,
    field: i64,
    sprint: i64,
    who: Option<UserId>,
) -> StoreResult<()> {
    for id in q::issues_with_option(tx, field, sprint)? {
        let Some(mut issue) = iq::by_id(tx, id)? else {
            continue;
        };
        let ids: Vec<i64> = sprint_ids(&issue, field)
            .into_iter()
            .filter(|s| *s != sprint)
            .collect();
        write_sprints(tx, &mut issue, field, ids, who)?;
    }
    Ok(())
}
