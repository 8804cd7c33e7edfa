//! Housekeeping at start-up: recovery of the attachment folders after a crash.

use std::path::Path;

use crate::error::Result;
use crate::service::blobs::{sweep, thumbnail_path};
use crate::store::queries::attachments as q;

/// Clears what a killed process left in the attachment folders: upload and thumbnail
/// temporary files, blob rows no attachment uses, and blob files without a referenced
/// row (renamed into place by an upload whose transaction never committed).
///
/// Only at start, before the server takes requests: an upload renames its blob before
/// its row commits, so a sweep of files beside running uploads could take one of theirs.
/// Runs inside a writer job, serialised with any write all the same.
pub fn recover_storage(store: &crate::store::Store, root: &Path) -> Result<()> {
    let mut removed = 0usize;
    for dir in [root.join("tmp"), root.join("thumbs")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let temporary = dir.ends_with("tmp") || name.ends_with(".tmp");
            if temporary && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
    }
    let root = root.to_path_buf();
    let orphans = store.write_blocking(move |db| {
        sweep(db, &root)?;
        let referenced: std::collections::HashSet<String> =
            q::referenced_hashes(db)?.into_iter().collect();
        let mut orphans = 0usize;
        let Ok(dirs) = std::fs::read_dir(&root) else {
            return Ok(0);
        };
        for dir in dirs.flatten() {
            let name = dir.file_name().to_string_lossy().to_string();
            // Blob folders are the first two hex digits of the hash; nothing else.
            if name.len() != 2 || !name.chars().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for file in files.flatten() {
                let hash = file.file_name().to_string_lossy().to_string();
                if referenced.contains(&hash) {
                    continue;
                }
                for path in [file.path(), thumbnail_path(&root, &hash)] {
                    let _ = std::fs::remove_file(path);
                }
                orphans += 1;
            }
        }
        Ok(orphans)
    })?;
    if removed + orphans > 0 {
        tracing::info!(
            temporary = removed,
            orphan_blobs = orphans,
            "removed attachment files left by an interrupted run"
        );
    }
    Ok(())
}
