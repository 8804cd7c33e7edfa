//! Canonical JQL: keywords upper-case, one space between tokens, parentheses only
//! where precedence needs them, strings quoted or escaped only where the lexer needs
//! it. For every query `q` the parser produces, `parse(&q.to_string())` equals `q`
//! up to spans.

use std::fmt::{self, Display, Formatter, Write};

use super::ast::*;
use super::lexer::{is_reserved_word, is_word_char};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Value,
    Field,
    Other,
}

fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn plain_char(c: char) -> bool {
    c != '\\' && is_word_char(c)
}

/// True when `s` reads back as the same bare word in `place`.
fn bare_ok(s: &str, place: Place) -> bool {
    !s.is_empty()
        && s.chars().all(plain_char)
        && !is_reserved_word(s)
        && (place != Place::Value || !is_number(s))
        && (place != Place::Field || !s.eq_ignore_ascii_case("cf"))
}

/// Writes `s` in double quotes with Jira's escapes.
pub fn write_quoted(f: &mut impl Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{:04x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// A string in `place`: bare when it can be, otherwise quoted.
fn write_string(f: &mut impl Write, s: &str, place: Place) -> fmt::Result {
    if bare_ok(s, place) {
        f.write_str(s)
    } else {
        write_quoted(f, s)
    }
}

/// An unquoted value that is not a plain bare word (it holds whitespace or special
/// characters, or spells a keyword or number): written bare with `\uXXXX` escapes,
/// which keep it an unquoted string when read back.
fn write_escaped_bare(f: &mut impl Write, s: &str) -> fmt::Result {
    if s.is_empty() {
        return f.write_str("\"\"");
    }
    let needs_first = s.chars().all(plain_char);
    for (i, c) in s.chars().enumerate() {
        if c == '\\' {
            f.write_str("\\\\")?;
        } else if !plain_char(c) || (i == 0 && needs_first) {
            write!(f, "\\u{:04x}", c as u32)?;
        } else {
            f.write_char(c)?;
        }
    }
    Ok(())
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.clause {
            write!(f, "{c}")?;
        }
        if !self.order_by.is_empty() {
            if self.clause.is_some() {
                f.write_char(' ')?;
            }
            f.write_str("ORDER BY ")?;
            for (i, o) in self.order_by.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{o}")?;
            }
        }
        Ok(())
    }
}

impl Display for OrderBy {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_field(f, &self.field)?;
        match self.direction {
            Some(Direction::Asc) => f.write_str(" ASC"),
            Some(Direction::Desc) => f.write_str(" DESC"),
            None => Ok(()),
        }
    }
}

fn write_field(f: &mut impl Write, field: &Field) -> fmt::Result {
    match field {
        Field::Name(n) => write_string(f, n, Place::Field),
        Field::CustomId(id) => write!(f, "cf[{id}]"),
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Clause::Or(items) => {
                for (i, c) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    match c {
                        Clause::Or(_) => write!(f, "({c})")?,
                        _ => write!(f, "{c}")?,
                    }
                }
                Ok(())
            }
            Clause::And(items) => {
                for (i, c) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" AND ")?;
                    }
                    match c {
                        Clause::Or(_) | Clause::And(_) => write!(f, "({c})")?,
                        _ => write!(f, "{c}")?,
                    }
                }
                Ok(())
            }
            Clause::Not(inner) => match **inner {
                Clause::Or(_) | Clause::And(_) => write!(f, "NOT ({inner})"),
                _ => write!(f, "NOT {inner}"),
            },
            Clause::Terminal {
                field,
                op,
                value,
                predicates,
                ..
            } => {
                write_field(f, field)?;
                write!(f, " {}", op.as_jql())?;
                if *op != Operator::Changed {
                    write!(f, " {value}")?;
                }
                for p in predicates {
                    write!(f, " {} {}", p.kind.as_jql(), p.value)?;
                }
                Ok(())
            }
        }
    }
}

impl Display for Operand {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Empty => f.write_str("EMPTY"),
            Operand::Value(s, true) => write_quoted(f, s),
            Operand::Value(s, false) if bare_ok(s, Place::Value) => f.write_str(s),
            Operand::Value(s, false) => write_escaped_bare(f, s),
            Operand::Number(n) => write!(f, "{n}"),
            Operand::List(items) => {
                f.write_char('(')?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_char(')')
            }
            Operand::Function { name, args } => {
                write_string(f, name, Place::Other)?;
                f.write_char('(')?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_string(f, a, Place::Other)?;
                }
                f.write_char(')')
            }
        }
    }
}

/// `s` as a JQL string literal: bare when that reads back as the same value, else
/// double-quoted. For building queries from user input.
pub fn quote_value(s: &str) -> String {
    let mut out = String::new();
    let _ = write_string(&mut out, s, Place::Value);
    out
}
