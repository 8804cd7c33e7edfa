//! Attachment storage after an interrupted run: a start removes upload temporary files
//! and blob files no attachment references, and keeps every referenced blob.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::attachments::attach;
use crate::common::{ADMIN_PASSWORD, Client, issue_with, start_server, unique_key};

/// Blob files under `attachments/<two hex>/`.
fn blobs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        let name = dir.file_name().to_string_lossy().to_string();
        if name.len() == 2 && dir.path().is_dir() {
            out.extend(
                std::fs::read_dir(dir.path())
                    .unwrap()
                    .flatten()
                    .map(|f| f.path()),
            );
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_start_removes_upload_leftovers_and_orphan_blobs_and_keeps_referenced_ones() {
    let started = start_server();
    let c = Client::admin().on(&started.server);
    let key = unique_key("ATS");
    c.post(
        "/rest/api/2/project",
        json!({"key": key, "name": "Storage", "projectTypeKey": "software"}),
    )
    .await
    .expect(201);
    let issue = issue_with(&c, &key, "with a file").await;
    let content: &[u8] = b"kept across restarts";
    attach(&c, &issue, &[("file", "kept.txt", "text/plain", content)]).await;

    let root = started.server.data_dir.join("attachments");
    let kept = blobs(&root);
    assert_eq!(kept.len(), 1, "{kept:?}");
    // What a kill -9 leaves: an upload being received, a thumbnail being written, and a
    // blob renamed into place whose row never committed.
    std::fs::create_dir_all(root.join("tmp")).unwrap();
    let upload_tmp = root
        .join("tmp")
        .join("upload-00112233445566778899aabbccddeeff");
    std::fs::write(&upload_tmp, vec![7u8; 4096]).unwrap();
    std::fs::create_dir_all(root.join("thumbs")).unwrap();
    let thumb_tmp = root.join("thumbs").join(".abc.png.tmp");
    std::fs::write(&thumb_tmp, b"partial").unwrap();
    let orphan_hash = "ab".repeat(32);
    std::fs::create_dir_all(root.join("ab")).unwrap();
    let orphan = root.join("ab").join(&orphan_hash);
    std::fs::write(&orphan, b"no row points here").unwrap();

    // Start again on the same data directory (the first server's indexer stops, so the
    // second may take the index writer).
    started.server.app.search.stop_indexer();
    let dir = started.server.data_dir.clone();
    std::thread::spawn(move || {
        let mut config = tessera::config::Config::new(dir);
        config.admin_password = Some(ADMIN_PASSWORD.to_string());
        tessera::service::Services::open(config).expect("reopen")
    })
    .join()
    .expect("open thread");

    assert!(!upload_tmp.exists(), "the upload temporary file is gone");
    assert!(!thumb_tmp.exists(), "the thumbnail temporary file is gone");
    assert!(!orphan.exists(), "the orphan blob is gone");
    assert_eq!(blobs(&root), kept, "the referenced blob stays");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), content);
}
