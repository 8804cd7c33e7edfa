//! Semantic checks of a parsed query against the field catalogue and the function
//! list, in Jira's validator wording: unknown fields, operators a field does not
//! support, EMPTY where a field has no empty state, functions (existence, arity,
//! offsets, list or single value) and date values.

use super::ast::*;
use super::dates::{DATE_FORMATS, parse_date_value, parse_function_offset};
use super::error::ParseError;
use super::fields::{FieldCatalogue, FieldRef, ValueKind};
use super::functions::{self, Returns};

/// Every problem found, in source order; empty when the query is valid.
pub fn validate(query: &Query, catalogue: &FieldCatalogue<'_>) -> Vec<ParseError> {
    let mut errors = Vec::new();
    for clause in query.terminals() {
        if let Clause::Terminal {
            field,
            op,
            value,
            predicates,
            span,
            ..
        } = clause
        {
            terminal(catalogue, field, *op, value, predicates, *span, &mut errors);
        }
    }
    for o in &query.order_by {
        let refs = catalogue.resolve(&o.field);
        if refs.is_empty() {
            errors.push(unknown_field(&o.field, o.span));
        } else if !refs.iter().any(FieldRef::orderable) {
            errors.push(ParseError::validation(
                format!("Field '{}' does not support sorting.", o.field),
                o.span,
            ));
        }
    }
    errors
}

fn unknown_field(field: &Field, span: Span) -> ParseError {
    ParseError::validation(
        format!("Field '{field}' does not exist or you do not have permission to view it."),
        span,
    )
}

fn terminal(
    catalogue: &FieldCatalogue<'_>,
    field: &Field,
    op: Operator,
    value: &Operand,
    predicates: &[HistoryPredicate],
    span: Span,
    errors: &mut Vec<ParseError>,
) {
    let refs = catalogue.resolve(field);
    if refs.is_empty() {
        errors.push(unknown_field(field, span));
        return;
    }
    let Some(target) = refs.iter().find(|r| r.supports(op)) else {
        errors.push(ParseError::validation(
            format!(
                "The operator '{}' is not supported by the '{field}' field.",
                op.display()
            ),
            span,
        ));
        return;
    };
    let before = errors.len();
    if op == Operator::Changed {
        // No operand: only the predicates are checked.
    } else if op.is_relational() && *value == Operand::Empty {
        errors.push(ParseError::validation(
            format!("Operator '{}' does not support the empty value representation 'EMPTY' for field '{field}'.", op.display()),
            span,
        ));
    } else if contains_empty(value) && !target.supports_empty() {
        errors.push(ParseError::validation(
            format!("The field '{field}' does not support searching for EMPTY values."),
            span,
        ));
    }
    functions_in(value, span, errors);
    if errors.len() == before && op != Operator::Changed {
        if let Operand::Function { name, .. } = value {
            function_use(field, op, target, name, value, span, errors);
        } else {
            values(field, target.kind(), value, span, errors);
        }
    }
    for p in predicates {
        predicate(p, errors);
    }
}

fn contains_empty(v: &Operand) -> bool {
    match v {
        Operand::Empty => true,
        Operand::List(items) => items.iter().any(contains_empty),
        _ => false,
    }
}

/// Existence, arity and offset arguments of every function in `v`.
fn functions_in(v: &Operand, span: Span, errors: &mut Vec<ParseError>) {
    match v {
        Operand::List(items) => items.iter().for_each(|i| functions_in(i, span, errors)),
        Operand::Function { name, args } => {
            let Some(def) = functions::lookup(name) else {
                errors.push(ParseError::validation(
                    format!("Unable to find JQL function '{name}()'."),
                    span,
                ));
                return;
            };
            if let Some(m) = def.arity_error(args.len()) {
                errors.push(ParseError::validation(m, span));
            } else if let (Some(unit), Some(arg)) = (def.offset_unit, args.first())
                && parse_function_offset(arg, unit).is_none()
            {
                errors.push(ParseError::validation(
                    format!(
                        "Duration for function '{}' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.",
                        def.name
                    ),
                    span,
                ));
            }
        }
        _ => {}
    }
}

