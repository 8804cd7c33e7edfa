//! Attachments: uploads streamed to a temporary file while hashed and size-limited, then
//! stored once per content hash under `attachments/<first two hex>/<sha256>`; metadata and
//! reference counts in SQLite; downloads, thumbnails and zip listings behind the same
//! permission checks as the issue.
//!
//! File moves and removals of blobs run inside writer jobs, so an upload that reuses a
//! blob and a delete that drops its last reference are serialised by the store's writer.

use super::blobs::{blob_path, sweep, thumbnail_path};
use super::{catalog, issues, users};
use crate::auth;
use crate::config::Config;
use crate::store::Store;
use std::sync::Arc;

mod signed;
mod zip;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::permissions::caller_permissions;
use super::{Caller, Catalog, Permission, PermissionSet};
use crate::domain::*;
use crate::error::{Error, Kind, Result};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, attachments as q, changelog, issues as iq, projects as pq, users as uq,
};

pub use signed::{SIGNED_LINK_SECONDS, Signature, SignedPart};
pub use zip::Entry as ArchiveEntry;

/// The largest number of files one upload request may carry.
pub const MAX_FILES_PER_REQUEST: usize = 64;
/// Thumbnails fit in a square of this many pixels.
pub const THUMBNAIL_SIZE: u32 = 200;
/// Entries listed by `expand` (Jira's default `jira.attachment.number.of.zip.entries`).
pub const MAX_LISTED_ENTRIES: usize = 30;

/// An attachment with its author, as the API shows it.
#[derive(Debug, Clone)]
pub struct AttachmentView {
    pub attachment: Attachment,
    pub author: Option<User>,
}

/// The entries of an archive attachment.
#[derive(Debug, Clone)]
pub struct ArchiveListing {
    pub attachment: Attachment,
    /// At most [`MAX_LISTED_ENTRIES`], in archive order.
    pub entries: Vec<ArchiveEntry>,
    pub total: usize,
}

