//! Jira Software: boards, sprints, their properties, and the issues a sprint, epic or
//! rank field names (read from the Jira Software fields' stored values).

use rusqlite::{OptionalExtension, Row, params};

use super::{Db, Tx};
use crate::domain::agile::*;
use crate::domain::*;
use crate::store::StoreResult;

const BOARD_COLS: &str = "id, name, kind, filter_id, project_id, owner_id";

fn board_row(r: &Row) -> rusqlite::Result<Board> {
    let kind: String = r.get(2)?;
    Ok(Board {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: BoardKind::parse(&kind).unwrap_or(BoardKind::Scrum),
        filter_id: r.get(3)?,
        project_id: r.get::<_, Option<i64>>(4)?.map(ProjectId),
        owner_id: r.get::<_, Option<i64>>(5)?.map(UserId),
    })
}

pub fn boards(db: &Db) -> StoreResult<Vec<Board>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {BOARD_COLS} FROM agile_boards ORDER BY id"
    ))?;
    let rows = stmt.query_map([], board_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn board(db: &Db, id: i64) -> StoreResult<Option<Board>> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {BOARD_COLS} FROM agile_boards WHERE id = ?1"
        ))?
        .query_row([id], board_row)
        .optional()?)
}

pub fn insert_board(db: &Tx, b: &Board) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "agile_boards")?;
    db.execute(
        "INSERT INTO agile_boards (id, name, kind, filter_id, project_id, owner_id, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, b.name, b.kind.as_str(), b.filter_id, b.project_id.map(|p| p.0), b.owner_id.map(|u| u.0), db.now().0],
    )?;
    Ok(id)
}

pub fn delete_board(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute(
        "DELETE FROM agile_properties WHERE (entity = 'board' AND entity_id = ?1)
            OR (entity = 'sprint' AND entity_id IN (SELECT id FROM agile_sprints WHERE board_id = ?1))",
        [id],
    )?;
    db.execute("DELETE FROM agile_boards WHERE id = ?1", [id])?;
    Ok(())
}

const SPRINT_COLS: &str =
    "id, board_id, name, goal, state, start_date, end_date, complete_date, sequence";

fn sprint_row(r: &Row) -> rusqlite::Result<Sprint> {
    let state: String = r.get(4)?;
    Ok(Sprint {
        id: r.get(0)?,
        board_id: r.get(1)?,
        name: r.get(2)?,
        goal: r.get(3)?,
        state: SprintState::parse(&state).unwrap_or(SprintState::Future),
        start_date: r.get::<_, Option<i64>>(5)?.map(Millis),
        end_date: r.get::<_, Option<i64>>(6)?.map(Millis),
        complete_date: r.get::<_, Option<i64>>(7)?.map(Millis),
        sequence: r.get(8)?,
    })
}

pub fn sprint(db: &Db, id: i64) -> StoreResult<Option<Sprint>> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {SPRINT_COLS} FROM agile_sprints WHERE id = ?1"
        ))?
        .query_row([id], sprint_row)
        .optional()?)
}

