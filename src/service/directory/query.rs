//! `user/search/query`: the structured user query of the seed.
//!
//! ```text
//! query  := and ("or" and)*
//! and    := clause ("and" clause)*
//! clause := "(" query ")"
//!         | "is" ("assignee" | "reporter" | "watcher" | "commenter") "of" targets
//!         | "[" propertyKey "]" ("." path)* ("is" | "=") value
//! targets:= KEY | "(" KEY ("," KEY)* ")"      -- a project key, or issue keys (ABC-12)
//! ```
//! Words are case-insensitive; values may be quoted. Anything else is a 400 naming what
//! was not understood.

use std::collections::{BTreeSet, HashMap};

use super::Service;
use super::users::UserPage;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::service::Caller;
use crate::store::queries::{users as uq, users_admin as q};

use crate::store::queries::users_admin::IssueRole;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Role {
        role: IssueRole,
        targets: Vec<String>,
    },
    Property {
        key: String,
        path: Vec<String>,
        value: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Bracket(String),
    Open,
    Close,
    Comma,
    Dot,
    Eq,
}

fn tokens(s: &str) -> Result<Vec<Tok>> {
    let mut out = Vec::new();
    let mut it = s.chars().peekable();
    while let Some(&c) = it.peek() {
        match c {
            c if c.is_whitespace() => {
                it.next();
            }
            '(' | ')' | ',' | '.' | '=' => {
                it.next();
                out.push(match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    ',' => Tok::Comma,
                    '.' => Tok::Dot,
                    _ => Tok::Eq,
                });
            }
            '"' | '\'' => {
                it.next();
                let mut v = String::new();
                loop {
                    match it.next() {
                        None => return Err(bad("a quoted value is not closed")),
                        Some('\\') => v.extend(it.next()),
                        Some(q) if q == c => break,
                        Some(x) => v.push(x),
                    }
                }
                out.push(Tok::Quoted(v));
            }
            '[' => {
                it.next();
                let mut v = String::new();
                loop {
                    match it.next() {
                        None => return Err(bad("a '[' is not closed")),
                        Some(']') => break,
                        Some(x) => v.push(x),
                    }
                }
                out.push(Tok::Bracket(v.trim().to_string()));
            }
            _ => {
                let mut v = String::new();
                while let Some(&x) = it.peek() {
                    if x.is_whitespace() || "(),.=\"'[]".contains(x) {
                        break;
                    }
                    v.push(x);
                    it.next();
                }
                if v.is_empty() {
                    return Err(bad(&format!("'{c}' is not understood")));
                }
                out.push(Tok::Word(v));
            }
        }
    }
    Ok(out)
}

