//! Every routed handler opens with a doc header naming its endpoint —
//! `` /// # `METHOD /path` (operationId) `` — so coverage against the references is a
//! grep. Under `/rest/` the operationId must be one the repository's list knows
//! (`tests/api/data/operation_ids.txt`, copied from Atlassian's OpenAPI files and the
//! seeds) and the function is named after it in snake case.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One route declaration found in a surface's `routes()`.
struct Declared {
    file: PathBuf,
    method: String,
    path: String,
    handler: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text between `open` and its matching `)`, from `at` (just past `open`).
fn call_args(text: &str, at: usize) -> &str {
    let mut depth = 1usize;
    for (i, c) in text[at..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[at..at + i];
                }
            }
            _ => {}
        }
    }
    &text[at..]
}

/// Splits call arguments at top-level commas.
fn split_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in args.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Drops `//` comment lines, so a comment between arguments is not read as one.
fn without_comment_lines(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last path segment of an expression naming a function: `post(add)` → `add`,
/// `super::x::get_y` → `get_y`, `post(add).layer(..)` → `add`.
fn handler_name(expr: &str) -> String {
    let inner = expr
        .split_once('(')
        .map(|(_, rest)| rest.split(')').next().unwrap_or_default())
        .filter(|_| !expr.trim_start().starts_with(|c: char| c.is_uppercase()))
        .unwrap_or(expr);
    inner
        .rsplit("::")
        .next()
        .unwrap_or(inner)
        .trim()
        .to_string()
}

fn declarations() -> Vec<Declared> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api"),
        &mut files,
    );
    let mut found = Vec::new();
    for file in files {
        if file.ends_with("api/routes.rs") {
            continue;
        }
        let text = without_comment_lines(&std::fs::read_to_string(&file).unwrap_or_default());
        for verb in ["get", "post", "put", "delete", "on"] {
            let open = format!(".{verb}(");
            for (at, _) in text.match_indices(&open) {
                let args = split_args(call_args(&text, at + open.len()));
                let (method, path, handler) = match (verb, args.as_slice()) {
                    ("on", [path, method, _access, handler]) => (
                        method.trim_start_matches("Method::").to_string(),
                        path.clone(),
                        handler.clone(),
                    ),
                    (_, [path, _access, handler]) if verb != "on" => {
                        (verb.to_uppercase(), path.clone(), handler.clone())
                    }
                    _ => continue,
                };
                let Some(path) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
                    continue;
                };
                found.push(Declared {
                    file: file.clone(),
                    method,
                    path: path.to_string(),
                    handler: handler_name(&handler),
                });
            }
        }
    }
    found
}

/// The doc header of `fn name` in the surface's folder: `(method, path, operationId)`.
fn header(dir: &Path, name: &str) -> Option<(String, String, Option<String>)> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let Some(at) = lines.iter().position(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            let l = l.strip_prefix("async ").unwrap_or(l);
            l.strip_prefix("fn ").is_some_and(|rest| {
                rest.starts_with(&format!("{name}(")) || rest.starts_with(&format!("{name}<"))
            })
        }) else {
            continue;
        };
        let mut i = at;
        while i > 0 {
            i -= 1;
            let l = lines[i].trim_start();
            if let Some(h) = l.strip_prefix("/// # `") {
                let (endpoint, rest) = h.split_once('`')?;
                let (method, path) = endpoint.split_once(' ')?;
                let id = rest
                    .trim()
                    .strip_prefix('(')
                    .and_then(|r| r.split(')').next())
                    .map(String::from);
                return Some((method.to_string(), path.to_string(), id));
            }
            if !(l.starts_with("///") || l.starts_with("#[")) {
                break;
            }
        }
        return None;
    }
    None
}

fn snake_case(id: &str) -> String {
    // An acronym is one word: `setBaseURL` is `set_base_url`, `getJQLAutocomplete`
    // is `get_jql_autocomplete`.
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower = i > 0 && !chars[i - 1].is_uppercase();
            let acronym_ends = i > 0
                && chars[i - 1].is_uppercase()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev_lower || acronym_ends {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `{issueIdOrKey}` and `{key}` are the same segment.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_routed_handler_names_its_endpoint_and_operation() {
    let known: HashSet<String> = include_str!("data/operation_ids.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next().map(String::from))
        .collect();
    let declared = declarations();
    assert!(declared.len() > 200, "found only {} routes", declared.len());
    let mut problems = Vec::new();
    for d in &declared {
        let dir = d.file.parent().unwrap_or(Path::new("."));
        let at = format!("{} {} ({})", d.method, d.path, d.handler);
        let Some((method, path, id)) = header(dir, &d.handler) else {
            problems.push(format!("{at}: no `/// # `METHOD path`` header"));
            continue;
        };
        // A handler serving several routes (the web UI's page) names one of them.
        let names_one = declared.iter().any(|o| {
            o.handler == d.handler && o.method == method && shape(&path).ends_with(&shape(&o.path))
        });
        if !names_one {
            problems.push(format!("{at}: the header says {method} {path}"));
        }
        if !path.starts_with("/rest/") {
            continue;
        }
        match id {
            None => problems.push(format!("{at}: the header names no operationId")),
            Some(id) if !known.contains(&id) => {
                problems.push(format!("{at}: operationId {id} is in no reference"))
            }
            Some(id) if !d.handler.starts_with(&snake_case(&id)) => {
                problems.push(format!("{at}: the function is not named after {id}"))
            }
            Some(_) => {}
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
