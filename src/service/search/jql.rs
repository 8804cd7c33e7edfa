//! JQL resolution: a parsed query plus the caller and the data it names become a
//! [`Filter`] and sort keys for the search index. Names become ids, functions are
//! evaluated, dates are fixed against "now", and every unknown name is reported in
//! Jira's words.

use std::collections::HashMap;
use std::ops::Bound;
use std::sync::Arc;

use crate::domain::*;
use crate::jql::dates::{DateValue, Period, parse_date_value, parse_function_offset};
use crate::jql::{
    Clause, Direction, Field, HistoryPredicate, Operand, Operator, PredicateKind, Query,
};
use crate::search::{Filter, NumField, SortKey, TextField, TextMatch};
use crate::service::{Caller, Catalog};
use crate::store::StoreResult;
use crate::store::queries::{
    Db, issues as iq, links as lq, projects as pq, users as uq, watchers as wq,
};

/// A resolved query.
pub struct Resolved {
    pub filter: Filter,
    /// Projects the caller may browse, every search being confined to them; `None` when
    /// that is every project (no restriction to evaluate).
    pub scope: Option<Vec<i64>>,
    pub sort: Vec<SortKey>,
    pub warnings: Vec<String>,
}

/// How strictly unknown values are treated (`validateQuery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    /// Unknown values are errors.
    Strict,
    /// Unknown values match nothing and are reported as warnings.
    Warn,
    /// Unknown values match nothing, silently.
    None,
}

struct Resolver<'a> {
    db: &'a Db,
    catalog: &'a Catalog,
    caller: Option<&'a Caller>,
    projects: &'a [Project],
    validation: Validation,
    now: i64,
    errors: Vec<String>,
    warnings: Vec<String>,
}

/// Field kinds the resolver knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Project,
    Key,
    Text(TextField),
    AllText,
    IssueType,
    Status,
    StatusCategory,
    Priority,
    Resolution,
    User(NumField),
    Labels,
    Component,
    Version(NumField),
    Date(NumField),
    Parent,
    Duration(NumField),
    Custom(i64),
    /// A count compared as a number (`votes > 1`, `watchers = 0`).
    Count(NumField),
    /// `issueLinkType`: a link description (`blocks`, `is blocked by`) or type name.
    LinkType,
    /// `attachments IS [NOT] EMPTY`.
    Attachments,
    /// Known to Jira, answered once the feature it searches exists.
    NotYet(&'static str),
}

fn system_kind(name: &str) -> Option<Kind> {
    Some(match name.to_ascii_lowercase().as_str() {
        "project" => Kind::Project,
        "key" | "issuekey" | "id" | "issue" => Kind::Key,
        "summary" => Kind::Text(TextField::Summary),
        "description" => Kind::Text(TextField::Description),
        "environment" => Kind::Text(TextField::Environment),
        "comment" => Kind::Text(TextField::Comment),
        "text" => Kind::AllText,
        "type" | "issuetype" => Kind::IssueType,
        "status" => Kind::Status,
        "statuscategory" => Kind::StatusCategory,
        "priority" => Kind::Priority,
        "resolution" => Kind::Resolution,
        "assignee" => Kind::User(NumField::Assignee),
        "reporter" => Kind::User(NumField::Reporter),
        "creator" => Kind::User(NumField::Creator),
        "labels" | "label" => Kind::Labels,
        "component" => Kind::Component,
        "fixversion" => Kind::Version(NumField::FixVersion),
        "affectedversion" => Kind::Version(NumField::AffectedVersion),
        "created" | "createddate" => Kind::Date(NumField::Created),
        "updated" | "updateddate" => Kind::Date(NumField::Updated),
        "resolved" | "resolutiondate" => Kind::Date(NumField::Resolved),
        "due" | "duedate" => Kind::Date(NumField::Due),
        "statuscategorychangeddate" => Kind::Date(NumField::StatusChanged),
        "parent" => Kind::Parent,
        "originalestimate" | "timeoriginalestimate" => Kind::Duration(NumField::OriginalEstimate),
        "remainingestimate" | "timeestimate" => Kind::Duration(NumField::RemainingEstimate),
        "timespent" => Kind::Duration(NumField::TimeSpent),
        "watcher" => Kind::User(NumField::Watcher),
        "watchers" | "watches" => Kind::Count(NumField::Watches),
        "voter" => Kind::User(NumField::Voter),
        "votes" => Kind::Count(NumField::Votes),
        "attachments" => Kind::Attachments,
        "issuelinktype" => Kind::LinkType,
        "worklogauthor" | "worklogdate" | "worklogcomment" => Kind::NotYet("worklogs"),
        _ => return None,
    })
}

