//! Attachments: multipart upload (XSRF header, size limit, all-or-nothing), metadata,
//! download headers, thumbnails, content-hash storage with reference counts, zip
//! listings, permissions, changelog and `attachments IS [NOT] EMPTY`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{ADMIN_PASSWORD, Client, Reply, issue, project, server, user};

fn admin() -> Client {
    Client::admin()
}

/// A 300×150 RGB PNG (stored deflate blocks), so the thumbnail must be scaled down.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn adler(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            raw.extend_from_slice(&[(x % 256) as u8, (y % 256) as u8, 128]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        z.extend_from_slice(&(b.len() as u16).to_le_bytes());
        z.extend_from_slice(&(!(b.len() as u16)).to_le_bytes());
        z.extend_from_slice(b);
    }
    z.extend_from_slice(&adler(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A stored zip archive of the given files.
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(data.len() as u32).to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const BOUNDARY: &str = "tessera-test-boundary-7d2f";

/// A multipart/form-data body; each part is (field name, file name, content type, bytes).
fn multipart(parts: &[(&str, &str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, filename, ctype, data) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(format!("Content-Type: {ctype}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(c: &Client, key: &str, body: Vec<u8>, xsrf: bool) -> Reply {
    let mut req = c
        .http
        .post(format!("{}/rest/api/2/issue/{key}/attachments", c.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    if xsrf {
        req = req.header("X-Atlassian-Token", "no-check");
    }
    Reply::read(c.authorize(req).send().await.expect("request")).await
}

pub async fn attach(c: &Client, key: &str, parts: &[(&str, &str, &str, &[u8])]) -> Vec<Value> {
    let r = post_multipart(c, key, multipart(parts), true)
        .await
        .expect(200);
    r.body.as_array().expect("an array").clone()
}

/// Raw GET returning status, headers and bytes.
async fn fetch(c: &Client, url: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = c.http.get(url);
    if let Some((u, p)) = &c.auth {
        req = req.basic_auth(u, Some(p));
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().await.expect("bytes").to_vec())
}

fn blob_path(data: &[u8]) -> std::path::PathBuf {
    let hash: String = Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    server()
        .data_dir
        .join("attachments")
        .join(&hash[..2])
        .join(hash)
}

async fn search_keys(jql: &str) -> Vec<String> {
    let r = admin()
        .post(
            "/rest/api/2/search",
            json!({"jql": jql, "fields": ["summary"], "maxResults": 100}),
        )
        .await
        .expect(200);
    r.body["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| i["key"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

#[tokio::test]
async fn upload_several_files_then_read_download_and_search() {
    let p = project("ATUP").await;
    let key = issue(&p, "With attachments").await;
    let other = issue(&p, "Without attachments").await;
    let image = png(300, 150);
    let added = attach(
        &admin(),
        &key,
        &[
            ("file", "notes.txt", "text/plain", b"hello attachments"),
            ("file", "picture.png", "application/octet-stream", &image),
        ],
    )
    .await;
    assert_eq!(added.len(), 2);
    let (text, pic) = (&added[0], &added[1]);
    assert_eq!(text["filename"], "notes.txt");
    assert_eq!(text["size"], 17);
    assert_eq!(text["mimeType"], "text/plain");
    assert_eq!(text["author"]["name"], "admin");
    assert!(text["created"].as_str().is_some());
    assert!(text.get("thumbnail").is_none(), "no thumbnail for text");
    assert!(
        text["self"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rest/api/2/attachment/{}", id_of(text)))
    );
    assert_eq!(
        pic["mimeType"], "image/png",
        "sniffed, not the declared type"
    );
    assert!(pic["thumbnail"].as_str().is_some());

    // Metadata, and the issue's `attachment` field.
    let got = admin()
        .get(&format!("/rest/api/2/attachment/{}", id_of(text)))
        .await
        .expect(200)
        .body;
    assert_eq!(got["filename"], "notes.txt");
    assert_eq!(got["content"], text["content"]);
    let fields = admin()
        .get(&format!("/rest/api/2/issue/{key}?fields=attachment"))
        .await
        .expect(200)
        .body;
    let listed: Vec<&str> = fields["fields"]["attachment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["filename"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["notes.txt", "picture.png"]);

    // Downloads: text as an attachment, the PNG inline; always nosniff.
    let (status, h, bytes) = fetch(&admin(), text["content"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, b"hello attachments");
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt"
    );
    let (status, h, bytes) = fetch(&admin(), pic["content"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, image);
    assert_eq!(h["content-type"], "image/png");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline;")
    );

    // The thumbnail is a PNG scaled into 200×200, keeping the aspect ratio.
    let (status, h, thumb) = fetch(&admin(), pic["thumbnail"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "image/png");
    assert!(thumb.starts_with(b"\x89PNG\r\n\x1a\n"));
    let w = u32::from_be_bytes(thumb[16..20].try_into().unwrap());
    let hgt = u32::from_be_bytes(thumb[20..24].try_into().unwrap());
    assert_eq!((w, hgt), (200, 100));
    // Served again from the cache, identically.
    let (_, _, again) = fetch(&admin(), pic["thumbnail"].as_str().unwrap()).await;
    assert_eq!(again, thumb);

    // Anonymous callers may not read attachments of a private project.
    let (status, _, _) = fetch(&Client::anonymous(), text["content"].as_str().unwrap()).await;
    assert!(status == 403 || status == 401, "got {status}");

    // The changelog records each file as Jira does.
    let log = admin()
        .get(&format!("/rest/api/2/issue/{key}/changelog"))
        .await
        .expect(200)
        .body;
    let items: Vec<&Value> = log["values"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .filter(|i| i["field"] == "Attachment")
        .collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["to"], id_of(text));
    assert_eq!(items[0]["toString"], "notes.txt");

    // Search sees them through the index.
    let with = search_keys(&format!("project = {p} AND attachments IS NOT EMPTY")).await;
    assert_eq!(with, [key]);
    let without = search_keys(&format!("project = {p} AND attachments IS EMPTY")).await;
    assert_eq!(without, [other]);
}

#[tokio::test]
async fn upload_needs_the_xsrf_header_and_a_file() {
    let p = project("ATXS").await;
    let key = issue(&p, "XSRF").await;
    let r = post_multipart(
        &admin(),
        &key,
        multipart(&[("file", "a.txt", "text/plain", b"x")]),
        false,
    )
    .await
    .expect(403);
    assert_eq!(r.body["errorMessages"], json!(["XSRF check failed"]));
    // Parts not named `file` are ignored; no file at all is a 400.
    let r = post_multipart(
        &admin(),
        &key,
        multipart(&[("other", "a.txt", "text/plain", b"x")]),
        true,
    )
    .await
    .expect(400);
    r.jira_error();
    let r = admin()
        .raw(
            reqwest::Method::POST,
            &format!("/rest/api/2/issue/{key}/attachments"),
            "application/json",
            "{}",
        )
        .await;
    assert_eq!(r.status, 403, "no XSRF header: {}", r.text);
    let fields = admin()
        .get(&format!("/rest/api/2/issue/{key}?fields=attachment"))
        .await
        .expect(200)
        .body;
    assert_eq!(fields["fields"]["attachment"], json!([]));
    // Unknown issues answer 404.
    let r = post_multipart(
        &admin(),
        &format!("{p}-999"),
        multipart(&[("file", "a.txt", "text/plain", b"x")]),
        true,
    )
    .await
    .expect(404);
    r.jira_error();
}

#[tokio::test]
async fn meta_reports_the_upload_limit() {
    let r = admin().get("/rest/api/2/attachment/meta").await.expect(200);
    assert_eq!(
        r.body,
        json!({"enabled": true, "uploadLimit": 10 * 1024 * 1024})
    );
}

#[tokio::test]
async fn oversized_upload_is_413_and_stores_nothing() {
    let p = project("ATBIG").await;
    let key = issue(&p, "Too big").await;
    let small = b"fits easily, but goes with the request".to_vec();
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let r = post_multipart(
        &admin(),
        &key,
        multipart(&[
            ("file", "small.txt", "text/plain", &small),
            ("file", "big.bin", "application/octet-stream", &big),
        ]),
        true,
    )
    .await
    .expect(413);
    assert!(r.jira_error().contains("big.bin"), "{}", r.text);
    let fields = admin()
        .get(&format!("/rest/api/2/issue/{key}?fields=attachment"))
        .await
        .expect(200)
        .body;
    assert_eq!(fields["fields"]["attachment"], json!([]));
    assert!(!blob_path(&small).exists(), "nothing stored");
    assert!(!blob_path(&big).exists(), "nothing stored");
    let log = admin()
        .get(&format!("/rest/api/2/issue/{key}/changelog"))
        .await
        .expect(200)
        .body;
    assert_eq!(log["total"], 0);
}

#[tokio::test]
async fn identical_content_is_stored_once_and_removed_with_its_last_reference() {
    let p = project("ATDUP").await;
    let a = issue(&p, "First").await;
    let b = issue(&p, "Second").await;
    let content = format!("shared content of {p}").into_bytes();
    let first = attach(&admin(), &a, &[("file", "one.txt", "text/plain", &content)]).await;
    let second = attach(&admin(), &b, &[("file", "two.txt", "text/plain", &content)]).await;
    let path = blob_path(&content);
    assert!(path.exists(), "stored under its hash: {}", path.display());

    admin()
        .delete(&format!("/rest/api/2/attachment/{}", id_of(&first[0])))
        .await
        .expect(204);
    admin()
        .get(&format!("/rest/api/2/attachment/{}", id_of(&first[0])))
        .await
        .expect(404)
        .jira_error();
    assert!(path.exists(), "still used by the second attachment");
    let (status, _, bytes) = fetch(&admin(), second[0]["content"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, content);

    // Deleting the issue drops its attachments and then the unused content.
    admin()
        .delete(&format!("/rest/api/2/issue/{b}"))
        .await
        .expect(204);
    assert!(!path.exists(), "removed with the last reference");

    // The deletion was recorded on the first issue.
    let log = admin()
        .get(&format!("/rest/api/2/issue/{a}/changelog"))
        .await
        .expect(200)
        .body;
    let last = log["values"].as_array().unwrap().last().unwrap()["items"][0].clone();
    assert_eq!(last["field"], "Attachment");
    assert_eq!(last["fromString"], "one.txt");
    assert_eq!(last["to"], Value::Null);
}

#[tokio::test]
async fn client_file_names_never_become_paths() {
    let p = project("ATPATH").await;
    let key = issue(&p, "Traversal").await;
    let added = attach(
        &admin(),
        &key,
        &[
            ("file", "../../escape.txt", "text/plain", b"1"),
            ("file", "..\\..\\win.txt", "text/plain", b"2"),
            ("file", "/etc/passwd", "text/plain", b"3"),
            ("file", "tab\there.txt", "text/plain", b"4"),
            ("file", "..", "text/plain", b"5"),
        ],
    )
    .await;
    let names: Vec<&str> = added
        .iter()
        .map(|a| a["filename"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "escape.txt",
            "win.txt",
            "passwd",
            "tabhere.txt",
            "attachment"
        ]
    );
    let data = &server().data_dir;
    assert!(!data.join("escape.txt").exists());
    assert!(!data.parent().unwrap().join("escape.txt").exists());
    assert!(!data.join("attachments").join("passwd").exists());
}

#[tokio::test]
async fn html_and_svg_are_never_served_inline() {
    let p = project("ATHTML").await;
    let key = issue(&p, "Active content").await;
    let added = attach(
        &admin(),
        &key,
        &[
            (
                "file",
                "page.html",
                "text/html",
                b"<script>alert(1)</script>",
            ),
            (
                "file",
                "drawing.svg",
                "image/svg+xml",
                b"<svg onload=\"alert(1)\"/>",
            ),
            ("file", "fake.png", "image/png", b"<html>not a png</html>"),
            ("file", "r\u{e9}sum\u{e9}.txt", "text/plain", b"utf8"),
        ],
    )
    .await;
    for a in &added[..3] {
        let (status, h, _) = fetch(&admin(), a["content"].as_str().unwrap()).await;
        assert_eq!(status, 200);
        let disposition = h["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
    assert_eq!(added[2]["mimeType"], "application/octet-stream");
    assert!(added[2].get("thumbnail").is_none());
    let (_, h, _) = fetch(&admin(), added[3]["content"].as_str().unwrap()).await;
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"
    );
}

#[tokio::test]
async fn zip_archives_expand_for_humans_and_machines() {
    let p = project("ATZIP").await;
    let key = issue(&p, "Archive").await;
    let archive = zip(&[
        ("docs/", b""),
        ("docs/readme.txt", b"read me"),
        ("image.png", &[0u8; 2048]),
    ]);
    let added = attach(
        &admin(),
        &key,
        &[
            ("file", "bundle.zip", "application/zip", &archive),
            ("file", "plain.txt", "text/plain", b"not an archive"),
            (
                "file",
                "broken.zip",
                "application/zip",
                b"PK\x03\x04 truncated",
            ),
        ],
    )
    .await;
    let id = id_of(&added[0]);
    let human = admin()
        .get(&format!("/rest/api/2/attachment/{id}/expand/human"))
        .await
        .expect(200)
        .body;
    assert_eq!(
        human,
        json!({"id": id.parse::<i64>().unwrap(), "name": "bundle.zip", "totalEntryCount": 2, "mediaType": "application/zip",
               "entries": [
                   {"index": 0, "path": "docs/readme.txt", "label": "docs/readme.txt", "size": "0.0 kB", "mediaType": "text/plain"},
                   {"index": 1, "path": "image.png", "label": "image.png", "size": "2 kB", "mediaType": "image/png"}]})
    );
    let raw = admin()
        .get(&format!("/rest/api/2/attachment/{id}/expand/raw"))
        .await
        .expect(200)
        .body;
    assert_eq!(
        raw,
        json!({"totalEntryCount": 2, "entries": [
            {"entryIndex": 0, "name": "docs/readme.txt", "size": 7, "mediaType": "text/plain"},
            {"entryIndex": 1, "name": "image.png", "size": 2048, "mediaType": "image/png"}]})
    );
    // Not an archive: 409; a corrupt archive: no entries.
    admin()
        .get(&format!(
            "/rest/api/2/attachment/{}/expand/raw",
            id_of(&added[1])
        ))
        .await
        .expect(409)
        .jira_error();
    let broken = admin()
        .get(&format!(
            "/rest/api/2/attachment/{}/expand/human",
            id_of(&added[2])
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(broken["entries"], json!([]));
    assert_eq!(broken["totalEntryCount"], 0);
    admin()
        .get("/rest/api/2/attachment/99999999/expand/raw")
        .await
        .expect(404)
        .jira_error();
}

#[tokio::test]
async fn permissions_on_attachments() {
    let p = project("ATPERM").await;
    let key = issue(&p, "Who may").await;
    let (a, apw) = user("atpa").await;
    let (b, bpw) = user("atpb").await;
    let alice = Client::basic(&a, &apw);
    let bob = Client::basic(&b, &bpw);
    let mine = attach(&alice, &key, &[("file", "alice.txt", "text/plain", b"a")]).await;
    assert_eq!(mine[0]["author"]["name"], a.as_str());
    let path = format!("/rest/api/2/attachment/{}", id_of(&mine[0]));

    // Bob (a member) reads it but may not delete Alice's attachment.
    bob.get(&path).await.expect(200);
    bob.delete(&path).await.expect(403).jira_error();
    // Alice deletes her own.
    alice.delete(&path).await.expect(204);
    alice.delete(&path).await.expect(404).jira_error();
    admin()
        .get("/rest/api/2/attachment/notanumber")
        .await
        .expect(404)
        .jira_error();

    // Outside the project's roles: the issue is invisible and its attachments forbidden.
    let theirs = attach(&admin(), &key, &[("file", "team.txt", "text/plain", b"t")]).await;
    admin()
        .delete(&format!(
            "/rest/api/2/project/{p}/role/10003?group=jira-users"
        ))
        .await
        .expect(204);
    let r = post_multipart(
        &bob,
        &key,
        multipart(&[("file", "x.txt", "text/plain", b"x")]),
        true,
    )
    .await
    .expect(404);
    r.jira_error();
    bob.get(&format!("/rest/api/2/attachment/{}", id_of(&theirs[0])))
        .await
        .expect(403)
        .jira_error();
    let (status, _, body) = fetch(&bob, theirs[0]["content"].as_str().unwrap()).await;
    assert_eq!(status, 403);
    assert_ne!(body, b"t");
    // Unauthenticated upload: 401.
    let anon = Client::basic("admin", &format!("{ADMIN_PASSWORD}-wrong"));
    let r = post_multipart(
        &anon,
        &key,
        multipart(&[("file", "x.txt", "text/plain", b"x")]),
        true,
    )
    .await;
    assert_eq!(r.status, 401);
}
