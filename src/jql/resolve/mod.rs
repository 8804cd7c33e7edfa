//! Resolution: a parsed query, checked against the data a [`Lookup`] gives, becomes a
//! [`Plan`]. Names become ids, functions are evaluated, dates are fixed against
//! "now", and every unknown name is reported in Jira's words. Pure: all data comes
//! through the lookup.

mod history;
mod kinds;
mod sort;
mod terms;
mod time;
mod values;

use std::ops::Bound;

use super::lookup::{Lookup, Validation};
use super::plan::{NumField, Plan, Predicate, TextField};
use super::{Clause, Field, HistoryPredicate, Operand, Operator, Query};
use crate::domain::{CustomField, LinkType};
use kinds::FieldKind as Kind;
pub use kinds::{FieldKind, system_kind};

/// A lookup's result.
type Out<T, L> = Result<T, <L as Lookup>::Error>;

/// Resolves one value of a field into ids.
type ValuesOf<'f, 'a, L> = dyn FnMut(&mut Resolver<'a, L>, &Operand) -> Out<Vec<i64>, L> + 'f;

struct Resolver<'a, L: Lookup> {
    lookup: &'a L,
    validation: Validation,
    now: i64,
    errors: Vec<String>,
    warnings: Vec<String>,
    /// Resolving a terminal under NOT with its operator flipped.
    flipped: bool,
}

