//! Parser, printer, validator, date and resolution tests: examples, a table of Jira's
//! error messages with positions, limits, deterministic property tests (no extra
//! dependencies: a xorshift generator drives them), and plans resolved against a fake
//! lookup, without a store or an index.

mod dates;
mod fake;
mod negation;
mod parse;
mod print;
mod resolve_errors;
mod resolve_fields;
mod resolve_functions;
mod validate;

use super::dates::{
    DateValue, Period, parse_absolute, parse_date_value, parse_function_offset, parse_period,
};
use super::*;

fn q(src: &str) -> Query {
    match parse(src) {
        Ok(q) => q.without_spans(),
        Err(e) => panic!("{src:?} failed: {}", e.message),
    }
}

fn clause(src: &str) -> Clause {
    q(src).clause.expect("a clause")
}

fn err(src: &str) -> String {
    match parse(src) {
        Ok(q) => panic!("{src:?} parsed as {q:?}"),
        Err(e) => e.message,
    }
}

fn t(field: &str, op: Operator, value: Operand) -> Clause {
    tp(field, op, value, vec![])
}

fn tp(field: &str, op: Operator, value: Operand, predicates: Vec<HistoryPredicate>) -> Clause {
    Clause::Terminal {
        field: Field::Name(field.into()),
        op,
        value,
        predicates,
        span: Span::default(),
        field_span: Span::default(),
        op_span: Span::default(),
        value_span: Span::default(),
    }
}

fn v(s: &str) -> Operand {
    Operand::Value(s.into(), false)
}

fn qv(s: &str) -> Operand {
    Operand::Value(s.into(), true)
}

fn pred(kind: PredicateKind, value: Operand) -> HistoryPredicate {
    HistoryPredicate {
        kind,
        value,
        span: Span::default(),
    }
}

fn func(name: &str, args: &[&str]) -> Operand {
    Operand::Function {
        name: name.into(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

// ---------------------------------------------------------------- successes
