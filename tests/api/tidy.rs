//! Tidy checks over the source tree: the layering the codemap in `src/lib.rs` promises,
//! and the codemap itself. They read files, so they run in milliseconds and fail with
//! the file and line that broke a rule.
//!
//! | rule | where |
//! |---|---|
//! | rusqlite is named only in `src/store/` | every source file |
//! | the store re-exports no rusqlite item, and nothing outside it names a connection, transaction, row or statement | `src/store/`; every other source file |
//! | tantivy is named only in `src/search/` | every source file |
//! | the index writer is opened only by the indexer job | all but `src/search/`, `src/jobs/` |
//! | `crate::store` / `crate::search` are not named in `src/api/` | `src/api/` |
//! | services hand surfaces no store rows: no `pub use` of a store item | `src/service/` |
//! | `crate::api` is not named below the surfaces | service, store, search, jobs, jql, domain, markup, auth |
//! | no I/O (files, network, processes, tokio, rusqlite, tantivy) | `src/jql/`, `src/domain/`, `src/markup/` |
//! | no `Serialize` derived on a domain type | `src/domain/` |
//! | time is read only through the store's clock (no `SystemTime::now`, `now_utc`, `system_now`) | every source file but `src/domain/time.rs` |
//! | a bean becomes JSON only through `dto::to_json` (a failure is a 500, never a silent `null`) | every source file but `src/api/jira/dto.rs` |
//! | no import circles between service areas (`service/<area>` naming another area, and back) | `src/service/` |
//! | every top-level module is in the codemap, and every path it names exists | `src/lib.rs` |

use std::path::{Path, PathBuf};

/// Known breaks of a rule, each to be removed by the change that mends it: the test
/// fails when one of these no longer breaks its rule, so the list only shrinks.
const KNOWN: &[(&str, &str)] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line: without a trailing `//` comment and with string literals
/// blanked, so prose and test data naming a crate do not count.
fn code_of(line: &str) -> String {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") {
        return String::new();
    }
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    in_string = false;
                    out.push('"');
                }
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push('"');
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

/// Every `(file, line number, line)` under `src/<dir>` whose code names one of `needles`.
fn naming(dirs: &[&str], needles: &[&str]) -> Vec<(String, usize, String)> {
    let mut files = Vec::new();
    for dir in dirs {
        sources(&root().join("src").join(dir), &mut files);
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let rel = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            if let Some(needle) = needles.iter().find(|w| contains_word(&code, w)) {
                found.push((rel.clone(), n + 1, needle.to_string()));
            }
        }
    }
    found
}