/// Resolves a parsed query against `lookup`. The outer `Err` is the lookup's own
/// (storage) error; the inner one holds Jira-worded messages, all of them at once.
pub fn resolve<L: Lookup>(
    lookup: &L,
    query: &Query,
    validation: Validation,
) -> Out<Result<Plan, Vec<String>>, L> {
    let mut r = Resolver {
        lookup,
        validation,
        now: lookup.now(),
        errors: Vec::new(),
        warnings: Vec::new(),
        flipped: false,
    };
    let predicate = match &query.clause {
        Some(c) => r.clause(c)?,
        None => Predicate::All,
    };
    let sort = r.sort(query)?;
    if !r.errors.is_empty() {
        return Ok(Err(r.errors));
    }
    Ok(Ok(Plan {
        predicate,
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

fn bounds(op: Operator, v: i64) -> (Bound<i64>, Bound<i64>) {
    match op {
        Operator::LessThan => (Bound::Unbounded, Bound::Excluded(v)),
        Operator::LessThanEquals => (Bound::Unbounded, Bound::Included(v)),
        Operator::GreaterThan => (Bound::Excluded(v), Bound::Unbounded),
        _ => (Bound::Included(v), Bound::Unbounded),
    }
}

impl<'a, L: Lookup> Resolver<'a, L> {
    fn custom_field(&self, id: i64) -> Option<&CustomField> {
        self.lookup.custom_fields().iter().find(|f| f.id == id)
    }

    fn link_type(&self, id: i64) -> Option<&LinkType> {
        self.lookup.link_types().iter().find(|t| t.id == id)
    }

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
                if self.custom_field(id).is_some() {
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
                    && self.custom_field(id).is_some()
                {
                    return Some(Kind::Custom(id));
                }
                if let Some(f) = self
                    .lookup
                    .custom_fields()
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

    fn clause(&mut self, c: &Clause) -> Out<Predicate, L> {
        Ok(match c {
            Clause::And(parts) => Predicate::And(
                parts
                    .iter()
                    .map(|p| self.clause(p))
                    .collect::<Out<_, L>>()?,
            ),
            Clause::Or(parts) => Predicate::Or(
                parts
                    .iter()
                    .map(|p| self.clause(p))
                    .collect::<Out<_, L>>()?,
            ),
            Clause::Not(inner) => self.negated(inner)?,
            Clause::Terminal {
                field,
                op,
                value,
                predicates,
                ..
            } => {
                let Some(kind) = self.kind(field) else {
                    return Ok(Predicate::Nothing);
                };
                self.terminal(field, kind, *op, value, predicates)?
            }
        })
    }

    /// `NOT c` as Jira reads it (see `jql/negate.rs`): pushed through AND and OR by
    /// De Morgan's laws, each terminal resolved with the opposite operator, whose
    /// negation skips empty fields; only `CHANGED`, without an opposite, becomes the
    /// complement.
    fn negated(&mut self, c: &Clause) -> Out<Predicate, L> {
        Ok(match c {
            Clause::And(parts) => Predicate::Or(
                parts
                    .iter()
                    .map(|p| self.negated(p))
                    .collect::<Out<_, L>>()?,
            ),
            Clause::Or(parts) => Predicate::And(
                parts
                    .iter()
                    .map(|p| self.negated(p))
                    .collect::<Out<_, L>>()?,
            ),
            Clause::Not(inner) => self.clause(inner)?,
            Clause::Terminal {
                field,
                op,
                value,
                predicates,
                ..
            } => match op.opposite() {
                None => Predicate::Not(Box::new(self.clause(c)?)),
                Some(opposite) => {
                    let Some(kind) = self.kind(field) else {
                        return Ok(Predicate::Nothing);
                    };
                    // Messages name the operator as written, not its opposite.
                    let outer = std::mem::replace(&mut self.flipped, true);
                    let p = self.terminal(field, kind, opposite, value, predicates);
                    self.flipped = outer;
                    p?
                }
            },
        })
    }

    /// The operator as the query wrote it, for messages.
    fn written(&self, op: Operator) -> Operator {
        match op.opposite() {
            Some(o) if self.flipped => o,
            _ => op,
        }
    }

    fn unsupported_operator(&mut self, op: Operator, field: &Field) -> Predicate {
        self.error(format!(
            "The operator '{}' is not supported by the '{field}' field.",
            self.written(op).as_jql()
        ));
        Predicate::Nothing
    }

    /// `= != IN NOT IN IS IS NOT` over a field whose values resolve to ids.
    fn equality(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
        resolve: &mut ValuesOf<'_, 'a, L>,
    ) -> Out<Predicate, L> {
        Ok(match op {
            Operator::Is => match value {
                Operand::Empty => Predicate::Empty(nf),
                _ => self.is_needs_empty(field, op),
            },
            Operator::IsNot => match value {
                Operand::Empty => Predicate::Not(Box::new(Predicate::Empty(nf))),
                _ => self.is_needs_empty(field, op),
            },
            Operator::Equals | Operator::In => match value {
                Operand::Empty => Predicate::Empty(nf),
                _ => {
                    let (ids, empty) = self.ids_and_empty(value, resolve)?;
                    let base = Predicate::In(nf, ids);
                    if empty {
                        Predicate::Or(vec![base, Predicate::Empty(nf)])
                    } else {
                        base
                    }
                }
            },
            // Jira: != and NOT IN never match issues where the field is empty.
            Operator::NotEquals | Operator::NotIn => match value {
                Operand::Empty => Predicate::Not(Box::new(Predicate::Empty(nf))),
                _ => {
                    let (ids, empty) = self.ids_and_empty(value, resolve)?;
                    let mut parts = vec![Predicate::Not(Box::new(Predicate::In(nf, ids)))];
                    parts.push(Predicate::Not(Box::new(Predicate::Empty(nf))));
                    let _ = empty;
                    Predicate::And(parts)
                }
            },
            _ => self.unsupported_operator(op, field),
        })
    }

    fn is_needs_empty(&mut self, field: &Field, op: Operator) -> Predicate {
        self.error(format!(
            "The operator '{}' can only be used with the 'EMPTY' value for the '{field}' field.",
            self.written(op).as_jql()
        ));
        Predicate::Nothing
    }

    /// Resolves a value or list into ids; `EMPTY` inside a list is reported separately.
    fn ids_and_empty(
        &mut self,
        value: &Operand,
        resolve: &mut ValuesOf<'_, 'a, L>,
    ) -> Out<(Vec<i64>, bool), L> {
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

    // One arm per kind of field: a dispatch table, long because the kinds are many.
    fn terminal(
        &mut self,
        field: &Field,
        kind: Kind,
        op: Operator,
        value: &Operand,
        predicates: &[HistoryPredicate],
    ) -> Out<Predicate, L> {
        if op.is_history() {
            return self.history(field, kind, op, value, predicates);
        }
        let fname = field.to_string();
        match kind {
            Kind::NotYet(what) => {
                self.error(format!("Searching by '{fname}' is not supported yet: Tessera does not track {what} yet."));
                Ok(Predicate::Nothing)
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
                        c.issue_types()
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
                        c.statuses()
                            .iter()
                            .map(|s| (s.id, s.name.clone()))
                            .collect()
                    }))
                })
            }
            Kind::StatusCategory => self.status_category(field, op, value),
            Kind::Priority => self.priority(field, op, value),
            Kind::Resolution => self.resolution(field, op, value),
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
                (Operator::Is, Operand::Empty) => Predicate::Empty(NumField::Attachments),
                (Operator::IsNot, Operand::Empty) => {
                    Predicate::Not(Box::new(Predicate::Empty(NumField::Attachments)))
                }
                _ => self.is_needs_empty(field, op),
            }),
            Kind::SecurityLevel => {
                let name = fname.clone();
                self.equality(field, NumField::SecurityLevel, op, value, &mut |r, v| {
                    Ok(r.catalog_ids(&name, v, |c| c.security_levels().to_vec()))
                })
            }
            Kind::LinkType => {
                let name = fname.clone();
                self.equality(field, NumField::IssueLinkType, op, value, &mut |r, v| {
                    Ok(r.link_type_ids(&name, v))
                })
            }
        }
    }
}