fn bad(what: &str) -> Error {
    Error::field(
        "query",
        format!(
            "The query could not be parsed: {what}. Use 'is assignee|reporter|watcher|commenter of KEY' or '(KEY-1, KEY-2)', '[propertyKey].path is \"value\"', joined by 'and' / 'or'."
        ),
    )
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }
    fn word_is(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }
    fn expect_word(&mut self, w: &str) -> Result<()> {
        if self.word_is(w) {
            self.at += 1;
            Ok(())
        } else {
            Err(bad(&format!("expected '{w}'")))
        }
    }

    fn query(&mut self) -> Result<Expr> {
        let mut parts = vec![self.and()?];
        while self.word_is("or") {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr> {
        let mut parts = vec![self.clause()?];
        while self.word_is("and") {
            self.at += 1;
            parts.push(self.clause()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn clause(&mut self) -> Result<Expr> {
        match self.next() {
            Some(Tok::Open) => {
                let e = self.query()?;
                match self.next() {
                    Some(Tok::Close) => Ok(e),
                    _ => Err(bad("a '(' is not closed")),
                }
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("is") => {
                let role = match self.next() {
                    Some(Tok::Word(r)) => match r.to_ascii_lowercase().as_str() {
                        "assignee" => IssueRole::Assignee,
                        "reporter" => IssueRole::Reporter,
                        "watcher" => IssueRole::Watcher,
                        "commenter" => IssueRole::Commenter,
                        other => {
                            return Err(bad(&format!(
                                "'{other}' is not a role; use assignee, reporter, watcher or commenter"
                            )));
                        }
                    },
                    _ => return Err(bad("expected a role after 'is'")),
                };
                self.expect_word("of")?;
                let targets = match self.next() {
                    Some(Tok::Word(k)) | Some(Tok::Quoted(k)) => vec![k],
                    Some(Tok::Open) => {
                        let mut keys = Vec::new();
                        loop {
                            match self.next() {
                                Some(Tok::Word(k)) | Some(Tok::Quoted(k)) => keys.push(k),
                                _ => return Err(bad("expected an issue or project key")),
                            }
                            match self.next() {
                                Some(Tok::Comma) => continue,
                                Some(Tok::Close) => break,
                                _ => return Err(bad("expected ',' or ')' in the key list")),
                            }
                        }
                        keys
                    }
                    _ => {
                        return Err(bad(
                            "expected a project key or a list of issue keys after 'of'",
                        ));
                    }
                };
                Ok(Expr::Role { role, targets })
            }
            Some(Tok::Bracket(key)) => {
                if key.is_empty() {
                    return Err(bad("the property key in '[]' is empty"));
                }
                let mut path = Vec::new();
                while self.peek() == Some(&Tok::Dot) {
                    self.at += 1;
                    match self.next() {
                        Some(Tok::Word(p)) | Some(Tok::Quoted(p)) => path.push(p),
                        _ => return Err(bad("expected a property path after '.'")),
                    }
                }
                match self.next() {
                    Some(Tok::Eq) => {}
                    Some(Tok::Word(w)) if w.eq_ignore_ascii_case("is") => {}
                    _ => return Err(bad("expected 'is' or '=' after the property")),
                }
                let value = match self.next() {
                    Some(Tok::Word(v)) | Some(Tok::Quoted(v)) => v,
                    _ => return Err(bad("expected a value")),
                };
                Ok(Expr::Property { key, path, value })
            }
            Some(_) => Err(bad("expected 'is', '[property]' or '('")),
            None => Err(bad("the query is empty or ends too early")),
        }
    }
}

/// Parses a structured user query.
pub fn parse(s: &str) -> Result<Expr> {
    let mut p = Parser {
        toks: tokens(s)?,
        at: 0,
    };
    let e = p.query()?;
    if p.at < p.toks.len() {
        return Err(bad("unexpected words after the end of the query"));
    }
    Ok(e)
}

/// Whether a property's JSON value at `path` equals `value` (strings as they are,
/// numbers and booleans as written).
fn property_matches(json: &str, path: &[String], value: &str) -> bool {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(json) else {
        return false;
    };
    for p in path {
        match v.get(p) {
            Some(x) => v = x.clone(),
            None => return false,
        }
    }
    // A value written as JSON (3, true) compares as that; anything else as a string.
    let as_json = serde_json::from_str::<serde_json::Value>(value).ok();
    let same = |x: &serde_json::Value| x.as_str() == Some(value) || as_json.as_ref() == Some(x);
    match &v {
        serde_json::Value::Array(items) => items.iter().any(same),
        other => same(other),
    }
}

fn is_issue_key(k: &str) -> bool {
    k.rsplit_once('-').is_some_and(|(p, n)| {
        !p.is_empty() && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
    })
}

impl Service {
    /// The keys of an expression resolved to (projects, issues) the caller may see.
    async fn resolve_targets(
        &self,
        caller: &Caller,
        e: &Expr,
        out: &mut HashMap<String, (Vec<i64>, Vec<i64>)>,
    ) -> Result<()> {
        match e {
            Expr::Or(xs) | Expr::And(xs) => {
                for x in xs {
                    Box::pin(self.resolve_targets(caller, x, out)).await?;
                }
            }
            Expr::Role { targets, .. } => {
                for k in targets {
                    if out.contains_key(k) {
                        continue;
                    }
                    let ids = if is_issue_key(k) {
                        let v = self
                            .issues
                            .view_issue_with(
                                Some(caller),
                                &IssueRef::parse(k),
                                crate::service::issues::ViewNeeds::NONE,
                            )
                            .await
                            .map_err(|_| {
                                Error::field(
                                    "query",
                                    format!("The issue '{k}' does not exist or you cannot see it."),
                                )
                            })?;
                        (Vec::new(), vec![v.issue.id.0])
                    } else {
                        let (p, _) = self
                            .projects
                            .browse_project(Some(caller), &ProjectRef::parse(k))
                            .await
                            .map_err(|_| {
                                Error::field(
                                    "query",
                                    format!(
                                        "The project '{k}' does not exist or you cannot browse it."
                                    ),
                                )
                            })?;
                        (vec![p.id.0], Vec::new())
                    };
                    out.insert(k.clone(), ids);
                }
            }
            Expr::Property { .. } => {}
        }
        Ok(())
    }

    /// `user/search/query`: live users matching the query, by username, a page at a time.
    pub async fn search_by_query(
        &self,
        caller: &Caller,
        query: &str,
        start: i64,
        max: i64,
    ) -> Result<UserPage> {
        self.require_user_picker(caller)?;
        let expr = parse(query)?;
        let mut targets = HashMap::new();
        self.resolve_targets(caller, &expr, &mut targets).await?;
        let users = self
            .store
            .read(move |db| {
                fn eval(
                    db: &crate::store::queries::Db,
                    e: &Expr,
                    t: &HashMap<String, (Vec<i64>, Vec<i64>)>,
                ) -> crate::store::StoreResult<BTreeSet<i64>> {
                    Ok(match e {
                        Expr::Or(xs) => {
                            let mut all = BTreeSet::new();
                            for x in xs {
                                all.extend(eval(db, x, t)?);
                            }
                            all
                        }
                        Expr::And(xs) => {
                            let mut acc: Option<BTreeSet<i64>> = None;
                            for x in xs {
                                let s = eval(db, x, t)?;
                                acc = Some(match acc {
                                    None => s,
                                    Some(a) => a.intersection(&s).copied().collect(),
                                });
                            }
                            acc.unwrap_or_default()
                        }
                        Expr::Role { role, targets } => {
                            let (mut projects, mut issues) = (Vec::new(), Vec::new());
                            for k in targets {
                                if let Some((p, i)) = t.get(k) {
                                    projects.extend(p);
                                    issues.extend(i);
                                }
                            }
                            q::users_in_issue_role(db, *role, &projects, &issues)?
                                .into_iter()
                                .map(|u| u.0)
                                .collect()
                        }
                        Expr::Property { key, path, value } => q::user_property_values(db, key)?
                            .into_iter()
                            .filter(|(_, json)| property_matches(json, path, value))
                            .map(|(u, _)| u.0)
                            .collect(),
                    })
                }
                let ids: Vec<UserId> = eval(db, &expr, &targets)?.into_iter().map(UserId).collect();
                let mut users = Vec::new();
                for u in uq::by_ids(db, &ids)? {
                    if u.active && !q::is_deleted(db, u.id)? {
                        users.push(u);
                    }
                }
                users.sort_by_key(|u| u.username.to_lowercase());
                Ok(users)
            })
            .await?;
        Ok(UserPage::of(users, start, max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_forms() {
        assert_eq!(
            parse("is assignee of PROJ").ok(),
            Some(Expr::Role {
                role: IssueRole::Assignee,
                targets: vec!["PROJ".into()]
            })
        );
        assert_eq!(
            parse("is reporter of (PROJ-1, PROJ-2)").ok(),
            Some(Expr::Role {
                role: IssueRole::Reporter,
                targets: vec!["PROJ-1".into(), "PROJ-2".into()]
            })
        );
        assert_eq!(
            parse("[team].entity.name is \"red team\"").ok(),
            Some(Expr::Property {
                key: "team".into(),
                path: vec!["entity".into(), "name".into()],
                value: "red team".into()
            })
        );
        assert!(matches!(
            parse("is watcher of A and is commenter of B or [k] = 1"),
            Ok(Expr::Or(_))
        ));
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        for q in [
            "",
            "is owner of X",
            "is assignee PROJ",
            "[k] like 1",
            "is assignee of (A-1",
            "is assignee of A B",
            "\"open",
        ] {
            assert!(parse(q).is_err(), "{q}");
        }
    }

    #[test]
    fn property_values_match_by_path() {
        assert!(property_matches(
            r#"{"a":{"b":"x"}}"#,
            &["a".into(), "b".into()],
            "x"
        ));
        assert!(property_matches(r#"{"n":3}"#, &["n".into()], "3"));
        assert!(!property_matches(r#"{"n":3}"#, &["m".into()], "3"));
        assert!(property_matches(r#""v""#, &[], "v"));
    }
}
