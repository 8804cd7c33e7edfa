//! The content store of attachments: files under the data directory named by content
//! hash, and the sweep that removes content no attachment uses any more. Kept apart
//! from the attachment service so that issues (which sweep after a delete) and
//! attachments both build on it without needing each other.

use std::path::{Path, PathBuf};

use crate::store::queries::attachments as q;
use crate::store::{Store, StoreResult, Tx};

/// Where a blob's content lives: under a folder named by the hash's first two digits.
pub(crate) fn blob_path(root: &Path, sha256: &str) -> PathBuf {
    root.join(sha256.get(..2).unwrap_or("00")).join(sha256)
}

pub(crate) fn thumbnail_path(root: &Path, sha256: &str) -> PathBuf {
    root.join("thumbs").join(format!("{sha256}.png"))
}

/// Removes unreferenced blob rows and their files (and cached thumbnails). Runs inside
/// a writer job.
pub(crate) fn sweep(db: &Tx, root: &Path) -> StoreResult<()> {
    for hash in q::take_unreferenced(db)? {
        for path in [blob_path(root, &hash), thumbnail_path(root, &hash)] {
            if let Err(e) = std::fs::remove_file(&path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(error = %e, "cannot remove an unreferenced attachment file");
            }
        }
    }
    Ok(())
}

/// The content store of attachments: files under the data directory named by content
/// hash. Issues hold this (not the attachment service) to drop content after a delete.
pub struct Blobs {
    store: Store,
    root: std::path::PathBuf,
}

impl Blobs {
    pub(super) fn new(store: Store, root: std::path::PathBuf) -> Blobs {
        Blobs { store, root }
    }

    /// Removes content that no attachment uses any more.
    pub async fn sweep(&self) {
        let root = self.root.clone();
        if let Err(e) = self.store.write(move |db| sweep(db, &root)).await {
            tracing::warn!(error = %e, "attachment sweep failed");
        }
    }
}