/// Parses and resolves `jql` for `caller`. `Err` holds Jira-worded messages.
pub fn resolve(
    db: &Db,
    catalog: &Catalog,
    caller: Option<&Caller>,
    projects: &[Project],
    query: &Query,
    validation: Validation,
) -> StoreResult<Result<Resolved, Vec<String>>> {
    let mut r = Resolver {
        db,
        catalog,
        caller,
        projects,
        validation,
        now: Millis::now().0,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let filter = match &query.clause {
        Some(c) => r.clause(c)?,
        None => Filter::All,
    };
    let sort = r.sort(query)?;
    if !r.errors.is_empty() {
        return Ok(Err(r.errors));
    }
    Ok(Ok(Resolved {
        filter,
        scope: Some(projects.iter().map(|p| p.id.0).collect()),
        sort,
        warnings: r.warnings,
    }))
}

fn value_text(o: &Operand) -> Option<String> {
    match o {
        Operand::Value(s, _) => Some(s.clone()),
        Operand::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Resolver<'_> {
    fn error(&mut self, message: String) {
        if !self.errors.contains(&message) {
            self.errors.push(message);
        }
    }

    /// An unknown value: an error under strict validation, a warning otherwise.
    fn unknown_value(&mut self, field: &str, value: &str) {
        let message = format!("The value '{value}' does not exist for the field '{field}'.");
        match self.validation {
            Validation::Strict => self.error(message),
            Validation::Warn => {
                if !self.warnings.contains(&message) {
                    self.warnings.push(message)
                }
            }
            Validation::None => {}
        }
    }

    fn kind(&mut self, field: &Field) -> Option<Kind> {
        match field {
            Field::CustomId(id) => {
                let id = *id as i64;
                if self.catalog.custom_field(id).is_some() {
                    return Some(Kind::Custom(id));
                }
                self.error(format!(
                    "Field 'cf[{id}]' does not exist or you do not have permission to view it."
                ));
                None
            }
            Field::Name(name) => {
                if let Some(k) = system_kind(name) {
                    return Some(k);
                }
                let lower = name.to_lowercase();
                if let Some(id) = lower
                    .strip_prefix("customfield_")
                    .and_then(|n| n.parse::<i64>().ok())
                    && self.catalog.custom_field(id).is_some()
                {
                    return Some(Kind::Custom(id));
                }
                if let Some(f) = self
                    .catalog
                    .custom_fields
                    .iter()
                    .find(|f| f.name.to_lowercase() == lower)
                {
                    return Some(Kind::Custom(f.id));
                }
                self.error(format!(
                    "Field '{name}' does not exist or you do not have permission to view it."
                ));
                None
            }
        }
    }

    fn clause(&mut self, c: &Clause) -> StoreResult<Filter> {
        Ok(match c {
            Clause::And(parts) => Filter::And(
                parts
                    .iter()
                    .map(|p| self.clause(p))
                    .collect::<StoreResult<_>>()?,
            ),
            Clause::Or(parts) => Filter::Or(
                parts
                    .iter()
                    .map(|p| self.clause(p))
                    .collect::<StoreResult<_>>()?,
            ),
            Clause::Not(inner) => Filter::Not(Box::new(self.clause(inner)?)),
            Clause::Terminal {
                field,
                op,
                value,
                predicates,
                ..
            } => {
                let Some(kind) = self.kind(field) else {
                    return Ok(Filter::Nothing);
                };
                self.terminal(field, kind, *op, value, predicates)?
            }
        })
    }

    fn unsupported_operator(&mut self, op: Operator, field: &Field) -> Filter {
        self.error(format!(
            "The operator '{}' is not supported by the '{field}' field.",
            op.as_jql()
        ));
        Filter::Nothing
    }

    /// `= != IN NOT IN IS IS NOT` over a field whose values resolve to ids.
    fn equality(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
        resolve: &mut dyn FnMut(&mut Self, &Operand) -> StoreResult<Vec<i64>>,
    ) -> StoreResult<Filter> {
        Ok(match op {
            Operator::Is => match value {
                Operand::Empty => Filter::Empty(nf),
                _ => self.is_needs_empty(field, op),
            },
            Operator::IsNot => match value {
                Operand::Empty => Filter::Not(Box::new(Filter::Empty(nf))),
                _ => self.is_needs_empty(field, op),
            },
            Operator::Equals | Operator::In => match value {
                Operand::Empty => Filter::Empty(nf),
                _ => {
                    let (ids, empty) = self.ids_and_empty(value, resolve)?;
                    let base = Filter::In(nf, ids);
                    if empty {
                        Filter::Or(vec![base, Filter::Empty(nf)])
                    } else {
                        base
                    }
                }
            },
            // Jira: != and NOT IN never match issues where the field is empty.
            Operator::NotEquals | Operator::NotIn => match value {
                Operand::Empty => Filter::Not(Box::new(Filter::Empty(nf))),
                _ => {
                    let (ids, empty) = self.ids_and_empty(value, resolve)?;
                    let mut parts = vec![Filter::Not(Box::new(Filter::In(nf, ids)))];
                    parts.push(Filter::Not(Box::new(Filter::Empty(nf))));
                    let _ = empty;
                    Filter::And(parts)
                }
            },
            _ => self.unsupported_operator(op, field),
        })
    }

    fn is_needs_empty(&mut self, field: &Field, op: Operator) -> Filter {
        self.error(format!(
            "The operator '{}' can only be used with the 'EMPTY' value for the '{field}' field.",
            op.as_jql()
        ));
        Filter::Nothing
    }

    /// Resolves a value or list into ids; `EMPTY` inside a list is reported separately.
    fn ids_and_empty(
        &mut self,
        value: &Operand,
        resolve: &mut dyn FnMut(&mut Self, &Operand) -> StoreResult<Vec<i64>>,
    ) -> StoreResult<(Vec<i64>, bool)> {
        let mut ids = Vec::new();
        let mut empty = false;
        let items: Vec<&Operand> = match value {
            Operand::List(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match item {
                Operand::Empty => empty = true,
                Operand::List(inner) => {
                    let (more, e) = self.ids_and_empty(&Operand::List(inner.clone()), resolve)?;
                    ids.extend(more);
                    empty |= e;
                }
                other => ids.extend(resolve(self, other)?),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok((ids, empty))
    }

    fn terminal(
        &mut self,
        field: &Field,
        kind: Kind,
        op: Operator,
        value: &Operand,
        predicates: &[HistoryPredicate],
    ) -> StoreResult<Filter> {
        if op.is_history() {
            return self.history(field, kind, op, value, predicates);
        }
        let fname = field.to_string();
        match kind {
            Kind::NotYet(what) => {
                self.error(format!("Searching by '{fname}' is not supported yet: Tessera does not track {what} yet."));
                Ok(Filter::Nothing)
            }
            Kind::Project => {
                let name = fname.clone();
                self.equality(field, NumField::Project, op, value, &mut |r, v| {
                    r.project_ids(&name, v)
                })
            }
            Kind::Key => self.key(field, op, value),
            Kind::Text(t) => Ok(self.text(field, vec![t], op, value)),
            Kind::AllText => Ok(self.text(
                field,
                vec![
                    TextField::Summary,
                    TextField::Description,
                    TextField::Environment,
                    TextField::Comment,
                    TextField::CustomText,
                ],
                op,
                value,
            )),
            Kind::IssueType => {
                let name = fname.clone();
                self.equality(field, NumField::IssueType, op, value, &mut |r, v| {
                    Ok(r.catalog_ids(&name, v, |c| {
                        c.issue_types
                            .iter()
                            .map(|t| (t.id, t.name.clone()))
                            .collect()
                    }))
                })
            }
            Kind::Status => {
                let name = fname.clone();
                self.equality(field, NumField::Status, op, value, &mut |r, v| {
                    Ok(r.catalog_ids(&name, v, |c| {
                        c.statuses.iter().map(|s| (s.id, s.name.clone())).collect()
                    }))
                })
            }
            Kind::StatusCategory => {
                let name = fname.clone();
                self.equality(field, NumField::StatusCategory, op, value, &mut |r, v| {
                    let by_key: Vec<(i64, String)> = r
                        .catalog
                        .status_categories
                        .iter()
                        .map(|c| (c.id, c.key.clone()))
                        .collect();
                    if let Some(text) = value_text(v)
                        && let Some((id, _)) =
                            by_key.iter().find(|(_, k)| k.eq_ignore_ascii_case(&text))
                    {
                        return Ok(vec![*id]);
                    }
                    Ok(r.catalog_ids(&name, v, |c| {
                        c.status_categories
                            .iter()
                            .map(|s| (s.id, s.name.clone()))
                            .collect()
                    }))
                })
            }
            Kind::Priority => self.priority(field, op, value),
            Kind::Resolution => {
                let name = fname.clone();
                // "Unresolved" is Jira's name for an empty resolution.
                let unresolved = |v: &Operand| matches!(value_text(v), Some(s) if s.eq_ignore_ascii_case("unresolved"));
                let rewritten = match value {
                    v if unresolved(v) => Operand::Empty,
                    Operand::List(items) => Operand::List(
                        items
                            .iter()
                            .map(|i| {
                                if unresolved(i) {
                                    Operand::Empty
                                } else {
                                    i.clone()
                                }
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                };
                self.equality(field, NumField::Resolution, op, &rewritten, &mut |r, v| {
                    Ok(r.catalog_ids(&name, v, |c| {
                        c.resolutions
                            .iter()
                            .map(|s| (s.id, s.name.clone()))
                            .collect()
                    }))
                })
            }
            Kind::User(nf) => {
                let name = fname.clone();
                self.equality(field, nf, op, value, &mut |r, v| r.user_ids(&name, v))
            }
            Kind::Labels => self.labels(field, op, value),
            Kind::Component => {
                let name = fname.clone();
                self.equality(field, NumField::Component, op, value, &mut |r, v| {
                    r.component_ids(&name, v)
                })
            }
            Kind::Version(nf) => {
                let name = fname.clone();
                self.equality(field, nf, op, value, &mut |r, v| r.version_ids(&name, v))
            }
            Kind::Date(nf) => self.date(field, nf, op, value),
            Kind::Parent => {
                let name = fname.clone();
                self.equality(field, NumField::Parent, op, value, &mut |r, v| {
                    r.issue_ids(&name, v)
                })
            }
            Kind::Duration(nf) => self.duration(field, nf, op, value),
            Kind::Custom(id) => self.custom(field, id, op, value),
            Kind::Count(nf) => Ok(self.count(field, nf, op, value)),
            Kind::Attachments => Ok(match (op, value) {
                (Operator::Is, Operand::Empty) => Filter::Empty(NumField::Attachments),
                (Operator::IsNot, Operand::Empty) => {
                    Filter::Not(Box::new(Filter::Empty(NumField::Attachments)))
                }
                _ => self.is_needs_empty(field, op),
            }),
            Kind::LinkType => {
                let name = fname.clone();
                self.equality(field, NumField::IssueLinkType, op, value, &mut |r, v| {
                    Ok(r.link_type_ids(&name, v))
                })
            }
        }
    }

    /// A count field: `= != < <= > >=` with a whole number.
    fn count(&mut self, field: &Field, nf: NumField, op: Operator, value: &Operand) -> Filter {
        let n = match value {
            Operand::Number(n) => Some(*n),
            Operand::Value(s, _) => s.trim().parse().ok(),
            _ => None,
        };
        let Some(n) = n else {
            self.error(format!(
                "The value '{}' is not a valid number for field '{field}'.",
                value.display()
            ));
            return Filter::Nothing;
        };
        match op {
            Operator::Equals => Filter::In(nf, vec![n]),
            Operator::NotEquals => Filter::Not(Box::new(Filter::In(nf, vec![n]))),
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let (lo, hi) = bounds(op, n);
                Filter::Range(nf, lo, hi)
            }
            _ => self.unsupported_operator(op, field),
        }
    }

    /// Index values of a link type name or description: `type id * 2` for the outward
    /// description, `+ 1` for the inward one, both for the type's name.
    fn link_type_ids(&mut self, field: &str, v: &Operand) -> Vec<i64> {
        if let Operand::Function { name, .. } = v {
            self.function_error(name);
            return Vec::new();
        }
        let Some(text) = value_text(v) else {
            return Vec::new();
        };
        let mut ids = Vec::new();
        // A type's exact name means both directions ("Blocks"); otherwise a description
        // means one ("blocks", "is blocked by").
        for t in &self.catalog.link_types {
            if t.name == text {
                ids.extend([t.id * 2, t.id * 2 + 1]);
            }
        }
        if !ids.is_empty() {
            return ids;
        }
        for t in &self.catalog.link_types {
            if t.outward.eq_ignore_ascii_case(&text) {
                ids.push(t.id * 2);
            }
            if t.inward.eq_ignore_ascii_case(&text) {
                ids.push(t.id * 2 + 1);
            }
        }
        if ids.is_empty() {
            for t in &self.catalog.link_types {
                if t.name.eq_ignore_ascii_case(&text) || t.id.to_string() == text {
                    ids.extend([t.id * 2, t.id * 2 + 1]);
                }
            }
        }
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        ids
    }

    fn function_error(&mut self, name: &str) {
        self.error(format!("Unable to find JQL function '{name}()'."));
    }

    fn project_ids(&mut self, field: &str, v: &Operand) -> StoreResult<Vec<i64>> {
        if let Operand::Function { name, .. } = v {
            self.function_error(name);
            return Ok(Vec::new());
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let found = self.projects.iter().find(|p| {
            p.key.eq_ignore_ascii_case(&text)
                || p.id.0.to_string() == text
                || p.name.eq_ignore_ascii_case(&text)
        });
        match found {
            Some(p) => Ok(vec![p.id.0]),
            None => {
                self.unknown_value(field, &text);
                Ok(Vec::new())
            }
        }
    }

    fn catalog_ids(
        &mut self,
        field: &str,
        v: &Operand,
        list: impl Fn(&Catalog) -> Vec<(i64, String)>,
    ) -> Vec<i64> {
        if let Operand::Function { name, .. } = v {
            let lower = name.to_lowercase();
            if lower == "standardissuetypes" || lower == "subtaskissuetypes" {
                let sub = lower == "subtaskissuetypes";
                return self
                    .catalog
                    .issue_types
                    .iter()
                    .filter(|t| t.subtask == sub)
                    .map(|t| t.id)
                    .collect();
            }
            self.function_error(name);
            return Vec::new();
        }
        let Some(text) = value_text(v) else {
            return Vec::new();
        };
        let items = list(self.catalog);
        let by_name: Vec<i64> = items
            .iter()
            .filter(|(_, n)| n.eq_ignore_ascii_case(&text))
            .map(|(id, _)| *id)
            .collect();
        if !by_name.is_empty() {
            return by_name;
        }
        if let Ok(id) = text.parse::<i64>()
            && items.iter().any(|(i, _)| *i == id)
        {
            return vec![id];
        }
        self.unknown_value(field, &text);
        Vec::new()
    }

    fn user_ids(&mut self, field: &str, v: &Operand) -> StoreResult<Vec<i64>> {
        if let Operand::Function { name, args } = v {
            return Ok(match name.to_lowercase().as_str() {
                "currentuser" => match self.caller {
                    Some(c) => vec![c.user.id.0],
                    None => Vec::new(),
                },
                "membersof" => {
                    let group = args.first().cloned().unwrap_or_default();
                    match uq::group_id(self.db, &group)? {
                        Some(g) => uq::group_members(self.db, g, true)?
                            .into_iter()
                            .map(|u| u.id.0)
                            .collect(),
                        None => {
                            self.error(format!("Function 'membersOf' can not generate a list of usernames for group '{group}'; the group does not exist."));
                            Vec::new()
                        }
                    }
                }
                _ => {
                    self.function_error(name);
                    Vec::new()
                }
            });
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let user = match uq::by_login(self.db, &text)? {
            Some(u) => Some(u),
            None => uq::search(self.db, &text, true, 2, 0)?
                .into_iter()
                .find(|u| u.display_name.eq_ignore_ascii_case(&text)),
        };
        match user {
            Some(u) => Ok(vec![u.id.0]),
            None => {
                self.unknown_value(field, &text);
                Ok(Vec::new())
            }
        }
    }

    fn component_ids(&mut self, field: &str, v: &Operand) -> StoreResult<Vec<i64>> {
        if let Operand::Function { name, args } = v {
            if name.eq_ignore_ascii_case("componentsLeadByUser") {
                let lead = match args.first() {
                    Some(u) => uq::by_login(self.db, u)?.map(|u| u.id),
                    None => self.caller.map(|c| c.user.id),
                };
                let mut ids = Vec::new();
                for p in self.projects {
                    ids.extend(
                        pq::components(self.db, p.id)?
                            .into_iter()
                            .filter(|c| c.lead_id.is_some() && c.lead_id == lead)
                            .map(|c| c.id),
                    );
                }
                return Ok(ids);
            }
            self.function_error(name);
            return Ok(Vec::new());
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for p in self.projects {
            for c in pq::components(self.db, p.id)? {
                if c.name.eq_ignore_ascii_case(&text) || c.id.to_string() == text {
                    ids.push(c.id);
                }
            }
        }
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        Ok(ids)
    }

    fn version_ids(&mut self, field: &str, v: &Operand) -> StoreResult<Vec<i64>> {
        let mut all: Vec<(Project, Version)> = Vec::new();
        for p in self.projects {
            for ver in pq::versions(self.db, p.id)? {
                all.push((p.clone(), ver));
            }
        }
        if let Operand::Function { name, args } = v {
            let in_project = |p: &Project| match args.first() {
                Some(a) => {
                    p.key.eq_ignore_ascii_case(a)
                        || p.name.eq_ignore_ascii_case(a)
                        || p.id.0.to_string() == *a
                }
                None => true,
            };
            let picked: Vec<i64> = match name.to_lowercase().as_str() {
                "releasedversions" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && v.released)
                    .map(|(_, v)| v.id)
                    .collect(),
                "unreleasedversions" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && !v.released)
                    .map(|(_, v)| v.id)
                    .collect(),
                "latestreleasedversion" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && v.released)
                    .map(|(_, v)| v.id)
                    .next_back()
                    .into_iter()
                    .collect(),
                "earliestunreleasedversion" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && !v.released && !v.archived)
                    .map(|(_, v)| v.id)
                    .next()
                    .into_iter()
                    .collect(),
                _ => {
                    self.function_error(name);
                    Vec::new()
                }
            };
            return Ok(picked);
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let ids: Vec<i64> = all
            .iter()
            .filter(|(_, v)| v.name.eq_ignore_ascii_case(&text) || v.id.to_string() == text)
            .map(|(_, v)| v.id)
            .collect();
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        Ok(ids)
    }

    fn issue_ids(&mut self, field: &str, v: &Operand) -> StoreResult<Vec<i64>> {
        if let Operand::Function { name, args } = v {
            return self.issue_function(name, args);
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        match iq::by_ref(self.db, &IssueRef::parse(&text))? {
            Some(i) if self.projects.iter().any(|p| p.id == i.project_id) => Ok(vec![i.id.0]),
            _ => {
                self.error(format!(
                    "An issue with key '{text}' does not exist for field '{field}'."
                ));
                Ok(Vec::new())
            }
        }
    }

    /// Functions returning issues: `linkedIssues`, `watchedIssues`, `votedIssues`,
    /// `updatedBy`. Results are confined to browsable projects by the search scope.
    fn issue_function(&mut self, name: &str, args: &[String]) -> StoreResult<Vec<i64>> {
        let me = self.caller.map(|c| c.user.id);
        match name.to_lowercase().as_str() {
            "linkedissues" => {
                let Some(key) = args.first() else {
                    self.error("Function 'linkedIssues' expects an issue key.".into());
                    return Ok(Vec::new());
                };
                let Some(issue) = iq::by_ref(self.db, &IssueRef::parse(key))?
                    .filter(|i| self.projects.iter().any(|p| p.id == i.project_id))
                else {
                    self.error(format!(
                        "Issue '{key}' could not be found in function 'linkedIssues'."
                    ));
                    return Ok(Vec::new());
                };
                let wanted = args.get(1).map(|t| t.to_lowercase());
                let mut ids = Vec::new();
                for link in lq::of_issue(self.db, issue.id)? {
                    let outward = link.source_id == issue.id;
                    let other = if outward {
                        link.dest_id
                    } else {
                        link.source_id
                    };
                    let matches = match (&wanted, self.catalog.link_type(link.link_type_id)) {
                        (None, _) => true,
                        (Some(w), Some(t)) => {
                            t.name.to_lowercase() == *w
                                || (outward && t.outward.to_lowercase() == *w)
                                || (!outward && t.inward.to_lowercase() == *w)
                        }
                        (Some(_), None) => false,
                    };
                    if matches {
                        ids.push(other.0);
                    }
                }
                Ok(ids)
            }
            "watchedissues" | "votedissues" => {
                let Some(me) = me else { return Ok(Vec::new()) };
                let set = if name.eq_ignore_ascii_case("watchedissues") {
                    wq::UserSet::Watchers
                } else {
                    wq::UserSet::Voters
                };
                wq::issues_of_user(self.db, set, me)
            }
            "updatedby" => {
                let Some(user) = args.first() else {
                    self.error("Function 'updatedBy' expects a user.".into());
                    return Ok(Vec::new());
                };
                let Some(u) = uq::by_login(self.db, user)? else {
                    self.error(format!(
                        "User '{user}' could not be found in function 'updatedBy'."
                    ));
                    return Ok(Vec::new());
                };
                let from = match args.get(1) {
                    Some(a) => self.date_value("updatedBy", &Operand::Value(a.clone(), true)),
                    None => None,
                };
                let to = match args.get(2) {
                    Some(a) => self.date_value("updatedBy", &Operand::Value(a.clone(), true)),
                    None => None,
                };
                crate::store::queries::changelog::issues_updated_by(self.db, u.id, from, to)
            }
            "issuehistory" => {
                self.error("Function 'issueHistory' is not supported: Tessera does not record which issues you viewed.".into());
                Ok(Vec::new())
            }
            _ => {
                self.function_error(name);
                Ok(Vec::new())
            }
        }
    }

    fn key(&mut self, field: &Field, op: Operator, value: &Operand) -> StoreResult<Filter> {
        let fname = field.to_string();
        match op {
            Operator::Equals | Operator::In | Operator::NotEquals | Operator::NotIn => {
                let (ids, _) = self.ids_and_empty(value, &mut |r, v| r.issue_ids(&fname, v))?;
                let f = Filter::In(NumField::Id, ids);
                Ok(if matches!(op, Operator::NotEquals | Operator::NotIn) {
                    Filter::Not(Box::new(f))
                } else {
                    f
                })
            }
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let Some(text) = value_text(value) else {
                    return Ok(self.unsupported_operator(op, field));
                };
                let Some(issue) = iq::by_ref(self.db, &IssueRef::parse(&text))? else {
                    self.error(format!(
                        "An issue with key '{text}' does not exist for field '{fname}'."
                    ));
                    return Ok(Filter::Nothing);
                };
                let num: i64 = issue
                    .key
                    .rsplit('-')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let (lo, hi) = bounds(op, num);
                Ok(Filter::And(vec![
                    Filter::In(NumField::Project, vec![issue.project_id.0]),
                    Filter::Range(NumField::Num, lo, hi),
                ]))
            }
            Operator::Is | Operator::IsNot => Ok(self.is_needs_empty(field, op)),
            _ => Ok(self.unsupported_operator(op, field)),
        }
    }

    fn text(
        &mut self,
        field: &Field,
        fields: Vec<TextField>,
        op: Operator,
        value: &Operand,
    ) -> Filter {
        match (op, value) {
            (Operator::Is, Operand::Empty) if fields.len() == 1 => Filter::TextEmpty(fields[0]),
            (Operator::IsNot, Operand::Empty) if fields.len() == 1 => {
                Filter::Not(Box::new(Filter::TextEmpty(fields[0])))
            }
            (Operator::Like | Operator::NotLike, Operand::Value(s, _)) => {
                let m = text_match(s);
                let f = Filter::Text(fields, m);
                if op == Operator::NotLike {
                    Filter::Not(Box::new(f))
                } else {
                    f
                }
            }
            (Operator::Like | Operator::NotLike, Operand::Number(n)) => {
                let f = Filter::Text(fields, TextMatch::Words(n.to_string()));
                if op == Operator::NotLike {
                    Filter::Not(Box::new(f))
                } else {
                    f
                }
            }
            (Operator::Like | Operator::NotLike, _) => {
                self.error(format!("The operator '{}' does not support the list or function value for field '{field}'.", op.as_jql()));
                Filter::Nothing
            }
            _ => self.unsupported_operator(op, field),
        }
    }

    fn priority(&mut self, field: &Field, op: Operator, value: &Operand) -> StoreResult<Filter> {
        let fname = field.to_string();
        match op {
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let ids = self.catalog_ids(&fname, value, |c| {
                    c.priorities
                        .iter()
                        .map(|p| (p.id, p.name.clone()))
                        .collect()
                });
                let Some(target) = ids
                    .first()
                    .and_then(|id| self.catalog.priorities.iter().position(|p| p.id == *id))
                else {
                    return Ok(Filter::Nothing);
                };
                // Priorities are listed highest first: "greater" means earlier in the list.
                let picked: Vec<i64> = self
                    .catalog
                    .priorities
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| match op {
                        Operator::GreaterThan => *i < target,
                        Operator::GreaterThanEquals => *i <= target,
                        Operator::LessThan => *i > target,
                        _ => *i >= target,
                    })
                    .map(|(_, p)| p.id)
                    .collect();
                Ok(Filter::In(NumField::Priority, picked))
            }
            _ => self.equality(field, NumField::Priority, op, value, &mut |r, v| {
                Ok(r.catalog_ids(&fname, v, |c| {
                    c.priorities
                        .iter()
                        .map(|p| (p.id, p.name.clone()))
                        .collect()
                }))
            }),
        }
    }

    fn labels(&mut self, field: &Field, op: Operator, value: &Operand) -> StoreResult<Filter> {
        let items: Vec<Operand> = match value {
            Operand::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut labels = Vec::new();
        let mut empty = false;
        for i in &items {
            match i {
                Operand::Empty => empty = true,
                Operand::Function { name, .. } => self.function_error(name),
                other => labels.extend(value_text(other)),
            }
        }
        Ok(match op {
            Operator::Is if matches!(value, Operand::Empty) => Filter::LabelsEmpty,
            Operator::IsNot if matches!(value, Operand::Empty) => {
                Filter::Not(Box::new(Filter::LabelsEmpty))
            }
            Operator::Is | Operator::IsNot => self.is_needs_empty(field, op),
            Operator::Equals | Operator::In => {
                let f = Filter::LabelIn(labels);
                if empty {
                    Filter::Or(vec![f, Filter::LabelsEmpty])
                } else {
                    f
                }
            }
            Operator::NotEquals | Operator::NotIn => Filter::And(vec![
                Filter::Not(Box::new(Filter::LabelIn(labels))),
                Filter::Not(Box::new(Filter::LabelsEmpty)),
            ]),
            _ => self.unsupported_operator(op, field),
        })
    }

    /// A date operand as epoch milliseconds.
    fn date_value(&mut self, field: &str, v: &Operand) -> Option<i64> {
        match v {
            Operand::Function { name, args } => {
                let lower = name.to_lowercase();
                let offset = |unit: char| {
                    args.first()
                        .and_then(|a| parse_function_offset(a, unit))
                        .unwrap_or_default()
                };
                let now = self.now;
                let day = 86_400_000i64;
                let start_of_day = now - now.rem_euclid(day);
                let v = match lower.as_str() {
                    "now" | "currentlogin" | "lastlogin" => now,
                    "startofday" => apply_period(start_of_day, offset('d')),
                    "endofday" => apply_period(start_of_day + day - 1, offset('d')),
                    "startofweek" | "endofweek" => {
                        // Weeks start on Sunday, as in Jira's default (en_US) locale.
                        let days_since_sunday = ((start_of_day / day) + 4).rem_euclid(7);
                        let start = start_of_day - days_since_sunday * day;
                        let base = if lower == "startofweek" {
                            start
                        } else {
                            start + 7 * day - 1
                        };
                        apply_period(base, offset('w'))
                    }
                    "startofmonth" | "endofmonth" | "startofyear" | "endofyear" => {
                        let dt = ::time::OffsetDateTime::from_unix_timestamp(now / 1000).ok()?;
                        let (y, m) = (dt.year(), dt.month());
                        let unit = if lower.contains("month") { 'M' } else { 'y' };
                        let first = if unit == 'M' {
                            ::time::Date::from_calendar_date(y, m, 1).ok()?
                        } else {
                            ::time::Date::from_calendar_date(y, ::time::Month::January, 1).ok()?
                        };
                        let start = first.midnight().assume_utc().unix_timestamp() * 1000;
                        let base = if lower.starts_with("start") {
                            start
                        } else {
                            apply_period(
                                start,
                                Period {
                                    months: if unit == 'M' { 1 } else { 12 },
                                    minutes: 0,
                                },
                            ) - 1
                        };
                        apply_period(base, offset(unit))
                    }
                    _ => {
                        self.function_error(name);
                        return None;
                    }
                };
                Some(v)
            }
            Operand::Value(s, _) => match parse_date_value(s) {
                Some(DateValue::Absolute { date, time }) => {
                    let t = time.unwrap_or(::time::Time::MIDNIGHT);
                    Some(date.with_time(t).assume_utc().unix_timestamp() * 1000)
                }
                Some(DateValue::Relative(p)) => Some(apply_period(self.now, p)),
                None => {
                    self.error(format!("Date value '{s}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."));
                    None
                }
            },
            Operand::Number(n) => Some(*n),
            _ => {
                self.error(format!("The value for field '{field}' must be a date."));
                None
            }
        }
    }

    fn date(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
    ) -> StoreResult<Filter> {
        let fname = field.to_string();
        Ok(match op {
            Operator::Is | Operator::IsNot => match value {
                Operand::Empty if op == Operator::Is => Filter::Empty(nf),
                Operand::Empty => Filter::Not(Box::new(Filter::Empty(nf))),
                _ => self.is_needs_empty(field, op),
            },
            Operator::Equals | Operator::NotEquals | Operator::In | Operator::NotIn => {
                let items: Vec<&Operand> = match value {
                    Operand::List(items) => items.iter().collect(),
                    other => vec![other],
                };
                let mut parts = Vec::new();
                let mut empty = false;
                for i in items {
                    if matches!(i, Operand::Empty) {
                        empty = true;
                    } else if let Some(ms) = self.date_value(&fname, i) {
                        parts.push(Filter::Range(nf, Bound::Included(ms), Bound::Included(ms)));
                    }
                }
                if empty {
                    parts.push(Filter::Empty(nf));
                }
                let any = Filter::Or(parts);
                if matches!(op, Operator::NotEquals | Operator::NotIn) {
                    Filter::And(vec![
                        Filter::Not(Box::new(any)),
                        Filter::Not(Box::new(Filter::Empty(nf))),
                    ])
                } else {
                    any
                }
            }
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => match self.date_value(&fname, value) {
                Some(ms) => {
                    let (lo, hi) = bounds(op, ms);
                    Filter::Range(nf, lo, hi)
                }
                None => Filter::Nothing,
            },
            _ => self.unsupported_operator(op, field),
        })
    }

    fn duration(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
    ) -> StoreResult<Filter> {
        let tt = &self.catalog.time_tracking;
        let secs = |v: &Operand| match v {
            Operand::Number(n) => Some(n * 60),
            Operand::Value(s, _) => crate::service::fields::parse_duration_with(s, tt),
            _ => None,
        };
        Ok(match op {
            Operator::Is | Operator::IsNot => match value {
                Operand::Empty if op == Operator::Is => Filter::Empty(nf),
                Operand::Empty => Filter::Not(Box::new(Filter::Empty(nf))),
                _ => self.is_needs_empty(field, op),
            },
            _ => match secs(value) {
                None => {
                    self.error(format!(
                        "The value '{}' is not a valid duration for field '{field}'.",
                        value.display()
                    ));
                    Filter::Nothing
                }
                Some(s) => match op {
                    Operator::Equals => Filter::In(nf, vec![s]),
                    Operator::NotEquals => Filter::And(vec![
                        Filter::Not(Box::new(Filter::In(nf, vec![s]))),
                        Filter::Not(Box::new(Filter::Empty(nf))),
                    ]),
                    Operator::LessThan
                    | Operator::GreaterThan
                    | Operator::LessThanEquals
                    | Operator::GreaterThanEquals => {
                        let (lo, hi) = bounds(op, s);
                        Filter::Range(nf, lo, hi)
                    }
                    _ => self.unsupported_operator(op, field),
                },
            },
        })
    }

    fn custom(
        &mut self,
        field: &Field,
        id: i64,
        op: Operator,
        value: &Operand,
    ) -> StoreResult<Filter> {
        let Some(cf) = self.catalog.custom_field(id).cloned() else {
            return Ok(Filter::Nothing);
        };
        let fname = field.to_string();
        if matches!(cf.kind, CustomFieldKind::Text | CustomFieldKind::Textarea)
            && matches!(op, Operator::Like | Operator::NotLike)
        {
            // Custom text is indexed together; match it there and check the field has a value.
            let base = self.text(field, vec![TextField::CustomText], op, value);
            return Ok(Filter::And(vec![
                base,
                Filter::Not(Box::new(Filter::CustomEmpty(id))),
            ]));
        }
        let items: Vec<Operand> = match value {
            Operand::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut values = Vec::new();
        let mut empty = false;
        for item in &items {
            match item {
                Operand::Empty => empty = true,
                other => {
                    let canonical = match cf.kind {
                        CustomFieldKind::Select | CustomFieldKind::MultiSelect => {
                            let text = value_text(other).unwrap_or_default();
                            match cf.options.iter().find(|o| {
                                o.value.eq_ignore_ascii_case(&text) || o.id.to_string() == text
                            }) {
                                Some(o) => Some(o.id.to_string()),
                                None => {
                                    self.unknown_value(&fname, &text);
                                    None
                                }
                            }
                        }
                        CustomFieldKind::User => {
                            self.user_ids(&fname, other)?.first().map(|u| u.to_string())
                        }
                        CustomFieldKind::Text | CustomFieldKind::Textarea => {
                            value_text(other).map(|s| s.to_lowercase())
                        }
                        CustomFieldKind::Number => value_text(other)
                            .and_then(|s| s.parse::<f64>().ok())
                            .map(|n| n.to_string()),
                        _ => value_text(other),
                    };
                    values.extend(canonical);
                }
            }
        }
        Ok(match op {
            Operator::Is if matches!(value, Operand::Empty) => Filter::CustomEmpty(id),
            Operator::IsNot if matches!(value, Operand::Empty) => {
                Filter::Not(Box::new(Filter::CustomEmpty(id)))
            }
            Operator::Is | Operator::IsNot => self.is_needs_empty(field, op),
            Operator::Equals | Operator::In => {
                let f = Filter::CustomIn(id, values);
                if empty {
                    Filter::Or(vec![f, Filter::CustomEmpty(id)])
                } else {
                    f
                }
            }
            Operator::NotEquals | Operator::NotIn => Filter::And(vec![
                Filter::Not(Box::new(Filter::CustomIn(id, values))),
                Filter::Not(Box::new(Filter::CustomEmpty(id))),
            ]),
            _ => self.unsupported_operator(op, field),
        })
    }

    /// `WAS`, `WAS IN`, `WAS NOT`, `WAS NOT IN` and `CHANGED`, answered from the changelog.
    fn history(
        &mut self,
        field: &Field,
        kind: Kind,
        op: Operator,
        value: &Operand,
        predicates: &[HistoryPredicate],
    ) -> StoreResult<Filter> {
        let fname = field.to_string();
        let (field_id, nf) = match kind {
            Kind::Status => ("status", NumField::Status),
            Kind::Priority => ("priority", NumField::Priority),
            Kind::Resolution => ("resolution", NumField::Resolution),
            Kind::IssueType => ("issuetype", NumField::IssueType),
            Kind::User(NumField::Assignee) => ("assignee", NumField::Assignee),
            Kind::User(NumField::Reporter) => ("reporter", NumField::Reporter),
            Kind::Version(NumField::FixVersion) => ("fixVersions", NumField::FixVersion),
            _ => {
                self.error(format!(
                    "History searches are not supported by the '{fname}' field."
                ));
                return Ok(Filter::Nothing);
            }
        };
        let mut window = iq::HistoryWindow::default();
        for p in predicates {
            match p.kind {
                PredicateKind::By => {
                    let ids = self.user_ids(&fname, &p.value)?;
                    window.by = Some(ids);
                }
                PredicateKind::After => window.after = self.date_value(&fname, &p.value),
                PredicateKind::Before => window.before = self.date_value(&fname, &p.value),
                PredicateKind::On => {
                    if let Some(ms) = self.date_value(&fname, &p.value) {
                        let day = 86_400_000;
                        window.after = Some(ms - ms.rem_euclid(day));
                        window.before = Some(ms - ms.rem_euclid(day) + day);
                    }
                }
                PredicateKind::During => {
                    if let Operand::List(items) = &p.value
                        && items.len() == 2
                    {
                        window.after = self.date_value(&fname, &items[0]);
                        window.before = self.date_value(&fname, &items[1]).map(|b| b + 1);
                    }
                }
                PredicateKind::From | PredicateKind::To => {
                    let values = self.history_values(&fname, kind, &p.value)?;
                    if p.kind == PredicateKind::From {
                        window.from = Some(values);
                    } else {
                        window.to = Some(values);
                    }
                }
            }
        }
        if op == Operator::Changed {
            let ids = iq::changed(self.db, field_id, &window)?;
            return Ok(Filter::In(NumField::Id, ids));
        }
        let values = self.history_values(&fname, kind, value)?;
        let ids = iq::was(self.db, field_id, &values, &window)?;
        let mut matched = vec![Filter::In(NumField::Id, ids)];
        // With no time restriction the current value counts as "was" too.
        if window.after.is_none() && window.before.is_none() && window.by.is_none() {
            let current: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
            matched.push(Filter::In(nf, current));
        }
        let was = Filter::Or(matched);
        Ok(if matches!(op, Operator::WasNot | Operator::WasNotIn) {
            Filter::Not(Box::new(was))
        } else {
            was
        })
    }

    /// Values as the changelog stores them: ids, and account ids for users.
    fn history_values(
        &mut self,
        fname: &str,
        kind: Kind,
        value: &Operand,
    ) -> StoreResult<Vec<String>> {
        let (ids, _) = match kind {
            Kind::Status => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.statuses.iter().map(|s| (s.id, s.name.clone())).collect()
                }))
            })?,
            Kind::Priority => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.priorities
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::Resolution => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.resolutions
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::IssueType => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.issue_types
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::Version(_) => self.ids_and_empty(value, &mut |r, v| r.version_ids(fname, v))?,
            Kind::User(_) => {
                let (ids, _) = self.ids_and_empty(value, &mut |r, v| r.user_ids(fname, v))?;
                let users =
                    uq::by_ids(self.db, &ids.iter().map(|i| UserId(*i)).collect::<Vec<_>>())?;
                return Ok(users.into_iter().map(|u| u.account_id).collect());
            }
            _ => (Vec::new(), false),
        };
        Ok(ids.into_iter().map(|i| i.to_string()).collect())
    }

    fn sort(&mut self, q: &Query) -> StoreResult<Vec<SortKey>> {
        let mut keys = Vec::new();
        for o in &q.order_by {
            let descending = o.direction == Some(Direction::Desc);
            let Some(kind) = self.kind(&o.field) else {
                continue;
            };
            let key = |field: NumField, rank: Option<Arc<HashMap<i64, i64>>>| SortKey {
                field,
                rank,
                descending,
            };
            match kind {
                Kind::Date(nf) | Kind::Duration(nf) => keys.push(key(nf, None)),
                Kind::Key => {
                    keys.push(key(NumField::Project, Some(self.project_rank())));
                    keys.push(key(NumField::Num, None));
                }
                Kind::Project => keys.push(key(NumField::Project, Some(self.project_rank()))),
                Kind::Priority => {
                    // DESC lists Highest first, as in Jira.
                    let n = self.catalog.priorities.len() as i64;
                    let rank = self
                        .catalog
                        .priorities
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p.id, n - i as i64))
                        .collect();
                    keys.push(key(NumField::Priority, Some(Arc::new(rank))));
                }
                Kind::Status => {
                    let rank = self
                        .catalog
                        .statuses
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (s.id, i as i64))
                        .collect();
                    keys.push(key(NumField::Status, Some(Arc::new(rank))));
                }
                Kind::IssueType => {
                    let rank = self
                        .catalog
                        .issue_types
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.id, i as i64))
                        .collect();
                    keys.push(key(NumField::IssueType, Some(Arc::new(rank))));
                }
                Kind::Resolution => {
                    let rank = self
                        .catalog
                        .resolutions
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.id, i as i64))
                        .collect();
                    keys.push(key(NumField::Resolution, Some(Arc::new(rank))));
                }
                Kind::User(nf) => keys.push(key(nf, Some(self.user_rank()?))),
                _ => self.error(format!("Field '{}' does not support sorting.", o.field)),
            }
        }
        if q.order_by.is_empty() {
            // Jira's default order: newest key first.
            keys.push(SortKey {
                field: NumField::Project,
                rank: Some(self.project_rank()),
                descending: true,
            });
            keys.push(SortKey {
                field: NumField::Num,
                rank: None,
                descending: true,
            });
        } else {
            // Ties are broken by key.
            keys.push(SortKey {
                field: NumField::Project,
                rank: Some(self.project_rank()),
                descending: false,
            });
            keys.push(SortKey {
                field: NumField::Num,
                rank: None,
                descending: false,
            });
        }
        Ok(keys)
    }

    fn project_rank(&self) -> Arc<HashMap<i64, i64>> {
        let mut keys: Vec<&Project> = self.projects.iter().collect();
        keys.sort_by(|a, b| a.key.cmp(&b.key));
        Arc::new(
            keys.iter()
                .enumerate()
                .map(|(i, p)| (p.id.0, i as i64))
                .collect(),
        )
    }

    fn user_rank(&self) -> StoreResult<Arc<HashMap<i64, i64>>> {
        let users = uq::search(self.db, "", true, i64::MAX, 0)?;
        Ok(Arc::new(
            users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id.0, i as i64))
                .collect(),
        ))
    }
}