/// Raster image types served inline; everything else is a download.
pub fn is_inline_safe(mime: &str) -> bool {
    matches!(
        mime,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Whether a thumbnail can be generated for this type (decodable raster images).
pub fn thumbnailable(mime: &str) -> bool {
    matches!(mime, "image/png" | "image/jpeg" | "image/gif")
}

/// One file of an upload being received: written to a temporary file while hashed.
pub struct Upload {
    file: tokio::fs::File,
    staged: Staged,
    hasher: Sha256,
    head: Vec<u8>,
    declared: Option<String>,
    limit: u64,
}

/// A received file waiting to be recorded; its temporary file is removed when dropped
/// unless it was moved into the store.
pub struct Staged {
    tmp: PathBuf,
    pub filename: String,
    pub mime_type: String,
    pub size: u64,
    pub sha256: String,
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Gone already when it was moved into place.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

impl Upload {
    /// Appends a chunk; 413 once the file grows past the limit.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<()> {
        self.staged.size += chunk.len() as u64;
        if self.staged.size > self.limit {
            return Err(too_large(&self.staged.filename, self.limit));
        }
        if self.head.len() < 16 {
            let take = (16 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await.map_err(io_error)
    }

    /// Flushes the file to disk and fixes its hash and MIME type.
    pub async fn finish(mut self) -> Result<Staged> {
        self.file.flush().await.map_err(io_error)?;
        self.file.sync_all().await.map_err(io_error)?;
        self.staged.sha256 = hex(&self.hasher.finalize_reset());
        self.staged.mime_type =
            mime_type(&self.head, self.declared.as_deref(), &self.staged.filename);
        Ok(self.staged)
    }
}

fn too_large(filename: &str, limit: u64) -> Error {
    Error::new(
        Kind::TooLarge,
        format!("The file '{filename}' is larger than the attachment size limit of {limit} bytes."),
    )
}

fn io_error(e: std::io::Error) -> Error {
    tracing::error!(error = %e, "attachment storage failed");
    Error::internal()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attachment_missing(id: i64) -> Error {
    Error::not_found(format!("The attachment with id '{id}' does not exist."))
}

/// Cleans a client-supplied file name into a display name: only the last path
/// component (on `/` and `\`), no control or bidirectional-override characters, no
/// leading or trailing dots and spaces, at most 255 characters. Never a path.
pub fn clean_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut name: String = trimmed.chars().take(255).collect();
    if name.is_empty() {
        name = "attachment".to_string();
    }
    name
}

/// The stored MIME type: the content's magic number when it has a known one; otherwise
/// the client's declared type (never a raster image type without its magic number), or
/// a guess from the name's extension.
pub fn mime_type(head: &[u8], declared: Option<&str>, filename: &str) -> String {
    let sniffed = if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if zip::looks_like_zip(head) {
        // Office documents are zip archives too; keep their declared type.
        declared
            .filter(|d| d.contains("officedocument") || d.contains("opendocument"))
            .map(|_| "")
            .or(Some("application/zip"))
    } else if head.starts_with(&[0x1F, 0x8B]) {
        Some("application/gzip")
    } else {
        None
    };
    if let Some(s) = sniffed.filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    let declared = declared
        .map(|d| {
            d.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|d| {
            let mut parts = d.splitn(2, '/');
            let ok = |p: Option<&str>| {
                p.is_some_and(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
                })
            };
            ok(parts.next()) && ok(parts.next())
        })
        .filter(|d| d != "application/octet-stream");
    // A raster image type is only ever taken from the content's magic number.
    let guess = declared.unwrap_or_else(|| by_extension(filename).to_string());
    if is_inline_safe(&guess) {
        "application/octet-stream".to_string()
    } else {
        guess
    }
}

/// A MIME type from a file name's extension (also for archive entries).
pub fn by_extension(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "log" | "md" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "rtf" => "text/rtf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Jira's human-readable size: `0.5 kB`, `119 kB`, `1.36 MB`.
pub fn human_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b > KB * KB {
        format!("{:.2} MB", b / (KB * KB))
    } else if b > KB {
        format!("{} kB", (b / KB).round() as u64)
    } else {
        format!("{:.1} kB", b / KB)
    }
}

/// Syncs the directory holding a just-renamed blob, and the root too, which holds the
/// name of the blob's directory when that was created for it.
fn sync_new_entry(root: &Path, blob: &Path) -> std::io::Result<()> {
    if let Some(dir) = blob.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    std::fs::File::open(root)?.sync_all()
}

/// The issue of an attachment and the caller's permissions on it; 404 for an unknown
/// attachment, 403 when the caller may not browse its issue (as Jira answers).
fn load(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    id: i64,
) -> StoreResult<(Attachment, Issue, PermissionSet)> {
    let a = q::by_id(db, id)?.ok_or_else(|| attachment_missing(id))?;
    let issue = iq::by_id(db, a.issue_id)?.ok_or_else(|| attachment_missing(id))?;
    let project = pq::by_id(db, issue.project_id)?.ok_or_else(|| attachment_missing(id))?;
    // Behind a security level the caller is outside, the attachment does not exist.
    if !super::levels::can_see_issue(db, caller, &issue)?
        || super::levels::attachment_hidden(db, caller, &project, a.id)?
    {
        return Err(attachment_missing(id).into());
    }
    let perms = caller_permissions(db, catalog, caller, &project, Some(&issue))?;
    if !perms.has(Permission::BrowseProjects) {
        return Err(Error::forbidden(format!(
            "You do not have permission to view attachment with id: {id}."
        ))
        .into());
    }
    Ok((a, issue, perms))
}

fn view(db: &Db, a: Attachment) -> StoreResult<AttachmentView> {
    let author = match a.author_id {
        Some(u) => uq::by_ids(db, &[u])?.into_iter().next(),
        None => None,
    };
    Ok(AttachmentView {
        attachment: a,
        author,
    })
}

fn change_item(a: &Attachment, added: bool) -> ChangeItem {
    let (id, name) = (Some(a.id.to_string()), Some(a.filename.clone()));
    ChangeItem {
        field: "Attachment".into(),
        field_type: "jira".into(),
        field_id: "attachment".into(),
        from: if added { None } else { id.clone() },
        from_string: if added { None } else { name.clone() },
        to: if added { id } else { None },
        to_string: if added { name } else { None },
    }
}

/// Attachments: uploads, content, thumbnails, signed links.
pub struct Service {
    store: Store,
    config: Arc<Config>,
    catalog: Arc<catalog::Service>,
    auth: Arc<auth::Service>,
    issues: Arc<issues::Service>,
    users: Arc<users::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        config: Arc<Config>,
        catalog: Arc<catalog::Service>,
        auth: Arc<auth::Service>,
        issues: Arc<issues::Service>,
        users: Arc<users::Service>,
    ) -> Service {
        Service {
            store,
            config,
            catalog,
            auth,
            issues,
            users,
        }
    }
}

impl Service {
    fn attachments_root(&self) -> PathBuf {
        self.config.attachments_dir()
    }

    /// `GET attachment/meta`: (enabled, upload limit in bytes).
    pub fn attachment_meta(&self) -> (bool, u64) {
        (true, self.config.max_attachment_bytes)
    }

    /// Checks, before any byte is received, that the caller may attach files to the
    /// issue (the upload checks again when it records them).
    pub async fn check_can_attach(&self, caller: &Caller, r: &IssueRef) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        self.store
            .read(move |db| can_attach(db, &catalog, &caller, &r).map(|_| ()))
            .await?;
        Ok(())
    }

    /// Starts receiving one file of an upload.
    pub async fn begin_upload(
        &self,
        filename: Option<&str>,
        content_type: Option<&str>,
    ) -> Result<Upload> {
        let dir = self.attachments_root().join("tmp");
        tokio::fs::create_dir_all(&dir).await.map_err(io_error)?;
        let mut nonce = [0u8; 16];
        rand::Rng::fill(&mut rand::thread_rng(), &mut nonce);
        let tmp = dir.join(format!("upload-{}", hex(&nonce)));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .await
            .map_err(io_error)?;
        Ok(Upload {
            file,
            staged: Staged {
                tmp,
                filename: clean_filename(filename.unwrap_or_default()),
                mime_type: String::new(),
                size: 0,
                sha256: String::new(),
            },
            hasher: Sha256::new(),
            head: Vec::with_capacity(16),
            declared: content_type.map(str::to_string),
            limit: self.config.max_attachment_bytes,
        })
    }

    /// `POST issue/{key}/attachments`: records every received file, or none.
    pub async fn add_attachments(
        &self,
        caller: &Caller,
        r: &IssueRef,
        files: Vec<Staged>,
    ) -> Result<Vec<AttachmentView>> {
        if !self.catalog.current().settings.attachments() {
            // Jira's answer while `jira.option.allowattachments` is off.
            return Err(Error::forbidden(
                "Attachments are disabled on this instance.",
            ));
        }
        if files.is_empty() {
            return Err(Error::bad_request(
                "The request contains no file: send it as multipart/form-data field 'file'.",
            ));
        }
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let r = r.clone();
        let root = self.attachments_root();
        Ok(self
            .store
            .write(move |db| {
                let issue = can_attach(db, &catalog, &caller, &r)?;
                let now = db.now();
                let mut added = Vec::new();
                for f in &files {
                    q::ensure_blob(db, &f.sha256, f.size as i64)?;
                    let target = blob_path(&root, &f.sha256);
                    if !target.exists() {
                        if let Some(dir) = target.parent() {
                            std::fs::create_dir_all(dir).map_err(io_error)?;
                        }
                        std::fs::rename(&f.tmp, &target).map_err(io_error)?;
                        // The file's bytes were synced before the rename (`finish`); its
                        // name lives in the directory, synced here before the row
                        // commits, so a power loss never keeps a row without its file.
                        sync_new_entry(&root, &target).map_err(io_error)?;
                    }
                    let mut a = Attachment {
                        id: 0,
                        issue_id: issue.id,
                        author_id: Some(caller.user.id),
                        filename: f.filename.clone(),
                        mime_type: f.mime_type.clone(),
                        size: f.size as i64,
                        sha256: f.sha256.clone(),
                        created: now,
                    };
                    a.id = q::insert(db, &a)?;
                    added.push(a);
                }
                let items: Vec<ChangeItem> = added.iter().map(|a| change_item(a, true)).collect();
                changelog::record(db, issue.id, Some(caller.user.id), now, &items)?;
                iq::touch(db, issue.id, now)?;
                iq::enqueue_index(db, issue.id, now)?;
                Ok(added
                    .into_iter()
                    .map(|a| AttachmentView {
                        attachment: a,
                        author: Some(caller.user.clone()),
                    })
                    .collect())
            })
            .await?)
    }

    /// `GET attachment/{id}`
    pub async fn attachment(&self, caller: Option<&Caller>, id: i64) -> Result<AttachmentView> {
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        Ok(self
            .store
            .read(move |db| {
                let (a, _, _) = load(db, &catalog, caller.as_ref(), id)?;
                view(db, a)
            })
            .await?)
    }

    /// `DELETE attachment/{id}`: Delete All Attachments, or Delete Own Attachments for
    /// the author. The file goes with the last attachment that uses it.
    pub async fn delete_attachment(&self, caller: &Caller, id: i64) -> Result<()> {
        let catalog = self.catalog.current();
        let caller = caller.clone();
        let root = self.attachments_root();
        self.store
            .write(move |db| {
                let (a, issue, perms) = load(db, &catalog, Some(&caller), id)?;
                let own = a.author_id == Some(caller.user.id);
                if !(perms.has(Permission::DeleteAllAttachments)
                    || own && perms.has(Permission::DeleteOwnAttachments))
                {
                    return Err(Error::forbidden(format!(
                        "You do not have permission to delete attachment with id: {id}."
                    ))
                    .into());
                }
                q::delete(db, id)?;
                let now = db.now();
                changelog::record(
                    db,
                    issue.id,
                    Some(caller.user.id),
                    now,
                    &[change_item(&a, false)],
                )?;
                iq::touch(db, issue.id, now)?;
                iq::enqueue_index(db, issue.id, now)?;
                sweep(db, &root)
            })
            .await?;
        Ok(())
    }

    /// The content of an attachment, for download.
    pub async fn attachment_content(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<(Attachment, Vec<u8>)> {
        let a = self.attachment(caller, id).await?.attachment;
        let bytes = tokio::fs::read(blob_path(&self.attachments_root(), &a.sha256))
            .await
            .map_err(io_error)?;
        Ok((a, bytes))
    }

    /// A PNG thumbnail (at most [`THUMBNAIL_SIZE`] pixels each side) of an image
    /// attachment, generated once per content hash and cached.
    pub async fn attachment_thumbnail(&self, caller: Option<&Caller>, id: i64) -> Result<Vec<u8>> {
        let a = self.attachment(caller, id).await?.attachment;
        self.thumbnail_of(&a).await
    }

    async fn thumbnail_of(&self, a: &Attachment) -> Result<Vec<u8>> {
        let id = a.id;
        if !thumbnailable(&a.mime_type) {
            return Err(Error::not_found(format!(
                "The attachment with id '{id}' has no thumbnail."
            )));
        }
        let root = self.attachments_root();
        let cached = thumbnail_path(&root, &a.sha256);
        if let Ok(bytes) = tokio::fs::read(&cached).await {
            return Ok(bytes);
        }
        let source = blob_path(&root, &a.sha256);
        tokio::task::spawn_blocking(move || make_thumbnail(&source, &cached))
            .await
            .map_err(|_| Error::internal())?
            .ok_or_else(|| {
                Error::not_found(format!(
                    "The attachment with id '{id}' is not an image that can be shown."
                ))
            })
    }

    /// The attachments of an issue the caller may browse, oldest first, with authors.
    pub async fn issue_attachments(
        &self,
        caller: &Caller,
        r: &IssueRef,
    ) -> Result<(Issue, Vec<AttachmentView>)> {
        let needs = super::issues::ViewNeeds {
            attachments: true,
            ..super::issues::ViewNeeds::NONE
        };
        let view = self.issues.view_issue_with(Some(caller), r, needs).await?;
        let authors = view
            .attachments
            .iter()
            .filter_map(|a| a.author_id)
            .collect();
        let users = self.users.users_map(authors).await?;
        let list = view
            .attachments
            .into_iter()
            .map(|a| AttachmentView {
                author: a.author_id.and_then(|u| users.get(&u).cloned()),
                attachment: a,
            })
            .collect();
        Ok((view.issue, list))
    }

    /// One attachment, found through the issue it belongs to (404 if it is on another).
    pub async fn issue_attachment(
        &self,
        caller: &Caller,
        r: &IssueRef,
        id: i64,
    ) -> Result<(Issue, AttachmentView)> {
        let (issue, list) = self.issue_attachments(caller, r).await?;
        let found = list
            .into_iter()
            .find(|v| v.attachment.id == id)
            .ok_or_else(|| attachment_missing(id))?;
        Ok((issue, found))
    }

    /// Width and height of an image attachment, read from its header; `None` for other
    /// files or unreadable images.
    pub async fn image_dimensions(&self, a: &Attachment) -> Option<(u32, u32)> {
        if !thumbnailable(&a.mime_type) {
            return None;
        }
        let path = blob_path(&self.attachments_root(), &a.sha256);
        tokio::task::spawn_blocking(move || {
            image::ImageReader::open(path)
                .ok()?
                .with_guessed_format()
                .ok()?
                .into_dimensions()
                .ok()
        })
        .await
        .ok()
        .flatten()
    }

    /// `GET attachment/{id}/expand/{human,raw}`: the files of a zip archive; 409 for
    /// attachments that are not zip archives, no entries for a corrupt one.
    pub async fn expand_attachment(
        &self,
        caller: Option<&Caller>,
        id: i64,
    ) -> Result<ArchiveListing> {
        let a = self.attachment(caller, id).await?.attachment;
        if a.mime_type != "application/zip" && !a.filename.to_ascii_lowercase().ends_with(".zip") {
            return Err(Error::conflict(
                "The archive format is not supported: only zip archives can be expanded.",
            ));
        }
        let path = blob_path(&self.attachments_root(), &a.sha256);
        let all = tokio::task::spawn_blocking(move || {
            std::fs::File::open(path).ok().and_then(zip::entries)
        })
        .await
        .map_err(|_| Error::internal())?
        .unwrap_or_default();
        Ok(ArchiveListing {
            attachment: a,
            total: all.len(),
            entries: all.into_iter().take(MAX_LISTED_ENTRIES).collect(),
        })
    }
}

/// The issue, when the caller may browse it (else 404) and create attachments (else 403).
fn can_attach(db: &Db, catalog: &Catalog, caller: &Caller, r: &IssueRef) -> StoreResult<Issue> {
    let issue = iq::by_ref(db, r)?.ok_or_else(Error::issue_not_found)?;
    let project = pq::by_id(db, issue.project_id)?.ok_or_else(Error::issue_not_found)?;
    let perms = caller_permissions(db, catalog, Some(caller), &project, Some(&issue))?;
    if !perms.has(Permission::BrowseProjects) {
        return Err(Error::issue_not_found().into());
    }
    if !perms.has(Permission::CreateAttachments) {
        return Err(Error::forbidden(
            "You do not have permission to create attachments for this issue.",
        )
        .into());
    }
    Ok(issue)
}

/// Decodes an image (with decoder memory limits), scales it into the thumbnail box and
/// writes the PNG to `cached` (through a temporary file). `None` if it cannot be decoded.
fn make_thumbnail(source: &Path, cached: &Path) -> Option<Vec<u8>> {
    let mut reader = image::ImageReader::open(source)
        .ok()?
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let thumb = if img.width() > THUMBNAIL_SIZE || img.height() > THUMBNAIL_SIZE {
        img.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE)
    } else {
        img
    };
    let mut out = std::io::Cursor::new(Vec::new());
    thumb.write_to(&mut out, image::ImageFormat::Png).ok()?;
    let bytes = out.into_inner();
    if let Some(dir) = cached.parent() {
        let _ = std::fs::create_dir_all(dir);
        let tmp = dir.join(format!(".{}.tmp", cached.file_name()?.to_string_lossy()));
        if std::fs::write(&tmp, &bytes).is_ok() {
            let _ = std::fs::rename(&tmp, cached);
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_neutralised() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(clean_filename("/abs/path/x.txt"), "x.txt");
        assert_eq!(clean_filename("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_filename("a\0b\r\nc.txt"), "abc.txt");
        assert_eq!(clean_filename("evil\u{202E}gnp.exe"), "evilgnp.exe");
        assert_eq!(clean_filename(".."), "attachment");
        assert_eq!(clean_filename("dir/"), "attachment");
        assert_eq!(clean_filename(""), "attachment");
        assert_eq!(clean_filename("résumé final.txt"), "résumé final.txt");
        assert_eq!(clean_filename(&"x".repeat(400)).len(), 255);
    }

    #[test]
    fn mime_types_are_sniffed_not_trusted() {
        assert_eq!(
            mime_type(b"\x89PNG\r\n\x1a\n....", Some("text/html"), "a.html"),
            "image/png"
        );
        assert_eq!(
            mime_type(b"<html>", Some("image/png"), "a.png"),
            "application/octet-stream"
        );
        assert_eq!(
            mime_type(b"hello", Some("text/plain; charset=utf-8"), "a"),
            "text/plain"
        );
        assert_eq!(mime_type(b"hello", None, "notes.txt"), "text/plain");
        assert_eq!(mime_type(b"PK\x03\x04", None, "a.bin"), "application/zip");
        assert_eq!(
            mime_type(b"hello", Some("bad type"), "x"),
            "application/octet-stream"
        );
    }

    #[test]
    fn human_sizes_read_as_jira_writes_them() {
        assert_eq!(human_size(0), "0.0 kB");
        assert_eq!(human_size(512), "0.5 kB");
        assert_eq!(human_size(1100), "1 kB");
        assert_eq!(human_size(122_000), "119 kB");
        assert_eq!(human_size(1_430_174), "1.36 MB");
    }
}
