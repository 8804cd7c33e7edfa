//! Boards: listing, creation over a filter, the board a software project gets, the
//! configuration, and the issue listings of a board (all, backlog, sprint, epic).

use super::*;
use crate::jql::lookup::Validation;
use crate::service::Page;
use crate::service::issues::ViewNeeds;
use crate::service::search::jql::SearchPage;
use crate::store::queries::filters as fq;

#[derive(Debug, Clone)]
pub struct BoardView {
    pub board: Board,
    /// The board's location.
    pub project: Option<Project>,
    /// The filter's JQL (the caller may see the filter, or the board's project).
    pub jql: String,
}

#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub project: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NewBoard {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub filter_id: Option<i64>,
    pub location_type: Option<String>,
    pub project: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BoardConfig {
    pub view: BoardView,
    /// Column name and its statuses, in board order.
    pub columns: Vec<(String, Vec<Status>)>,
    pub estimation: Option<CustomField>,
    pub rank: Option<CustomField>,
}

/// Which issues of a board a listing shows.
#[derive(Debug, Clone)]
pub enum Listing {
    All,
    /// Not in an open sprint and not done (scrum); not done (kanban).
    Backlog,
    Sprint(i64),
    /// Under an epic (by id or key).
    Epic(String),
    NoEpic,
    Epics,
}