fn bounds(op: Operator, v: i64) -> (Bound<i64>, Bound<i64>) {
    match op {
        Operator::LessThan => (Bound::Unbounded, Bound::Excluded(v)),
        Operator::LessThanEquals => (Bound::Unbounded, Bound::Included(v)),
        Operator::GreaterThan => (Bound::Excluded(v), Bound::Unbounded),
        _ => (Bound::Included(v), Bound::Unbounded),
    }
}

/// Adds a period to a time: calendar months first, then the fixed part.
fn apply_period(ms: i64, p: Period) -> i64 {
    let mut out = ms;
    if p.months != 0
        && let Ok(dt) = ::time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
    {
        let total = dt.year() as i64 * 12 + (dt.month() as i64 - 1) + p.months;
        let (y, m) = (
            total.div_euclid(12) as i32,
            (total.rem_euclid(12) + 1) as u8,
        );
        if let Ok(month) = ::time::Month::try_from(m) {
            let last = month.length(y);
            if let Ok(date) = ::time::Date::from_calendar_date(y, month, dt.day().min(last)) {
                out = date.with_time(dt.time()).assume_utc().unix_timestamp() * 1000
                    + ms.rem_euclid(1000);
            }
        }
    }
    out + p.seconds() * 1000
}

/// Jira's `~` value: `"a b"` inside the value is a phrase, `abc*` a prefix, `?` a
/// one-character wildcard, anything else words that must all occur.
fn text_match(s: &str) -> TextMatch {
    let t = s.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        return TextMatch::Phrase(t[1..t.len() - 1].to_string());
    }
    if !t.contains(char::is_whitespace) {
        if t.ends_with('*') && !t[..t.len() - 1].contains(['*', '?']) {
            return TextMatch::Prefix(t.trim_end_matches('*').to_string());
        }
        if t.contains(['*', '?']) {
            return TextMatch::Wildcard(t.to_string());
        }
    }
    TextMatch::Words(t.to_string())
}

