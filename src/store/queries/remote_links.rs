//! Remote issue links. `url` and `title` are plain columns (they are also web links).

use rusqlite::{OptionalExtension, params};

use super::{Db, Tx};
use crate::domain::*;
use crate::store::StoreResult;

const COLUMNS: &str = "id, issue_id, global_id, url, title, summary, relationship, application_type, application_name,
    icon_url, icon_title, icon_link, status_resolved, status_icon_url, status_icon_title, status_icon_link, created";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RemoteLink> {
    Ok(RemoteLink {
        id: r.get(0)?,
        issue_id: IssueId(r.get(1)?),
        global_id: r.get(2)?,
        url: r.get(3)?,
        title: r.get(4)?,
        summary: r.get(5)?,
        relationship: r.get(6)?,
        application_type: r.get(7)?,
        application_name: r.get(8)?,
        icon: LinkIcon {
            url16x16: r.get(9)?,
            title: r.get(10)?,
            link: r.get(11)?,
        },
        status_resolved: r.get(12)?,
        status_icon: LinkIcon {
            url16x16: r.get(13)?,
            title: r.get(14)?,
            link: r.get(15)?,
        },
        created: Millis(r.get(16)?),
    })
}

pub fn of_issue(db: &Db, issue: IssueId) -> StoreResult<Vec<RemoteLink>> {
    let mut stmt = db.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM remote_links WHERE issue_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([issue.0], row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn by_id(db: &Db, id: i64) -> StoreResult<Option<RemoteLink>> {
    Ok(db
        .prepare_cached(&format!("SELECT {COLUMNS} FROM remote_links WHERE id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

pub fn by_global_id(db: &Db, issue: IssueId, global_id: &str) -> StoreResult<Option<RemoteLink>> {
    Ok(db
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM remote_links WHERE issue_id = ?1 AND global_id = ?2"
        ))?
        .query_row(params![issue.0, global_id], row)
        .optional()?)
}

pub fn insert(db: &Tx, l: &RemoteLink, now: Millis) -> StoreResult<i64> {
    let id: i64 = super::next_id(db, "remote_links")?;
    db.prepare_cached(&format!(
        "INSERT INTO remote_links ({COLUMNS}, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)"
    ))?
    .execute(params![
        id,
        l.issue_id.0,
        l.global_id,
        l.url,
        l.title,
        l.summary,
        l.relationship,
        l.application_type,
        l.application_name,
        l.icon.url16x16,
        l.icon.title,
        l.icon.link,
        l.status_resolved,
        l.status_icon.url16x16,
        l.status_icon.title,
        l.status_icon.link,
        now.0,
    ])?;
    Ok(id)
}

/// Replaces every field of a link (fields missing from the request are stored as null).
pub fn update(db: &Tx, l: &RemoteLink, now: Millis) -> StoreResult<()> {
    db.prepare_cached(
        "UPDATE remote_links SET global_id = ?2, url = ?3, title = ?4, summary = ?5, relationship = ?6,
         application_type = ?7, application_name = ?8, icon_url = ?9, icon_title = ?10, icon_link = ?11,
         status_resolved = ?12, status_icon_url = ?13, status_icon_title = ?14, status_icon_link = ?15,
         updated = ?16 WHERE id = ?1",
    )?
    .execute(params![
        l.id,
        l.global_id,
        l.url,
        l.title,
        l.summary,
        l.relationship,
        l.application_type,
        l.application_name,
        l.icon.url16x16,
        l.icon.title,
        l.icon.link,
        l.status_resolved,
        l.status_icon.url16x16,
        l.status_icon.title,
        l.status_icon.link,
        now.0,
    ])?;
    Ok(())
}

pub fn delete(db: &Tx, id: i64) -> StoreResult<()> {
    db.execute("DELETE FROM remote_links WHERE id = ?1", [id])?;
    Ok(())
}
