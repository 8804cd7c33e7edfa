//! Tokens of JQL, read on demand so that the first error in reading order wins.
//!
//! As in Jira's lexer: a bare word runs until whitespace or one of
//! `" ' = ! < > ( ) ~ , [ ] | &`; the characters `{ } * / % + ^ $ # @ ? ;` are
//! reserved outside quotes; backslash escapes work in bare words and in quoted
//! strings; a bare word of digits (with an optional leading `-`) is a number.

use super::ast::Span;
use super::error::ParseError;

/// Characters that are errors outside a quoted string.
pub const RESERVED_CHARS: &[char] = &['{', '}', '*', '/', '%', '+', '^', '$', '#', '@', '?', ';'];

/// Characters that end a bare word (besides whitespace, control and reserved ones).
const STOP_CHARS: &[char] = &[
    '"', '\'', '=', '!', '<', '>', '(', ')', '~', ',', '[', ']', '|', '&',
];

/// Words Jira reserves for future use: a bare one is an error anywhere (copied from
/// Jira's `JqlStringSupportImpl`, minus the words JQL itself uses, which are [`Keyword`]s).
#[rustfmt::skip]
pub const RESERVED_WORDS: &[&str] = &[
    "abort", "access", "add", "alias", "all", "alter", "any", "as", "audit", "avg", "begin", "between", "boolean",
    "break", "byte", "catch", "char", "character", "check", "checkpoint", "collate", "collation", "column",
    "commit", "connect", "continue", "count", "create", "current", "date", "decimal", "declare", "decrement",
    "default", "defaults", "define", "delete", "delimiter", "difference", "distinct", "divide", "do", "double",
    "drop", "else", "encoding", "end", "equals", "escape", "exclusive", "exec", "execute", "exists", "explain",
    "false", "fetch", "file", "field", "first", "float", "for", "function", "go", "goto", "grant", "greater",
    "group", "having", "identified", "if", "immediate", "increment", "index", "initial", "inner", "inout", "input",
    "insert", "int", "integer", "intersect", "intersection", "into", "isempty", "isnull", "join", "last", "left",
    "less", "like", "limit", "lock", "long", "max", "min", "minus", "mode", "modify", "modulo", "more", "multiply",
    "next", "noaudit", "notin", "nowait", "number", "object", "of", "option", "outer", "output", "power",
    "previous", "prior", "privileges", "public", "raise", "raw", "remainder", "rename", "resource", "return",
    "returns", "revoke", "right", "row", "rowid", "rownum", "rows", "select", "session", "set", "share", "size",
    "sqrt", "start", "strict", "string", "subtract", "sum", "synonym", "table", "then", "trans", "transaction",
    "trigger", "true", "uid", "union", "unique", "update", "user", "validate", "values", "view", "when", "whenever",
    "where", "while", "with",
];

const VALID_ESCAPES: &str =
    "The valid escape sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX.";

/// JQL's own words; case-insensitive, and only when written bare without escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Keyword {
    And,
    Or,
    Not,
    Empty,
    Null,
    Order,
    By,
    Asc,
    Desc,
    In,
    Is,
    Was,
    Changed,
    After,
    Before,
    On,
    During,
    From,
    To,
}