/// A page of search results.
pub struct SearchPage {
    pub views: Vec<crate::service::issues::IssueView>,
    pub total: usize,
    pub warnings: Vec<String>,
}

impl super::Service {
    /// Parses and resolves `jql` for the caller; errors are Jira-worded 400s.
    pub async fn resolve_jql(
        &self,
        caller: Option<&Caller>,
        jql: &str,
        validation: Validation,
    ) -> crate::error::Result<Resolved> {
        let query =
            crate::jql::parse(jql).map_err(|e| crate::error::Error::bad_request(e.message))?;
        let projects: Vec<Project> = self
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let catalog = self.catalog.current();
        let caller = caller.cloned();
        let resolved = self
            .store
            .read(move |db| {
                let every_project = pq::count(db)? == projects.len() as i64;
                let mut resolved =
                    resolve(db, &catalog, caller.as_ref(), &projects, &query, validation)?;
                if let Ok(r) = &mut resolved
                    && every_project
                {
                    // Browsing everything: no scope to evaluate per document.
                    r.scope = None;
                }
                Ok(resolved)
            })
            .await?;
        resolved.map_err(|messages| crate::error::Error {
            kind: crate::error::Kind::BadRequest,
            messages,
            fields: Default::default(),
        })
    }

    /// Runs a JQL search: one page of issues (with everything needed to render them).
    pub async fn search_jql(
        &self,
        caller: Option<&Caller>,
        jql: &str,
        validation: Validation,
        start: usize,
        max: usize,
        needs: crate::service::issues::ViewNeeds,
    ) -> crate::error::Result<SearchPage> {
        let resolved = self.resolve_jql(caller, jql, validation).await?;
        let (ids, total) = self
            .search_scoped(resolved.scope, resolved.filter, resolved.sort, start, max)
            .await?;
        let views = self
            .issues
            .view_issues_with(caller, ids.into_iter().map(IssueId).collect(), needs)
            .await?;
        Ok(SearchPage {
            views,
            total,
            warnings: resolved.warnings,
        })
    }