/// `needle` as a path or word, not inside a longer identifier (`tokio` but not
/// `my_tokio_thing`).
fn contains_word(code: &str, needle: &str) -> bool {
    code.match_indices(needle).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + needle.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

/// The breaks of a rule, less the known ones; and the known ones that no longer break.
fn check(rule: &str, found: Vec<(String, usize, String)>) -> Vec<String> {
    let mut problems: Vec<String> = found
        .iter()
        .filter(|(file, _, needle)| !KNOWN.contains(&(file.as_str(), needle.as_str())))
        .map(|(file, line, needle)| format!("{file}:{line} names {needle} ({rule})"))
        .collect();
    problems.sort();
    problems.dedup();
    problems
}

fn everywhere_but(except: &str) -> Vec<&'static str> {
    let mut dirs = Vec::new();
    let Ok(entries) = std::fs::read_dir(root().join("src")) else {
        return dirs;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name != except {
            dirs.push(Box::leak(name.into_boxed_str()) as &'static str);
        }
    }
    dirs
}

#[test]
fn layers_stay_sealed() {
    let mut problems = Vec::new();
    problems.extend(check(
        "only store/ touches SQLite",
        naming(&everywhere_but("store"), &["rusqlite"]),
    ));
    problems.extend(check(
        "the store hands out its own handles (Db, Tx), never rusqlite's",
        naming(
            &["store"],
            &["pub use rusqlite", "pub type Db", "Connection as"],
        ),
    ));
    problems.extend(check(
        "nothing outside store/ holds a connection or its rows",
        naming(
            &everywhere_but("store"),
            &[
                "Connection",
                "Transaction",
                "Savepoint",
                "Statement",
                "CachedStatement",
                "OptionalExtension",
                "ToSql",
                "FromSql",
                "params!",
                "store::Row",
                "store::Value",
                "store::params",
            ],
        ),
    ));
    problems.extend(check(
        "only search/ touches tantivy",
        naming(&everywhere_but("search"), &["tantivy"]),
    ));
    let outside_jobs: Vec<&str> = everywhere_but("search")
        .into_iter()
        .filter(|d| *d != "jobs")
        .collect();
    problems.extend(check(
        "only the indexer job writes the index",
        naming(&outside_jobs, &["search::Writer", "Writer::open"]),
    ));
    problems.extend(check(
        "services hand surfaces their own types, not store rows",
        naming(
            &["service", "auth"],
            &["pub use crate::store", "pub use super::store"],
        ),
    ));
    problems.extend(check(
        "surfaces go through services",
        naming(&["api"], &["crate::store", "crate::search"]),
    ));
    problems.extend(check(
        "nothing below the surfaces knows them",
        naming(
            &[
                "service", "store", "search", "jobs", "jql", "domain", "markup", "auth",
            ],
            &["crate::api"],
        ),
    ));
    problems.extend(check(
        "jql, domain and markup do no I/O",
        naming(
            &["jql", "domain", "markup"],
            &[
                "std::fs",
                "std::io",
                "std::net",
                "std::process",
                "tokio",
                "rusqlite",
                "tantivy",
                "crate::store",
                "crate::search",
                "crate::service",
            ],
        ),
    ));
    problems.extend(check(
        "domain types have no wire form",
        naming(&["domain"], &["Serialize"]),
    ));
    problems.extend(check(
        "beans become JSON through dto::to_json, which turns a failure into an error",
        naming(&everywhere_but(""), &["serde_json::to_value"])
            .into_iter()
            .filter(|(file, _, needle)| {
                !(file == "src/api/jira/dto.rs" && needle == "serde_json::to_value")
            })
            .collect(),
    ));
    problems.extend(check(
        "time comes from the store's clock, so tests can move it",
        naming(
            &everywhere_but(""),
            &["SystemTime::now", "now_utc", "system_now", "Millis::now"],
        )
        .into_iter()
        // The clock itself; and a version's `overdue`, a calendar date for display
        // (see `api/jira/dto.rs`).
        .filter(|(file, _, needle)| {
            file != "src/domain/time.rs" && !(file == "src/api/jira/dto.rs" && needle == "now_utc")
        })
        .collect(),
    ));
    for (file, needle) in KNOWN {
        let still = naming(&[""], &[needle])
            .iter()
            .any(|(f, _, n)| f == file && n == needle);
        if !still {
            problems.push(format!(
                "{file} no longer names {needle}: remove it from KNOWN"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The service area a file under `src/service/` belongs to (`issues` for
/// `service/issues/create.rs`), and the areas it names: `crate::service::<area>`
/// anywhere, `super::<area>` from a top-level file, `super::super::<area>` below.
fn service_imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let dir = root().join("src/service");
    let mut files = Vec::new();
    sources(&dir, &mut files);
    let area = |file: &Path| -> String {
        let rel = file.strip_prefix(&dir).unwrap_or(file);
        let first = rel
            .iter()
            .next()
            .map(|c| c.to_string_lossy().to_string())
            .unwrap_or_default();
        first.trim_end_matches(".rs").to_string()
    };
    let areas: std::collections::BTreeSet<String> = files
        .iter()
        .map(|f| area(f))
        .filter(|a| a != "mod")
        .collect();
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for file in &files {
        let from = area(file);
        if from == "mod" {
            continue;
        }
        // `super::` names a sibling area from `service/<area>.rs` and from
        // `service/<area>/mod.rs` alike (both are the area's module itself).
        let top = file.parent() == Some(dir.as_path())
            || (file.file_name().is_some_and(|n| n == "mod.rs")
                && file.parent().and_then(Path::parent) == Some(dir.as_path()));
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let code: String = text.lines().map(code_of).collect::<Vec<_>>().join("\n");
        let mut named = Vec::new();
        let mut after = |prefix: &str| {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + prefix.len()..];
                if let Some(list) = rest.strip_prefix('{') {
                    let list = &list[..list.find('}').unwrap_or(list.len())];
                    named.extend(
                        list.split(',')
                            .map(|n| n.trim().split("::").next().unwrap_or("").to_string()),
                    );
                } else {
                    named.push(
                        rest.chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect(),
                    );
                }
            }
        };
        after("crate::service::");
        if top {
            after("super::");
        } else {
            after("super::super::");
        }
        for to in named {
            if to != from && areas.contains(&to) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

#[test]
fn service_areas_import_no_circles() {
    let graph = service_imports();
    // Depth-first search from each area; a path back to an area on the stack is a circle.
    fn visit(
        graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        at: &str,
        stack: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
        circles: &mut Vec<String>,
    ) {
        if let Some(i) = stack.iter().position(|a| a == at) {
            let mut circle = stack[i..].to_vec();
            circle.push(at.to_string());
            circles.push(circle.join(" → "));
            return;
        }
        if !done.insert(at.to_string()) {
            return;
        }
        stack.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            visit(graph, next, stack, done, circles);
        }
        stack.pop();
    }
    let (mut done, mut circles) = (Default::default(), Vec::new());
    for area in graph.keys() {
        visit(&graph, area, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        graph.get("worklogs").is_some_and(|d| d.contains("issues")),
        "the import graph should see worklogs → issues: {graph:?}"
    );
    assert!(
        circles.is_empty(),
        "service areas import each other in a circle:\n{}",
        circles.join("\n")
    );
}

/// The codemap is the crate doc's list of `` - `path`: … `` items. Every top-level
/// module has one, and every path one names exists under `src/`.
#[test]
fn the_codemap_names_every_module_and_only_real_ones() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).expect("src/lib.rs");
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let mut named = Vec::new();
    for line in &doc {
        let Some(item) = line.strip_prefix("- ") else {
            continue;
        };
        let head = item.split(':').next().unwrap_or_default();
        for part in head.split('`').skip(1).step_by(2) {
            named.push(part.trim_end_matches('/').to_string());
        }
    }
    let mut problems = Vec::new();
    for path in &named {
        let base = root().join("src").join(path);
        let exists = base.exists()
            || base.with_extension("rs").exists()
            || base.join("mod.rs").exists()
            || root().join(path).exists();
        if !exists {
            problems.push(format!("the codemap names `{path}`, which does not exist"));
        }
    }
    for line in lib.lines() {
        let Some(module) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|m| m.strip_suffix(';'))
        else {
            continue;
        };
        let listed = named.iter().any(|n| {
            n == module || *n == format!("{module}.rs") || n.starts_with(&format!("{module}/"))
        });
        if !listed {
            problems.push(format!("module `{module}` is missing from the codemap"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
