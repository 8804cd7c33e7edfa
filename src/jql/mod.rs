//! JQL, the Jira Query Language: lexer, parser, syntax tree, canonical printer,
//! field catalogue, validation, and resolution into a [`Plan`]. **No I/O**: no store,
//! index, runtime or files; [`resolve`] reads names, users and history through a
//! [`Lookup`] the service implements, and `search/` runs the plan.
//!
//! # Grammar
//!
//! ```text
//! query      := clause? (ORDER BY sortKey ("," sortKey)*)?
//! sortKey    := field (ASC | DESC)?
//! clause     := and ((OR | "||" | "|") and)*            -- OR binds loosest
//! and        := not ((AND | "&&" | "&") not)*
//! not        := (NOT | "!") not | "(" clause ")" | terminal
//! terminal   := field op operand predicate*
//!             | field CHANGED predicate*
//! op         := "=" | "!=" | "<" | ">" | "<=" | ">=" | "~" | "!~"
//!             | IN | NOT IN | IS | IS NOT | WAS | WAS NOT | WAS IN | WAS NOT IN
//! predicate  := (AFTER | BEFORE | ON | BY | FROM | TO) operand
//!             | DURING "(" operand "," operand ")"
//! operand    := EMPTY | NULL | string | number | list | function
//! list       := "(" operand ("," operand)* ")"           -- lists nest
//! function   := string "(" (arg ("," arg)*)? ")"         -- arg: string or number
//! field      := string | number | "cf" "[" digits "]"
//! string     := bare word | "double quoted" | 'single quoted'
//! ```
//!
//! Keywords are case-insensitive. A bare word runs until whitespace or one of
//! `" ' = ! < > ( ) ~ , [ ] | &`, so `PROJ-12`, `-1d` and `2026-01-31` are words;
//! `{ } * / % + ^ $ # @ ? ;` are errors outside quotes. Backslash escapes
//! (`\" \' \\ \n \r \t \  \uXXXX`) work in bare words and quoted strings; a bare
//! word with an escape is never a keyword or a number. Jira's reserved words
//! ([`lexer::RESERVED_WORDS`]) must be quoted.
//!
//! The parser also enforces the operand shape rules Jira's validator applies
//! regardless of the field (`IS` takes only EMPTY, `IN` a list or function, only
//! `WAS…`/`CHANGED` take predicates, `DURING` two dates); [`validate`] checks
//! fields, operators, functions and date values against a [`FieldCatalogue`].
//!
//! Limits: [`MAX_QUERY_LEN`] bytes, [`MAX_DEPTH`] levels of parentheses, NOT and
//! nested lists, [`MAX_LIST_LEN`] values per list; beyond them parsing fails cleanly.

mod ast;
pub mod dates;
mod error;
pub mod fields;
pub mod functions;
pub mod lexer;
pub mod lookup;
mod negate;
mod order_by;
mod parser;
pub mod plan;
pub mod printer;
pub mod resolve;
mod validate;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use error::ParseError;
pub use fields::{
    CustomField, CustomFieldResolver, FieldCatalogue, FieldRef, NoCustomFields, ValueKind,
};
pub use lookup::{Lookup, Validation};
pub use order_by::split_order_by;
pub use parser::parse;
pub use plan::{Plan, Predicate};
pub use printer::quote_value;
pub use resolve::resolve;
pub use validate::{is_issue_key, validate};

/// Longest query accepted, in bytes.
pub const MAX_QUERY_LEN: usize = 100_000;
/// Deepest nesting of parentheses, NOT and lists.
pub const MAX_DEPTH: usize = 100;
/// Most values in one list (and arguments in one function call).
pub const MAX_LIST_LEN: usize = 10_000;