    /// Counts the matches of a JQL query.
    pub async fn count_jql(
        &self,
        caller: Option<&Caller>,
        jql: &str,
    ) -> crate::error::Result<usize> {
        let resolved = self.resolve_jql(caller, jql, Validation::Strict).await?;
        self.count_scoped(resolved.scope, resolved.filter).await
    }
}

impl super::Service {
    /// Values for `jql/autocompletedata/suggestions`: (value, display) pairs drawn from
    /// data the caller may see, matching `prefix` (case-insensitive).
    pub async fn jql_suggestions(
        &self,
        caller: Option<&Caller>,
        field: &str,
        prefix: &str,
    ) -> crate::error::Result<Vec<(String, String)>> {
        let lower = prefix.to_lowercase();
        let matches = |s: &str| {
            s.to_lowercase().starts_with(&lower) || s.to_lowercase().contains(&format!(" {lower}"))
        };
        let catalog = self.catalog.current();
        let projects: Vec<Project> = self
            .permissions
            .browsable_projects(caller)
            .await?
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let named = |items: Vec<String>| {
            items
                .into_iter()
                .filter(|n| matches(n))
                .map(|n| (n.clone(), n))
                .collect::<Vec<_>>()
        };
        let kind = system_kind(field).or_else(|| {
            catalog
                .custom_fields
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(field) || format!("cf[{}]", f.id) == field)
                .map(|f| Kind::Custom(f.id))
        });
        let mut out = match kind {
            Some(Kind::Project) => projects
                .iter()
                .filter(|p| matches(&p.key) || matches(&p.name))
                .map(|p| (p.key.clone(), format!("{} ({})", p.name, p.key)))
                .collect(),
            Some(Kind::Status) => named(catalog.statuses.iter().map(|s| s.name.clone()).collect()),
            Some(Kind::StatusCategory) => named(
                catalog
                    .status_categories
                    .iter()
                    .map(|s| s.name.clone())
                    .collect(),
            ),
            Some(Kind::IssueType) => {
                named(catalog.issue_types.iter().map(|s| s.name.clone()).collect())
            }
            Some(Kind::Priority) => {
                named(catalog.priorities.iter().map(|s| s.name.clone()).collect())
            }
            Some(Kind::Resolution) => {
                let mut r = named(catalog.resolutions.iter().map(|s| s.name.clone()).collect());
                if matches("Unresolved") {
                    r.push(("Unresolved".into(), "Unresolved".into()));
                }
                r
            }
            Some(Kind::User(_)) => match caller {
                Some(c)
                    if self
                        .permissions
                        .global_permissions(Some(c))
                        .has(crate::service::Permission::UserPicker) =>
                {
                    let q = prefix.to_string();
                    self.store
                        .read(move |db| uq::search(db, &q, false, 15, 0))
                        .await?
                        .into_iter()
                        .map(|u| {
                            (
                                u.username.clone(),
                                format!("{} ({})", u.display_name, u.username),
                            )
                        })
                        .collect()
                }
                _ => Vec::new(),
            },
            Some(Kind::Labels) => {
                let ids: Vec<i64> = projects.iter().map(|p| p.id.0).collect();
                let q = prefix.to_string();
                self.store
                    .read(move |db| iq::labels_in_projects(db, &q, &ids, 15))
                    .await?
                    .into_iter()
                    .map(|l| (l.clone(), l))
                    .collect()
            }
            Some(Kind::Component) | Some(Kind::Version(_)) => {
                let components = matches!(kind, Some(Kind::Component));
                let ps = projects.clone();
                let names: Vec<String> = self
                    .store
                    .read(move |db| {
                        let mut names = Vec::new();
                        for p in &ps {
                            if components {
                                names.extend(pq::components(db, p.id)?.into_iter().map(|c| c.name));
                            } else {
                                names.extend(pq::versions(db, p.id)?.into_iter().map(|v| v.name));
                            }
                        }
                        names.sort();
                        names.dedup();
                        Ok(names)
                    })
                    .await?;
                named(names)
            }
            Some(Kind::Custom(id)) => catalog
                .custom_field(id)
                .map(|f| {
                    named(
                        f.options
                            .iter()
                            .filter(|o| !o.disabled)
                            .map(|o| o.value.clone())
                            .collect(),
                    )
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        out.truncate(15);
        Ok(out)
    }

    /// Fields a caller can search and sort, for `jql/autocompletedata`.
    pub fn jql_custom_fields(&self) -> Vec<CustomField> {
        self.catalog.current().custom_fields.clone()
    }
}

impl super::Service {
    /// `issue/picker` with `currentJQL`: matches of the query (key or summary words
    /// starting with it) among the JQL's results, in the JQL's order.
    pub async fn pick_issues_jql(
        &self,
        caller: Option<&Caller>,
        query: &str,
        jql: &str,
        limit: usize,
    ) -> crate::error::Result<Vec<Issue>> {
        let resolved = self.resolve_jql(caller, jql, Validation::Strict).await?;
        let text = query.trim();
        let filter = if text.is_empty() {
            resolved.filter
        } else {
            Filter::And(vec![
                resolved.filter,
                Filter::Or(vec![
                    Filter::KeyIn(vec![text.to_uppercase()]),
                    Filter::Text(
                        vec![TextField::Summary],
                        TextMatch::Prefix(text.to_string()),
                    ),
                ]),
            ])
        };
        let (ids, _) = self
            .search_scoped(resolved.scope, filter, resolved.sort, 0, limit)
            .await?;
        let views = self
            .issues
            .view_issues(caller, ids.into_iter().map(IssueId).collect())
            .await?;
        Ok(views.into_iter().map(|v| v.issue).collect())
    }
}