/// A board's sprints in their order.
pub fn sprints_of_board(db: &Db, board: i64) -> StoreResult<Vec<Sprint>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {SPRINT_COLS} FROM agile_sprints WHERE board_id = ?1 ORDER BY sequence, id"
    ))?;
    let rows = stmt
        .query_map([board], sprint_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn sprints_by_ids(db: &Db, ids: &[i64]) -> StoreResult<Vec<Sprint>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {SPRINT_COLS} FROM agile_sprints WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY sequence, id"
    ))?;
    let ids = serde_json::json!(ids).to_string();
    let rows = stmt
        .query_map([ids], sprint_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Ids of every sprint in one of the states (`openSprints()` and its kin).
pub fn sprint_ids_in(db: &Db, states: &[SprintState]) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached(
        "SELECT id FROM agile_sprints WHERE state IN (SELECT value FROM json_each(?1)) ORDER BY id",
    )?;
    let states =
        serde_json::json!(states.iter().map(|s| s.as_str()).collect::<Vec<_>>()).to_string();
    let rows = stmt
        .query_map([states], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Ids of sprints named `name` (case-insensitive), for `sprint = "Name"`.
pub fn sprint_ids_named(db: &Db, name: &str) -> StoreResult<Vec<i64>> {
    let mut stmt = db.prepare_cached(
        "SELECT id FROM agile_sprints WHERE name = ?1 COLLATE NOCASE ORDER BY id",
    )?;
    let rows = stmt
        .query_map([name], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn insert_sprint(db: &Tx, s: &Sprint) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "agile_sprints")?;
    let sequence: i64 = db.query_row(
        "SELECT coalesce(max(sequence), 0) + 1 FROM agile_sprints WHERE board_id = ?1",
        [s.board_id],
        |r| r.get(0),
    )?;
    db.execute(
        "INSERT INTO agile_sprints (id, board_id, name, goal, state, start_date, end_date, complete_date, sequence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![id, s.board_id, s.name, s.goal, s.state.as_str(), s.start_date.map(|m| m.0),
            s.end_date.map(|m| m.0), s.complete_date.map(|m| m.0), sequence],
    )?;
    Ok(id)
}

pub fn update_sprint(db: &Tx, s: &Sprint) -> StoreResult<()> {
    db.execute(
        "UPDATE agile_sprints SET name = ?2, goal = ?3, state = ?4, start_date = ?5, end_date = ?6,
            complete_date = ?7, sequence = ?8 WHERE id = ?1",
        params![
            s.id,
            s.name,
            s.goal,
            s.state.as_str(),
            s.start_date.map(|m| m.0),
            s.end_date.map(|m| m.0),
            s.complete_date.map(|m| m.0),
            s.sequence
        ],
    )?;
    Ok(())
}

pub fn delete_sprint(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute(
        "DELETE FROM agile_properties WHERE entity = 'sprint' AND entity_id = ?1",
        [id],
    )?;
    db.execute("DELETE FROM agile_sprints WHERE id = ?1", [id])?;
    Ok(())
}

/// Issues whose multi-valued field `field` (the Sprint field) holds `value`.
pub fn issues_with_option(db: &Db, field: i64, value: i64) -> StoreResult<Vec<IssueId>> {
    let mut stmt = db.prepare_cached(
        "SELECT v.issue_id FROM issue_field_values v, json_each(v.value, '$.v') e
         WHERE v.field_id = ?1 AND e.value = ?2 ORDER BY v.issue_id",
    )?;
    let rows = stmt
        .query_map(params![field, value], |r| Ok(IssueId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The highest rank held in the rank field, for ranking a new issue last.
pub fn last_rank(db: &Db, field: i64) -> StoreResult<Option<String>> {
    Ok(db.query_row(
        "SELECT max(json_extract(value, '$.v')) FROM issue_field_values WHERE field_id = ?1",
        [field],
        |r| r.get(0),
    )?)
}

/// The rank just above `rank`'s (the next one in the order), if any.
pub fn next_rank(db: &Db, field: i64, rank: &str) -> StoreResult<Option<String>> {
    Ok(db.query_row(
        "SELECT min(json_extract(value, '$.v')) FROM issue_field_values
         WHERE field_id = ?1 AND json_extract(value, '$.v') > ?2",
        params![field, rank],
        |r| r.get(0),
    )?)
}

/// The rank just below `rank`'s, if any.
pub fn previous_rank(db: &Db, field: i64, rank: &str) -> StoreResult<Option<String>> {
    Ok(db.query_row(
        "SELECT max(json_extract(value, '$.v')) FROM issue_field_values
         WHERE field_id = ?1 AND json_extract(value, '$.v') < ?2",
        params![field, rank],
        |r| r.get(0),
    )?)
}

pub fn property_keys(db: &Db, entity: &str, id: i64) -> StoreResult<Vec<String>> {
    let mut stmt = db.prepare_cached(
        "SELECT key FROM agile_properties WHERE entity = ?1 AND entity_id = ?2 ORDER BY key",
    )?;
    let rows = stmt
        .query_map(params![entity, id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn property(db: &Db, entity: &str, id: i64, key: &str) -> StoreResult<Option<String>> {
    Ok(db
        .prepare_cached(
            "SELECT value FROM agile_properties WHERE entity = ?1 AND entity_id = ?2 AND key = ?3",
        )?
        .query_row(params![entity, id, key], |r| r.get(0))
        .optional()?)
}

/// Sets a property; true when it is new.
pub fn set_property(db: &Tx, entity: &str, id: i64, key: &str, value: &str) -> StoreResult<bool> {
    let existed = property(db, entity, id, key)?.is_some();
    db.execute(
        "INSERT OR REPLACE INTO agile_properties (entity, entity_id, key, value) VALUES (?1, ?2, ?3, ?4)",
        params![entity, id, key, value],
    )?;
    Ok(!existed)
}

pub fn delete_property(db: &Tx, entity: &str, id: i64, key: &str) -> StoreResult<bool> {
    Ok(db.execute(
        "DELETE FROM agile_properties WHERE entity = ?1 AND entity_id = ?2 AND key = ?3",
        params![entity, id, key],
    )? > 0)
}

/// Software projects not yet given their board.
pub fn projects_without_board(db: &Db) -> StoreResult<Vec<ProjectId>> {
    let mut stmt = db.prepare_cached(
        "SELECT id FROM projects WHERE project_type_key = 'software'
           AND id NOT IN (SELECT project_id FROM agile_project_boards_made) ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok(ProjectId(r.get(0)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Records that a project got its board; false when it already had.
pub fn mark_board_made(db: &Tx, project: ProjectId) -> StoreResult<bool> {
    Ok(db.execute(
        "INSERT OR IGNORE INTO agile_project_boards_made (project_id) VALUES (?1)",
        [project.0],
    )? > 0)
}