/// Whether a function's result fits the field and the operator.
fn function_use(
    field: &Field,
    op: Operator,
    target: &FieldRef,
    name: &str,
    value: &Operand,
    span: Span,
    errors: &mut Vec<ParseError>,
) {
    let Some(def) = functions::lookup(name) else {
        return;
    };
    let kind = target.kind();
    let fits = match def.returns {
        Returns::User | Returns::Users => matches!(kind, ValueKind::User),
        Returns::Date => kind.is_date(),
        Returns::Issues => matches!(kind, ValueKind::IssueKey),
        Returns::Versions | Returns::Version => matches!(kind, ValueKind::Version),
        Returns::Components => matches!(kind, ValueKind::Component),
        // The Sprint field is a custom field: its kind is not one of the system kinds.
        Returns::Sprints => !kind.is_date(),
    };
    if !fits {
        errors.push(ParseError::validation(
            format!(
                "The function '{}' is not supported by the '{field}' field.",
                def.name
            ),
            span,
        ));
    } else if def.returns.is_list() && !op.takes_list() {
        errors.push(ParseError::validation(
            format!(
                "Operator '{}' does not support the list value '{}' for field '{field}'.",
                op.display(),
                value.display()
            ),
            span,
        ));
    } else if !def.returns.is_list() && op.takes_list() {
        errors.push(ParseError::validation(
            format!(
                "Operator '{}' does not support the non-list value '{}' for field '{field}'.",
                op.display(),
                value.display()
            ),
            span,
        ));
    }
}

/// Literal values a field of `kind` cannot hold.
fn values(field: &Field, kind: ValueKind, v: &Operand, span: Span, errors: &mut Vec<ParseError>) {
    match v {
        Operand::List(items) => items
            .iter()
            .for_each(|i| values(field, kind, i, span, errors)),
        Operand::Value(s, _) if kind.is_date() && parse_date_value(s).is_none() => {
            errors.push(ParseError::validation(
                format!("Date value '{s}' for field '{field}' is invalid. {DATE_FORMATS}"),
                span,
            ));
        }
        Operand::Value(s, _)
            if kind == ValueKind::IssueKey && !is_issue_key(s) && s.parse::<u64>().is_err() =>
        {
            errors.push(ParseError::validation(
                format!("The issue key '{s}' for field '{field}' is invalid."),
                span,
            ));
        }
        Operand::Value(s, _) if kind == ValueKind::Number && s.trim().parse::<u64>().is_err() => {
            errors.push(ParseError::validation(
                format!("The value '{s}' for field '{field}' is invalid - please specify a positive integer."),
                span,
            ));
        }
        Operand::Number(n) if kind == ValueKind::Number && *n < 0 => {
            errors.push(ParseError::validation(
                format!("The value '{n}' for field '{field}' is invalid - please specify a positive integer."),
                span,
            ));
        }
        _ => {}
    }
}

/// `ABC-123`: a project key (a letter, then letters, digits or `_`), a dash, digits.
pub fn is_issue_key(s: &str) -> bool {
    let Some((project, number)) = s.rsplit_once('-') else {
        return false;
    };
    let mut chars = project.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

fn predicate(p: &HistoryPredicate, errors: &mut Vec<ParseError>) {
    functions_in(&p.value, p.span, errors);
    let name = p.kind.display();
    let singles: Vec<&Operand> = match &p.value {
        Operand::List(items) => items.iter().collect(),
        v => vec![v],
    };
    for v in singles {
        match v {
            Operand::Function { name: f, .. } => {
                let Some(def) = functions::lookup(f) else {
                    continue;
                };
                let ok = if p.kind.is_date() {
                    def.returns == Returns::Date
                } else if p.kind == super::ast::PredicateKind::By {
                    matches!(def.returns, Returns::User | Returns::Users)
                } else {
                    true
                };
                if !ok {
                    let what = if p.kind.is_date() { "date" } else { "user" };
                    errors.push(ParseError::validation(
                        format!("A {what} for the predicate '{name}' provided by the function '{}' is not valid.", def.name),
                        p.span,
                    ));
                }
            }
            Operand::Value(s, _) if p.kind.is_date() && parse_date_value(s).is_none() => {
                errors.push(ParseError::validation(
                    format!("Date value '{s}' for predicate '{name}' is invalid. {DATE_FORMATS}"),
                    p.span,
                ));
            }
            Operand::Empty if p.kind.is_date() || p.kind == super::ast::PredicateKind::By => {
                errors.push(ParseError::validation(
                    format!(
                        "The {} predicate does not support the empty value representation 'EMPTY'.",
                        p.kind.as_jql()
                    ),
                    p.span,
                ));
            }
            _ => {}
        }
    }
}