impl Service {
    /// `GET board`: the boards the caller may see, filtered, in id order.
    pub async fn boards(
        &self,
        caller: Option<&Caller>,
        query: BoardQuery,
        start: i64,
        max: i64,
    ) -> Result<Page<BoardView>> {
        let caller = require(caller)?;
        let kind = match query.kind.as_deref() {
            None | Some("") => None,
            Some(k) => Some(BoardKind::parse(k).ok_or_else(|| {
                Error::bad_request(format!(
                    "Board type '{k}' is not valid: use scrum or kanban."
                ))
            })?),
        };
        self.ensure_project_boards().await?;
        let project = match query.project.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => {
                let r = ProjectRef::parse(p);
                match self.store.read(move |db| pq::by_ref(db, &r)).await? {
                    Some(p) => Some(p.id),
                    None => {
                        return Err(Error::bad_request(format!(
                            "No project could be found with key or id '{p}'."
                        )));
                    }
                }
            }
        };
        let all = self.store.read(q::boards).await?;
        let mut out = Vec::new();
        for b in all {
            if kind.is_some_and(|k| k != b.kind)
                || project.is_some_and(|p| b.project_id != Some(p))
                || query
                    .name
                    .as_deref()
                    .is_some_and(|n| !b.name.to_lowercase().contains(&n.to_lowercase()))
            {
                continue;
            }
            if let Some(v) = self.visible(caller, b).await? {
                out.push(v);
            }
        }
        Ok(Page::of(out, start, max))
    }

    /// The board when the caller may see it: its filter is visible to them, or they may
    /// browse its project.
    async fn visible(&self, caller: &Caller, b: Board) -> Result<Option<BoardView>> {
        let project = match b.project_id {
            Some(p) => self.store.read(move |db| pq::by_id(db, p)).await?,
            None => None,
        };
        let filter = self.filters.filter(Some(caller), b.filter_id, false).await;
        let jql = match filter {
            Ok(f) => f.filter.jql,
            Err(_) => {
                let browses = match &project {
                    Some(p) => self
                        .permissions
                        .project_permissions(Some(caller), p)
                        .await?
                        .has(Permission::BrowseProjects),
                    None => false,
                };
                if !browses {
                    return Ok(None);
                }
                let fid = b.filter_id;
                match self.store.read(move |db| fq::by_id(db, fid)).await? {
                    Some(f) => f.jql,
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(BoardView {
            board: b,
            project,
            jql,
        }))
    }

    /// `GET board/{id}`: 404 for a board the caller may not see.
    pub async fn board(&self, caller: Option<&Caller>, id: i64) -> Result<BoardView> {
        let caller = require(caller)?;
        self.ensure_project_boards().await?;
        let b = self
            .store
            .read(move |db| q::board(db, id))
            .await?
            .ok_or_else(|| Error::not_found(BOARD_NOT_FOUND))?;
        self.visible(caller, b)
            .await?
            .ok_or_else(|| Error::not_found(BOARD_NOT_FOUND))
    }

    /// Whether the caller administers the board: its owner, a Jira administrator, or an
    /// administrator of its project.
    pub(super) async fn is_board_admin(&self, caller: &Caller, v: &BoardView) -> Result<bool> {
        if v.board.owner_id == Some(caller.user.id) || self.permissions.is_admin(caller) {
            return Ok(true);
        }
        Ok(match &v.project {
            Some(p) => self
                .permissions
                .project_permissions(Some(caller), p)
                .await?
                .has(Permission::AdministerProjects),
            None => false,
        })
    }

    async fn board_admin(&self, caller: Option<&Caller>, id: i64) -> Result<BoardView> {
        let v = self.board(caller, id).await?;
        if !self.is_board_admin(require(caller)?, &v).await? {
            return Err(Error::forbidden(
                "You do not have permission to administer this board.",
            ));
        }
        Ok(v)
    }

    /// `POST board`: a scrum or kanban board over a filter the caller may see.
    pub async fn create_board(
        &self,
        caller: Option<&Caller>,
        input: NewBoard,
    ) -> Result<BoardView> {
        let caller = require(caller)?;
        let name = input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        let mut errors = std::collections::BTreeMap::new();
        if name.is_empty() {
            errors.insert("name".to_string(), "Board name is required.".to_string());
        } else if name.chars().count() > 255 {
            errors.insert(
                "name".to_string(),
                "Board name must be less than 255 characters.".to_string(),
            );
        }
        let kind = input.kind.as_deref().and_then(BoardKind::parse);
        if kind.is_none() {
            errors.insert(
                "type".to_string(),
                "Board type is required: scrum or kanban.".to_string(),
            );
        }
        if input.filter_id.is_none() {
            errors.insert("filterId".to_string(), "Filter id is required.".to_string());
        }
        if let Some(e) = Error::from_fields(errors) {
            return Err(e);
        }
        let filter_id = input.filter_id.unwrap_or_default();
        self.filters
            .filter(Some(caller), filter_id, false)
            .await
            .map_err(|_| Error::bad_request(format!("Filter with id '{filter_id}' does not exist or you do not have permission to view it.")))?;
        let project = match (input.location_type.as_deref(), input.project.as_deref()) {
            (Some("project"), Some(p)) => {
                let r = ProjectRef::parse(p);
                let p = self.store.read(move |db| pq::by_ref(db, &r)).await?;
                match p {
                    Some(p)
                        if self
                            .permissions
                            .project_permissions(Some(caller), &p)
                            .await?
                            .has(Permission::BrowseProjects) =>
                    {
                        Some(p.id)
                    }
                    _ => {
                        return Err(Error::bad_request(
                            "The board's location must be a project you may browse.",
                        ));
                    }
                }
            }
            (Some("project"), None) => {
                return Err(Error::bad_request(
                    "A project location needs projectKeyOrId.",
                ));
            }
            _ => None,
        };
        let board = Board {
            id: 0,
            name,
            kind: kind.unwrap_or(BoardKind::Scrum),
            filter_id,
            project_id: project,
            owner_id: Some(caller.user.id),
        };
        let id = self
            .store
            .write(move |tx| q::insert_board(tx, &board))
            .await?;
        self.board(Some(caller), id).await
    }

    /// `DELETE board/{id}`: board administrators only; its sprints go with it.
    pub async fn delete_board(&self, caller: Option<&Caller>, id: i64) -> Result<()> {
        self.board_admin(caller, id).await?;
        let sprint_field = self.field(CustomFieldKind::Sprint)?;
        let who = caller.map(|c| c.user.id);
        self.store
            .write(move |tx| {
                // Issues leave the board's sprints, as they leave a deleted sprint.
                for s in q::sprints_of_board(tx, id)? {
                    super::sprints::drop_sprint_from_issues(tx, sprint_field, s.id, who)?;
                }
                q::delete_board(tx, id)
            })
            .await?;
        Ok(())
    }

    /// The board every software project gets, made the first time boards are asked for
    /// after the project was created: a scrum board over `project = KEY ORDER BY Rank`.
    async fn ensure_project_boards(&self) -> Result<()> {
        let missing = self.store.read(q::projects_without_board).await?;
        if missing.is_empty() {
            return Ok(());
        }
        self.store
            .write(move |tx| {
                for pid in missing {
                    let Some(p) = pq::by_id(tx, pid)? else {
                        continue;
                    };
                    if !q::mark_board_made(tx, pid)? {
                        continue;
                    }
                    let mut name = format!("Filter for {} board", p.key);
                    if fq::name_taken(tx, p.lead_id, &name, None)? {
                        name = format!("{name} ({})", p.id.0);
                    }
                    let jql = format!("project = {} ORDER BY Rank ASC", p.key);
                    let filter = fq::insert(
                        tx,
                        &fq::NewFilter {
                            owner_id: p.lead_id,
                            name: &name,
                            description: "",
                            jql: &jql,
                            now: tx.now(),
                        },
                    )?;
                    fq::insert_share(
                        tx,
                        filter,
                        &fq::NewShare {
                            kind: "project",
                            group_id: None,
                            project_id: Some(p.id),
                            role_id: None,
                            user_id: None,
                        },
                    )?;
                    q::insert_board(
                        tx,
                        &Board {
                            id: 0,
                            name: format!("{} board", p.key),
                            kind: BoardKind::Scrum,
                            filter_id: filter,
                            project_id: Some(p.id),
                            owner_id: Some(p.lead_id),
                        },
                    )?;
                }
                Ok(())
            })
            .await?;
        Ok(())
    }

    /// `GET board/{id}/configuration`: columns by status category, Story Points as the
    /// estimate, Rank as the order.
    pub async fn board_configuration(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<BoardConfig> {
        let view = self.board(caller, id).await?;
        let cat = self.catalog.current();
        let column = |key: &str| -> Vec<Status> {
            let category = cat
                .status_categories
                .iter()
                .find(|c| c.key == key)
                .map(|c| c.id);
            cat.statuses
                .iter()
                .filter(|s| Some(s.category_id) == category)
                .cloned()
                .collect()
        };
        let mut columns = Vec::new();
        if view.board.kind == BoardKind::Kanban {
            columns.push(("Backlog".to_string(), Vec::new()));
        }
        columns.push(("To Do".to_string(), column("new")));
        columns.push(("In Progress".to_string(), column("indeterminate")));
        columns.push(("Done".to_string(), column("done")));
        let estimation = cat.custom_field_by_name("Story Points").cloned();
        Ok(BoardConfig {
            view,
            columns,
            estimation: if estimation
                .as_ref()
                .is_some_and(|f| f.kind == CustomFieldKind::Number)
            {
                estimation
            } else {
                None
            },
            rank: cat.agile_field(CustomFieldKind::Rank).cloned(),
        })
    }

    /// The board's issues of one listing, as a JQL search over its filter (so only
    /// issues the caller may see), ranked.
    #[allow(clippy::too_many_arguments)]
    pub async fn board_issues(
        &self,
        caller: Option<&Caller>,
        id: i64,
        listing: Listing,
        jql: Option<String>,
        start: i64,
        max: i64,
        needs: ViewNeeds,
    ) -> Result<SearchPage> {
        let view = self.board(caller, id).await?;
        let base = where_part(&view.jql);
        let clause = self.listing_clause(&view, &listing).await?;
        let extra = jql.map(|j| where_part(&j)).unwrap_or_default();
        let query = and_jql(&[&base, &clause, &extra], "ORDER BY Rank ASC");
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

    async fn listing_clause(&self, view: &BoardView, listing: &Listing) -> Result<String> {
        let cat = self.catalog.current();
        let epic_types = epic_type_ids(&cat);
        Ok(match listing {
            Listing::All => String::new(),
            Listing::Backlog if view.board.kind == BoardKind::Kanban => {
                "statusCategory != Done".to_string()
            }
            Listing::Backlog => {
                "(sprint IS EMPTY OR sprint NOT IN openSprints()) AND statusCategory != Done"
                    .to_string()
            }
            Listing::Sprint(s) => {
                let sid = *s;
                let sprint = self.store.read(move |db| q::sprint(db, sid)).await?;
                match sprint {
                    Some(sp) if sp.board_id == view.board.id => format!("sprint = {sid}"),
                    _ => {
                        return Err(Error::not_found(format!(
                            "Sprint with id {sid} does not exist on this board."
                        )));
                    }
                }
            }
            Listing::Epic(e) => format!("parent = \"{}\"", e.replace('"', "")),
            Listing::NoEpic => format!("parent IS EMPTY AND issuetype NOT IN ({epic_types})"),
            Listing::Epics => format!("issuetype IN ({epic_types})"),
        })
    }

    /// `GET board/{id}/project`: the board's project (its location).
    pub async fn board_projects(&self, caller: Option<&Caller>, id: i64) -> Result<Vec<Project>> {
        let view = self.board(caller, id).await?;
        Ok(view.project.into_iter().collect())
    }

    /// `GET board/{id}/version`: the versions of the board's project.
    pub async fn board_versions(
        &self,
        caller: Option<&Caller>,
        id: i64,
        released: Option<bool>,
    ) -> Result<Vec<(Project, Version)>> {
        let view = self.board(caller, id).await?;
        let Some(p) = view.project else {
            return Ok(Vec::new());
        };
        let pid = p.id;
        let versions = self.store.read(move |db| pq::versions(db, pid)).await?;
        Ok(versions
            .into_iter()
            .filter(|v| released.is_none_or(|r| v.released == r))
            .map(|v| (p.clone(), v))
            .collect())
    }
}

/// Issue type ids of the epic level, as a JQL list.
pub(super) fn epic_type_ids(cat: &Catalog) -> String {
    let ids: Vec<String> = cat
        .issue_types
        .iter()
        .filter(|t| !t.subtask && t.hierarchy_level >= 1)
        .map(|t| t.id.to_string())
        .collect();
    if ids.is_empty() {
        "-1".to_string()
    } else {
        ids.join(", ")
    }
}
