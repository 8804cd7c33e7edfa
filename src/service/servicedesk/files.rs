//! Attachments the JSM way: files are first sent to a desk (`attachTemporaryFile`), then
//! attached to a request by their temporary ids, public or internal, optionally with a
//! comment. Internal attachments are hidden from the desk's customers
//! (`levels::attachment_hidden`).

use std::collections::HashMap;
use std::sync::Mutex;

use super::Service;
use super::requests::internal_visibility;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::attachments::{AttachmentView, Staged};
use crate::service::comments::CommentInput;
use crate::service::{Caller, Permission};
use crate::store::queries::servicedesk as q;

/// How long a temporary file waits to be attached.
const KEEP_MILLIS: i64 = 3_600_000;
/// Temporary files held at once, over every user (the oldest go first).
const MAX_HELD: usize = 1_000;

struct Held {
    staged: Staged,
    owner: UserId,
    desk: i64,
    at: Millis,
}

/// Temporary files by id. Kept in memory: a restart drops them (their staged files are
/// removed when dropped), as JSM's expire.
#[derive(Default)]
pub struct Temporary(Mutex<HashMap<String, Held>>);

pub struct TemporaryFile {
    pub id: String,
    pub filename: String,
}

/// What `POST request/{key}/attachment` added.
pub struct RequestAttachments {
    pub request: super::RequestView,
    pub comment: Option<Comment>,
    pub attachments: Vec<AttachmentView>,
}

impl Service {
    /// Holds uploaded files for the desk until they are attached to one of its requests.
    pub async fn attach_temporary(
        &self,
        caller: &Caller,
        desk: &str,
        files: Vec<Staged>,
    ) -> Result<Vec<TemporaryFile>> {
        let d = self.desk(caller, desk).await?;
        let perms = self
            .permissions
            .project_permissions(Some(caller), &d.project)
            .await?;
        if !perms.has(Permission::CreateAttachments) {
            return Err(Error::forbidden(
                "You do not have permission to attach files in this service desk.",
            ));
        }
        if files.is_empty() {
            return Err(Error::bad_request(
                "The request contains no file: send it as multipart/form-data field 'file'.",
            ));
        }
        let now = self.store.now();
        let mut held = self.temporary.0.lock().unwrap_or_else(|p| p.into_inner());
        held.retain(|_, h| now.0 - h.at.0 < KEEP_MILLIS);
        let mut out = Vec::new();
        for staged in files {
            while held.len() >= MAX_HELD {
                let oldest = held
                    .iter()
                    .min_by_key(|(_, h)| h.at.0)
                    .map(|(k, _)| k.clone());
                match oldest {
                    Some(k) => held.remove(&k),
                    None => break,
                };
            }
            let mut nonce = [0u8; 12];
            rand::Rng::fill(&mut rand::thread_rng(), &mut nonce);
            let id = format!(
                "temp{}",
                nonce.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
            out.push(TemporaryFile {
                id: id.clone(),
                filename: staged.filename.clone(),
            });
            held.insert(
                id,
                Held {
                    staged,
                    owner: caller.user.id,
                    desk: d.desk.id,
                    at: now,
                },
            );
        }
        Ok(out)
    }

    /// Attaches the caller's temporary files to the request, public or (agents only)
    /// internal, with an optional comment of the same kind.
    pub async fn attach_to_request(
        &self,
        caller: &Caller,
        r: &IssueRef,
        ids: Vec<String>,
        public: bool,
        comment: Option<String>,
    ) -> Result<RequestAttachments> {
        let request = self.request(caller, r).await?;
        if !public && !request.agent {
            return Err(Error::forbidden(
                "Customers cannot add internal attachments: set public to true.",
            ));
        }
        if ids.is_empty() {
            return Err(Error::field(
                "temporaryAttachmentIds",
                "Name at least one temporary attachment.",
            ));
        }
        let files = {
            let mut held = self.temporary.0.lock().unwrap_or_else(|p| p.into_inner());
            let unknown: Vec<&String> = ids
                .iter()
                .filter(|id| {
                    !held
                        .get(*id)
                        .is_some_and(|h| h.owner == caller.user.id && h.desk == request.desk.id)
                })
                .collect();
            if !unknown.is_empty() {
                return Err(Error::field(
                    "temporaryAttachmentIds",
                    format!(
                        "No temporary attachment {} of yours waits in this service desk.",
                        unknown
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            ids.iter()
                .filter_map(|id| held.remove(id).map(|h| h.staged))
                .collect::<Vec<_>>()
        };
        let key = IssueRef::Id(request.view.issue.id.0);
        let added = self
            .attachments
            .add_attachments(caller, &key, files)
            .await?;
        if !public {
            let ids: Vec<i64> = added.iter().map(|v| v.attachment.id).collect();
            self.store
                .write(move |db| {
                    for id in ids {
                        q::mark_internal_attachment(db, id)?;
                    }
                    Ok(())
                })
                .await?;
        }
        // The comment names the files it came with, so `comment/{id}/attachment` (and
        // Jira's own view) finds them.
        let names: Vec<&str> = added
            .iter()
            .map(|v| v.attachment.filename.as_str())
            .collect();
        let refs = super::downloads::references(&names);
        let comment = match comment.filter(|c| !c.trim().is_empty()) {
            Some(text) => Some(
                self.comments
                    .add_comment(
                        caller,
                        &key,
                        CommentInput {
                            body: format!("{text}\n\n{refs}"),
                            visibility: (!public).then(internal_visibility),
                        },
                    )
                    .await?
                    .1,
            ),
            None => None,
        };
        let request = self.request(caller, &key).await?;
        Ok(RequestAttachments {
            request,
            comment,
            attachments: added,
        })
    }
}
