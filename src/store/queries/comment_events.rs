//! Edits and deletions of comments (creation is the comment row itself), for the
//! activity stream of an issue.

use rusqlite::params;

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

pub fn record(
    db: &Tx,
    issue: IssueId,
    comment: i64,
    actor: Option<UserId>,
    deleted: bool,
    at: Millis,
) -> StoreResult<()> {
    db.prepare_cached(
        "INSERT INTO comment_events (issue_id, comment_id, actor_id, kind, occurred) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        issue.0,
        comment,
        actor.map(|u| u.0),
        if deleted { "deleted" } else { "updated" },
        at.0
    ])?;
    Ok(())
}

/// Every event of an issue, oldest first.
pub fn of_issue(db: &Db, issue: IssueId) -> StoreResult<Vec<CommentEvent>> {
    let mut stmt = db.prepare_cached(
        "SELECT id, comment_id, actor_id, kind, occurred FROM comment_events WHERE issue_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([issue.0], |r| {
            Ok(CommentEvent {
                id: r.get(0)?,
                comment_id: r.get(1)?,
                actor_id: r.get::<_, Option<i64>>(2)?.map(UserId),
                deleted: r.get::<_, String>(3)? == "deleted",
                occurred: Millis(r.get(4)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
