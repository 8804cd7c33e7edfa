//! [`ParseError`]: one message in Jira's words and where it points.

use super::ast::Span;

/// A syntax or validation error. `message` is the complete text a Jira client sees in
/// `errorMessages`:
///
/// - syntax errors read `Error in the JQL Query: … (line 1, character 17)`, without the
///   position when the problem is the end of the query;
/// - validation errors (unsupported operator, unknown field, bad predicate) carry
///   Jira's validator wording with neither prefix nor position.
///
/// Either way `span` locates the offending text (an empty span at the end for "before
/// the end of the query").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

const PREFIX: &str = "Error in the JQL Query: ";

impl ParseError {
    /// A syntax error at a token: prefix, message and `(line l, character c)`.
    pub fn syntax(message: impl AsRef<str>, span: Span) -> ParseError {
        ParseError {
            message: format!(
                "{PREFIX}{} (line {}, character {})",
                message.as_ref(),
                span.line,
                span.column
            ),
            span,
        }
    }

    /// A syntax error at the end of the query: prefix and message, no position.
    pub fn at_end(message: impl AsRef<str>, span: Span) -> ParseError {
        ParseError {
            message: format!("{PREFIX}{}", message.as_ref()),
            span,
        }
    }

    /// A validation error: the message as is.
    pub fn validation(message: impl Into<String>, span: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span,
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}