impl Keyword {
    pub const ALL: [(Keyword, &'static str); 19] = [
        (Keyword::And, "and"),
        (Keyword::Or, "or"),
        (Keyword::Not, "not"),
        (Keyword::Empty, "empty"),
        (Keyword::Null, "null"),
        (Keyword::Order, "order"),
        (Keyword::By, "by"),
        (Keyword::Asc, "asc"),
        (Keyword::Desc, "desc"),
        (Keyword::In, "in"),
        (Keyword::Is, "is"),
        (Keyword::Was, "was"),
        (Keyword::Changed, "changed"),
        (Keyword::After, "after"),
        (Keyword::Before, "before"),
        (Keyword::On, "on"),
        (Keyword::During, "during"),
        (Keyword::From, "from"),
        (Keyword::To, "to"),
    ];

    pub fn lookup(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .iter()
            .find(|(_, w)| w.eq_ignore_ascii_case(word))
            .map(|(k, _)| *k)
    }
}

/// True when `word` (any case) is a keyword or a reserved word, so must be quoted.
pub fn is_reserved_word(word: &str) -> bool {
    Keyword::lookup(word).is_some() || RESERVED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word with its escapes resolved; `escaped` when it contained any, which
    /// makes it a plain string even if it spells a keyword or a number.
    Word {
        text: String,
        escaped: bool,
    },
    /// A `"double"` or `'single'` quoted string, escapes resolved.
    Quoted(String),
    /// A bare integer; the source text is in the span.
    Number(i64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Eq,
    NotEq,
    Lt,
    Gt,
    LtEq,
    GtEq,
    Like,
    NotLike,
    /// `!` alone (NOT at the start of a clause).
    Bang,
    /// `&` or `&&`.
    Amp,
    /// `|` or `||`.
    Pipe,
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    pub fn keyword(&self) -> Option<Keyword> {
        match &self.kind {
            TokenKind::Word {
                text,
                escaped: false,
            } => Keyword::lookup(text),
            _ => None,
        }
    }

    pub fn is_keyword(&self, k: Keyword) -> bool {
        self.keyword() == Some(k)
    }
}

pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    column: u32,
}

/// True when `c` may stand unescaped in a bare word.
pub fn is_word_char(c: char) -> bool {
    !c.is_whitespace()
        && !c.is_control()
        && !STOP_CHARS.contains(&c)
        && !RESERVED_CHARS.contains(&c)
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            line: 1,
            column: 1,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.src[self.pos..].chars();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn here(&self) -> Span {
        Span {
            start: self.pos,
            end: self.pos,
            line: self.line,
            column: self.column,
        }
    }

    fn finish(&self, start: Span) -> Span {
        Span {
            end: self.pos,
            ..start
        }
    }

    /// The span of the end of input, for "before the end of the query" errors.
    pub fn end_span(&self) -> Span {
        let mut l = Lexer {
            src: self.src,
            pos: self.pos,
            line: self.line,
            column: self.column,
        };
        while l.bump().is_some() {}
        l.here()
    }

    fn illegal_char(&self, c: char, at: Span) -> ParseError {
        ParseError::syntax(
            format!(
                "The character 'U+{:04X}' on line {} at position {} must be escaped. Use the escape '\\u{:04x}' instead.",
                c as u32, at.line, at.column, c as u32
            ),
            at,
        )
    }

    pub fn next_token(&mut self) -> Result<Token, ParseError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
        let start = self.here();
        let Some(c) = self.peek() else {
            return Ok(Token {
                kind: TokenKind::Eof,
                span: start,
            });
        };
        let two = |l: &mut Lexer, next: char, yes: TokenKind, no: TokenKind| {
            l.bump();
            if l.peek() == Some(next) {
                l.bump();
                yes
            } else {
                no
            }
        };
        let kind = match c {
            '(' => {
                self.bump();
                TokenKind::LParen
            }
            ')' => {
                self.bump();
                TokenKind::RParen
            }
            '[' => {
                self.bump();
                TokenKind::LBracket
            }
            ']' => {
                self.bump();
                TokenKind::RBracket
            }
            ',' => {
                self.bump();
                TokenKind::Comma
            }
            '=' => {
                self.bump();
                TokenKind::Eq
            }
            '~' => {
                self.bump();
                TokenKind::Like
            }
            '<' => two(self, '=', TokenKind::LtEq, TokenKind::Lt),
            '>' => two(self, '=', TokenKind::GtEq, TokenKind::Gt),
            '&' => two(self, '&', TokenKind::Amp, TokenKind::Amp),
            '|' => two(self, '|', TokenKind::Pipe, TokenKind::Pipe),
            '!' => {
                self.bump();
                match self.peek() {
                    Some('=') => {
                        self.bump();
                        TokenKind::NotEq
                    }
                    Some('~') => {
                        self.bump();
                        TokenKind::NotLike
                    }
                    _ => TokenKind::Bang,
                }
            }
            '"' | '\'' => TokenKind::Quoted(self.quoted(c, start)?),
            c if RESERVED_CHARS.contains(&c) => {
                return Err(ParseError::syntax(
                    format!(
                        "The character '{c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u{:04x}' instead.",
                        c as u32
                    ),
                    self.finish_char(start),
                ));
            }
            c if c.is_control() => return Err(self.illegal_char(c, self.finish_char(start))),
            _ => return self.word(start),
        };
        Ok(Token {
            kind,
            span: self.finish(start),
        })
    }

    fn finish_char(&self, start: Span) -> Span {
        Span {
            end: start.start + self.peek().map_or(0, char::len_utf8),
            ..start
        }
    }

