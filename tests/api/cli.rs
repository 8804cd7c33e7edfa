//! The `tessera` binary itself: first start, admin commands, graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tessera");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("TESSERA_DATA_DIR", dir)
        .env_remove("TESSERA_ADMIN_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .expect("run tessera");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// Starts `serve`, returns the child and the lines it printed until it listens.
fn serve(dir: &std::path::Path, port: u16) -> (std::process::Child, Vec<String>) {
    serve_with(dir, port, &[])
}

fn serve_with(
    dir: &std::path::Path,
    port: u16,
    extra: &[&str],
) -> (std::process::Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .env("TESSERA_DATA_DIR", dir)
        .env_remove("TESSERA_ADMIN_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    let mut reader = BufReader::new(stdout);
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        let done = line.contains("listening on");
        lines.push(line.trim_end().to_string());
        if done {
            // Keep draining in the background so the child never blocks on a full pipe.
            std::thread::spawn(move || for _ in reader.lines() {});
            break;
        }
    }
    (child, lines)
}

fn wait_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server did not start");
}

fn terminate(child: &mut std::process::Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = child.try_wait().expect("wait") {
            return s;
        }
        assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn first_start_prints_the_admin_once_and_sigterm_keeps_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, lines) = serve(dir.path(), port);
    let password = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("password: ").map(String::from))
        .unwrap_or_else(|| panic!("no generated password in {lines:?}"));
    assert!(
        lines.iter().any(|l| l.contains("username: admin")),
        "{lines:?}"
    );
    wait_ready(port);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{base}/rest/api/2/project"))
        .basic_auth("admin", Some(&password))
        .json(&serde_json::json!({"key": "CLI", "name": "Command line"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // Fire a burst of creates and stop the server while they are in flight: every
    // create that was acknowledged must be there after a restart.
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (http, base, password) = (http.clone(), base.clone(), password.clone());
        tasks.push(tokio::spawn(async move {
            let r = http
                .post(format!("{base}/rest/api/2/issue"))
                .basic_auth("admin", Some(&password))
                .json(&serde_json::json!({"fields": {"project": {"key": "CLI"}, "summary": format!("burst {i}"), "issuetype": {"name": "Task"}}}))
                .send()
                .await;
            match r {
                Ok(r) if r.status() == 201 => r.json::<serde_json::Value>().await.ok().and_then(|v| v["key"].as_str().map(String::from)),
                _ => None,
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    let status = terminate(&mut child);
    assert!(status.success(), "graceful exit, got {status:?}");
    let acknowledged: Vec<String> = futures_join(tasks).await.into_iter().flatten().collect();

    // Restart: no password printed again; every acknowledged issue exists and is found.
    let port = free_port();
    let (mut child, lines) = serve(dir.path(), port);
    assert!(!lines.iter().any(|l| l.contains("password")), "{lines:?}");
    wait_ready(port);
    let base = format!("http://127.0.0.1:{port}");
    for key in &acknowledged {
        let r = http
            .get(format!("{base}/rest/api/2/issue/{key}"))
            .basic_auth("admin", Some(&password))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{key} was acknowledged but is gone");
    }
    let found = search_total(port, &password, "project = CLI").await;
    assert!(found >= acknowledged.len() as u64, "{found} found");
    assert!(terminate(&mut child).success());
}

#[tokio::test]
async fn serve_demo_fills_a_new_data_directory_once_and_indexes_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, lines) = serve_with(dir.path(), port, &["--demo"]);
    assert!(
        lines
            .iter()
            .any(|l| l == "Demo data: generated 150 issues."),
        "{lines:?}"
    );
    let password = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("password: ").map(String::from))
        .unwrap_or_else(|| panic!("no generated password in {lines:?}"));
    wait_ready(port);
    // The index is rebuilt in the background after the load.
    let deadline = Instant::now() + Duration::from_secs(30);
    while search_total(port, &password, "project = PAY").await < 50 {
        assert!(
            Instant::now() < deadline,
            "the demo issues were never indexed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        search_total(port, &password, "project in (PAY, MOB, WEB)").await,
        150
    );
    assert!(terminate(&mut child).success());

    // A data directory with projects is never filled again.
    let port = free_port();
    let (mut child, lines) = serve_with(dir.path(), port, &["--demo"]);
    assert!(!lines.iter().any(|l| l.contains("Demo data")), "{lines:?}");
    wait_ready(port);
    assert_eq!(
        search_total(port, &password, "project in (PAY, MOB, WEB)").await,
        150
    );
    assert!(terminate(&mut child).success());
}

async fn search_total(port: u16, password: &str, jql: &str) -> u64 {
    let r: serde_json::Value = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/rest/api/2/search"))
        .basic_auth("admin", Some(password))
        .json(&serde_json::json!({"jql": jql, "maxResults": 0}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["total"].as_u64().unwrap_or(0)
}

async fn futures_join<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[test]
fn admin_commands_create_users_tokens_and_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(dir.path(), &["migrate"]);
    assert!(ok, "{err}");
    assert!(out.contains("up to date"), "{out}");
    let (ok, out, err) = run(
        dir.path(),
        &[
            "user",
            "create",
            "--username",
            "ann",
            "--email",
            "ann@example.com",
            "--display-name",
            "Ann",
            "--password",
            "ann-password-1",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Created user ann"), "{out}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "user",
            "create",
            "--username",
            "ann",
            "--email",
            "ann2@example.com",
            "--display-name",
            "Ann",
            "--password",
            "x-password-2",
        ],
    );
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, out, err) = run(
        dir.path(),
        &[
            "token",
            "create",
            "--user",
            "ann",
            "--label",
            "laptop",
            "--scopes",
            "issues:read",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.trim().starts_with("tsr_"), "{out}");
    let (ok, _, err) = run(
        dir.path(),
        &["token", "create", "--user", "nobody", "--label", "x"],
    );
    assert!(!ok && err.contains("no user named"), "{err}");
    let (ok, _, err) = run(
        dir.path(),
        &[
            "user",
            "set-password",
            "--username",
            "ann",
            "--password",
            "short",
        ],
    );
    assert!(!ok && err.contains("at least 8"), "{err}");
    let (ok, out, err) = run(
        dir.path(),
        &[
            "user",
            "set-password",
            "--username",
            "ann",
            "--password",
            "a-longer-password",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("Password changed"), "{out}");
    // Nothing secret ends up in the database in clear text.
    let db = std::fs::read(dir.path().join("tessera.db")).unwrap();
    let text = String::from_utf8_lossy(&db);
    assert!(!text.contains("a-longer-password") && !text.contains("ann-password-1"));
    let (ok, out, err) = run(dir.path(), &["reindex"]);
    assert!(ok, "{err}");
    assert!(out.contains("Reindexed 0 issues"), "{out}");
}

/// Runs `serve` with the given log format, makes one authenticated request, stops the
/// server and returns what it wrote to standard error (a pipe, not a terminal).
async fn server_log(format: Option<&str>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut command = Command::new(BIN);
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("TESSERA_DATA_DIR", dir.path())
        .env("TESSERA_ADMIN_PASSWORD", "log-test-secret-pw")
        .env_remove("TESSERA_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    match format {
        Some(f) => command.env("TESSERA_LOG_FORMAT", f),
        None => command.env_remove("TESSERA_LOG_FORMAT"),
    };
    let mut child = command.spawn().expect("spawn");
    let stderr = child.stderr.take().unwrap();
    let collected = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut all);
        all
    });
    wait_ready(port);
    let r = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/rest/api/2/myself"))
        .basic_auth("admin", Some("log-test-secret-pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(terminate(&mut child).success());
    collected.join().expect("stderr reader")
}

#[tokio::test]
async fn logs_have_no_colour_off_a_terminal_and_json_on_request() {
    let plain = server_log(None).await;
    assert!(plain.contains("/rest/api/2/myself"), "{plain}");
    assert!(
        !plain.contains('\u{1b}'),
        "escape codes in a piped log: {plain:?}"
    );

    let json = server_log(Some("json")).await;
    assert!(
        !json.contains("log-test-secret-pw"),
        "a credential was logged"
    );
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: not JSON: {l}")))
        .collect();
    let request = lines
        .iter()
        .find(|l| l["route"] == "/rest/api/2/myself")
        .unwrap_or_else(|| panic!("no request line in {json}"));
    assert_eq!(request["level"], "INFO", "{request}");
    assert_eq!(request["method"], "GET", "{request}");
    assert_eq!(request["status"], 200, "{request}");
    assert!(request["timestamp"].is_string(), "{request}");
    assert!(request["latency_us"].is_u64(), "{request}");
    assert!(request["request_id"].is_string(), "{request}");
    assert!(request["user_id"].is_i64(), "{request}");
}

/// What a data directory holds, row by row, to compare two generated sets (without
/// times: they are relative to when the set was made).
fn dump(dir: &std::path::Path) -> Vec<String> {
    let db = rusqlite::Connection::open(dir.join("tessera.db")).expect("open db");
    let mut rows = Vec::new();
    for sql in [
        "SELECT key || '|' || summary || '|' || coalesce(description, '') || '|' || status_id || '|' || coalesce(assignee_id, 0) || '|' || coalesce(parent_id, 0) FROM issues ORDER BY id",
        "SELECT issue_id || '|' || author_id || '|' || body FROM comments ORDER BY id",
        "SELECT issue_id || '|' || label FROM issue_labels ORDER BY issue_id, label",
        "SELECT issue_id || '|' || filename FROM attachments ORDER BY id",
        "SELECT username || '|' || display_name FROM users ORDER BY id",
    ] {
        let mut stmt = db.prepare(sql).expect(sql);
        let found: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .expect(sql)
            .collect::<Result<_, _>>()
            .expect(sql);
        rows.extend(found);
    }
    rows
}

#[tokio::test]
async fn demo_generates_a_realistic_tracker_deterministically_that_serves() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "demo",
        "--issues",
        "400",
        "--projects",
        "4",
        "--users",
        "20",
        "--seed",
        "5",
    ];
    let (ok, out, err) = run(dir.path(), &args);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("Generated 400 issues in 4 projects for 20 people and indexed 400"),
        "{out}"
    );
    assert!(
        err.contains("100%  400/400 issues written"),
        "progress: {err}"
    );
    let password = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("password: ").map(String::from))
        .unwrap_or_else(|| panic!("no generated password in {out}"));

    // The same seed gives the same data; the directory is filled only once.
    let again = tempfile::tempdir().unwrap();
    let (ok, out2, err2) = run(again.path(), &args);
    assert!(ok, "{out2}{err2}");
    let first = dump(dir.path());
    assert!(first.len() > 400, "{} rows", first.len());
    let second = dump(again.path());
    let differs = first.iter().zip(&second).find(|(a, b)| a != b);
    assert!(
        differs.is_none() && first.len() == second.len(),
        "same seed, same data: {differs:?}"
    );
    let (ok, _, err) = run(dir.path(), &["demo", "--issues", "10"]);
    assert!(!ok && err.contains("already has projects"), "{err}");

    let port = free_port();
    let (mut child, _) = serve(dir.path(), port);
    wait_ready(port);
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let req = http
            .get(format!("http://127.0.0.1:{port}{path}"))
            .basic_auth("admin", Some(&password));
        async move {
            req.send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    // Real-sounding, distinct project names, without generated numbers.
    let projects = get("/rest/api/2/project").await;
    let names: std::collections::BTreeSet<String> = projects
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        names.iter().all(|n| !n.contains(char::is_numeric)),
        "{names:?}"
    );
    assert_eq!(search_total(port, &password, "order by key").await, 400);

    // A few labels, used again and again; people with names.
    let r: serde_json::Value = http
        .post(format!("http://127.0.0.1:{port}/rest/api/2/search"))
        .basic_auth("admin", Some(&password))
        .json(&serde_json::json!({"jql": "order by key", "maxResults": 400, "fields": ["labels", "assignee", "description"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let issues = r["issues"].as_array().expect("issues");
    let labels: Vec<&str> = issues
        .iter()
        .flat_map(|i| i["fields"]["labels"].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap())
        .collect();
    let distinct: std::collections::BTreeSet<&str> = labels.iter().copied().collect();
    assert!(
        distinct.len() <= 12 && labels.len() >= distinct.len() * 5,
        "{} uses of {distinct:?}",
        labels.len()
    );
    let assignee = issues
        .iter()
        .find_map(|i| i["fields"]["assignee"]["displayName"].as_str())
        .expect("someone is assigned");
    assert!(
        assignee.contains(' ') && !assignee.contains(char::is_numeric),
        "{assignee}"
    );
    assert!(
        issues.iter().any(|i| i["fields"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("h3. "))),
        "descriptions in wiki markup"
    );

    // Epics with children, a spread of statuses, threads, attachments.
    for (jql, at_least) in [
        ("issuetype = Epic", 4),
        ("parent is not empty", 40),
        ("statusCategory = Done", 40),
        ("status = \"In Progress\"", 10),
        ("statusCategory != Done", 40),
        ("priority = Medium", 100),
        ("priority = High", 10),
        ("attachments is not empty", 5),
        ("comment ~ \"staging\"", 5),
    ] {
        let n = search_total(port, &password, jql).await;
        assert!(n >= at_least && n < 400, "{jql}: {n}");
    }
    // Attachments are real files in the content store.
    let r: serde_json::Value = http
        .post(format!("http://127.0.0.1:{port}/rest/api/2/search"))
        .basic_auth("admin", Some(&password))
        .json(&serde_json::json!({"jql": "attachments is not empty", "maxResults": 1, "fields": ["attachment"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let attachment = &r["issues"][0]["fields"]["attachment"][0];
    let content = http
        .get(attachment["content"].as_str().expect("content link"))
        .basic_auth("admin", Some(&password))
        .send()
        .await
        .unwrap();
    assert_eq!(content.status(), 200, "{attachment}");
    assert_eq!(
        content.bytes().await.unwrap().len() as u64,
        attachment["size"].as_u64().unwrap()
    );
    assert!(terminate(&mut child).success());
}