    fn word(&mut self, start: Span) -> Result<Token, ParseError> {
        let mut text = String::new();
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if c == '\\' {
                text.push(self.escape()?);
                escaped = true;
            } else if is_word_char(c) {
                text.push(c);
                self.bump();
            } else {
                break;
            }
        }
        let span = self.finish(start);
        if !escaped {
            let digits = text.strip_prefix('-').unwrap_or(&text);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                return match text.parse::<i64>() {
                    Ok(n) => Ok(Token {
                        kind: TokenKind::Number(n),
                        span,
                    }),
                    Err(_) => Err(ParseError::syntax(
                        format!(
                            "'{text}' is not a valid number. Numbers must be between -9,223,372,036,854,775,808 and 9,223,372,036,854,775,807."
                        ),
                        span,
                    )),
                };
            }
            if RESERVED_WORDS.iter().any(|w| w.eq_ignore_ascii_case(&text)) {
                return Err(ParseError::syntax(
                    format!(
                        "'{text}' is a reserved JQL word. You must surround it in quotation marks to use it in a query."
                    ),
                    span,
                ));
            }
        }
        Ok(Token {
            kind: TokenKind::Word { text, escaped },
            span,
        })
    }

    /// Reads a backslash escape at the cursor and returns the character it stands for.
    fn escape(&mut self) -> Result<char, ParseError> {
        let start = self.here();
        self.bump(); // the backslash
        let Some(c) = self.bump() else {
            return Err(ParseError::syntax(
                format!("The escape sequence has not been completed. {VALID_ESCAPES}"),
                self.finish(start),
            ));
        };
        let simple = match c {
            't' => Some('\t'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            '"' | '\'' | '\\' | ' ' => Some(c),
            _ => None,
        };
        if let Some(s) = simple {
            return Ok(s);
        }
        if c != 'u' {
            return Err(self.illegal_escape(start));
        }
        let unit = self.hex4(start)?;
        if (0xD800..0xDC00).contains(&unit) {
            // A high surrogate must be followed by an escaped low one.
            if self.peek() == Some('\\') && self.peek2() == Some('u') {
                self.bump();
                self.bump();
                let low = self.hex4(start)?;
                if (0xDC00..0xE000).contains(&low) {
                    let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    return char::from_u32(cp).ok_or_else(|| self.illegal_escape(start));
                }
            }
            return Err(self.illegal_escape(start));
        }
        char::from_u32(unit).ok_or_else(|| self.illegal_escape(start))
    }

    fn hex4(&mut self, start: Span) -> Result<u32, ParseError> {
        let mut v = 0u32;
        for _ in 0..4 {
            match self.peek() {
                Some(h) if h.is_ascii_hexdigit() => {
                    self.bump();
                    v = v * 16 + h.to_digit(16).unwrap_or(0);
                }
                Some(_) => {
                    self.bump();
                    return Err(self.illegal_escape(start));
                }
                None => return Err(self.illegal_escape(start)),
            }
        }
        Ok(v)
    }

    /// `'\x' is an illegal JQL escape sequence…`, quoting the text read since `start`.
    fn illegal_escape(&self, start: Span) -> ParseError {
        let seen = &self.src[start.start..self.pos];
        ParseError::syntax(
            format!("'{seen}' is an illegal JQL escape sequence. {VALID_ESCAPES}"),
            self.finish(start),
        )
    }

    fn quoted(&mut self, quote: char, start: Span) -> Result<String, ParseError> {
        self.bump();
        let mut text = String::new();
        loop {
            match self.peek() {
                None | Some('\n') | Some('\r') => {
                    let rest: String = self.src[start.start + 1..]
                        .replace("\r\n", " ")
                        .chars()
                        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                        .collect();
                    let message = if rest.is_empty() {
                        "The quoted string has not been completed.".to_string()
                    } else {
                        format!("The quoted string '{rest}' has not been completed.")
                    };
                    return Err(ParseError::syntax(
                        message,
                        Span {
                            end: self.src.len(),
                            ..start
                        },
                    ));
                }
                Some('\\') => text.push(self.escape()?),
                Some(c) if c == quote => {
                    self.bump();
                    return Ok(text);
                }
                Some(c) if c.is_control() && c != '\t' => {
                    let at = self.here();
                    return Err(self.illegal_char(c, self.finish_char(at)));
                }
                Some(c) => {
                    text.push(c);
                    self.bump();
                }
            }
        }
    }
}

/// Every token of `src` up to (not including) the end, for highlighting and
/// autocompletion; stops at the first lexical error.
pub fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer::new(src);
    let mut out = Vec::new();
    loop {
        let t = lexer.next_token()?;
        if t.kind == TokenKind::Eof {
            return Ok(out);
        }
        out.push(t);
    }
}
