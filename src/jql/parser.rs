//! Recursive descent over the tokens, one token of lookahead (two to tell a function
//! call from a value). Error wording follows Jira's parser and validator.

use super::ast::*;
use super::error::ParseError;
use super::lexer::{Keyword, Lexer, Token, TokenKind};
use super::{MAX_DEPTH, MAX_LIST_LEN, MAX_QUERY_LEN};

const VALID_OPERATORS: &str = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

/// Parses a whole query. See the module documentation for the grammar.
pub fn parse(src: &str) -> Result<Query, ParseError> {
    if src.len() > MAX_QUERY_LEN {
        return Err(ParseError::at_end(
            format!("The query is too long: at most {MAX_QUERY_LEN} bytes are allowed."),
            Span {
                start: 0,
                end: src.len(),
                line: 1,
                column: 1,
            },
        ));
    }
    let mut p = Parser::new(src)?;
    let query = p.query()?;
    // Shape errors (Jira reports them from its validator) yield to syntax errors.
    match p.deferred {
        Some(e) => Err(e),
        None => Ok(query),
    }
}

struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    tok: Token,
    ahead: Option<Token>,
    /// End of the last consumed token.
    prev_end: usize,
    depth: usize,
    /// The first operand shape error, reported if the query is otherwise well formed.
    deferred: Option<ParseError>,
}

fn is_predicate(t: &Token) -> Option<PredicateKind> {
    match t.keyword()? {
        Keyword::After => Some(PredicateKind::After),
        Keyword::Before => Some(PredicateKind::Before),
        Keyword::On => Some(PredicateKind::On),
        Keyword::During => Some(PredicateKind::During),
        Keyword::By => Some(PredicateKind::By),
        Keyword::From => Some(PredicateKind::From),
        Keyword::To => Some(PredicateKind::To),
        _ => None,
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Result<Parser<'a>, ParseError> {
        let mut lexer = Lexer::new(src);
        let tok = lexer.next_token()?;
        Ok(Parser {
            src,
            lexer,
            tok,
            ahead: None,
            prev_end: 0,
            depth: 0,
            deferred: None,
        })
    }

    fn advance(&mut self) -> Result<Token, ParseError> {
        let next = match self.ahead.take() {
            Some(t) => t,
            None => self.lexer.next_token()?,
        };
        self.prev_end = self.tok.span.end;
        Ok(std::mem::replace(&mut self.tok, next))
    }

    fn peek_ahead(&mut self) -> Result<&Token, ParseError> {
        if self.ahead.is_none() {
            self.ahead = Some(self.lexer.next_token()?);
        }
        Ok(self.ahead.as_ref().expect("just filled"))
    }

    fn at_eof(&self) -> bool {
        self.tok.kind == TokenKind::Eof
    }

    fn text(&self, t: &Token) -> &'a str {
        &self.src[t.span.start..t.span.end]
    }

    /// "Expecting X but got 'tok'." or, at the end, "Expecting X before the end of the query."
    fn expecting(&self, what: &str) -> ParseError {
        if self.at_eof() {
            ParseError::at_end(
                format!("Expecting {what} before the end of the query."),
                self.tok.span,
            )
        } else {
            ParseError::syntax(
                format!("Expecting {what} but got '{}'.", self.text(&self.tok)),
                self.tok.span,
            )
        }
    }

    fn span_from(&self, start: Span) -> Span {
        Span {
            end: self.prev_end.max(start.start),
            ..start
        }
    }

    fn defer(&mut self, result: Result<(), ParseError>) {
        if let (Err(e), None) = (result, &self.deferred) {
            self.deferred = Some(e);
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::syntax(
                format!(
                    "The query is nested too deeply: at most {MAX_DEPTH} levels of parentheses, lists and NOT are allowed."
                ),
                self.tok.span,
            ));
        }
        Ok(())
    }

    fn query(&mut self) -> Result<Query, ParseError> {
        let clause = if self.at_eof() || self.tok.is_keyword(Keyword::Order) {
            None
        } else {
            Some(self.or()?)
        };
        let mut order_by = Vec::new();
        if self.tok.is_keyword(Keyword::Order) {
            self.advance()?;
            if !self.tok.is_keyword(Keyword::By) {
                return Err(self.expecting("'by'"));
            }
            self.advance()?;
            loop {
                let start = self.tok.span;
                let field = self.field()?;
                let direction = match self.tok.keyword() {
                    Some(Keyword::Asc) => Some(Direction::Asc),
                    Some(Keyword::Desc) => Some(Direction::Desc),
                    _ => None,
                };
                if direction.is_some() {
                    self.advance()?;
                }
                order_by.push(OrderBy {
                    field,
                    direction,
                    span: self.span_from(start),
                });
                match self.tok.kind {
                    TokenKind::Eof => break,
                    TokenKind::Comma => {
                        self.advance()?;
                    }
                    _ if direction.is_some() => return Err(self.expecting("','")),
                    _ => return Err(self.expecting("either 'ASC' or 'DESC'")),
                }
            }
        } else if !self.at_eof() {
            return Err(self.expecting("either 'OR' or 'AND'"));
        }
        Ok(Query { clause, order_by })
    }

    fn or(&mut self) -> Result<Clause, ParseError> {
        let mut items = vec![self.and()?];
        while self.tok.is_keyword(Keyword::Or) || self.tok.kind == TokenKind::Pipe {
            self.advance()?;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Clause::Or(items)
        })
    }

    fn and(&mut self) -> Result<Clause, ParseError> {
        let mut items = vec![self.not()?];
        while self.tok.is_keyword(Keyword::And) || self.tok.kind == TokenKind::Amp {
            self.advance()?;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Clause::And(items)
        })
    }

    fn not(&mut self) -> Result<Clause, ParseError> {
        if self.tok.is_keyword(Keyword::Not) || self.tok.kind == TokenKind::Bang {
            self.enter()?;
            self.advance()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Clause::Not(Box::new(inner)));
        }
        if self.tok.kind == TokenKind::LParen {
            self.enter()?;
            self.advance()?;
            let inner = self.or()?;
            if self.tok.kind != TokenKind::RParen {
                return Err(self.expecting("')'"));
            }
            self.advance()?;
            self.depth -= 1;
            return Ok(inner);
        }
        self.terminal()
    }

    /// A field name: bare word, number, quoted string or `cf[id]`.
    fn field(&mut self) -> Result<Field, ParseError> {
        let must_quote = |p: &Parser, t: &Token| {
            let x = p.text(t);
            ParseError::syntax(
                format!(
                    "Expecting a field name but got '{x}'. You must surround '{x}' in quotation marks to use it as a field name."
                ),
                t.span,
            )
        };
        match &self.tok.kind {
            TokenKind::Eof => Err(ParseError::at_end(
                "Expecting a field name at the end of the query.",
                self.tok.span,
            )),
            TokenKind::LBracket => Err(ParseError::syntax(
                "Expecting a field name but got '['. Did you mean 'cf['?",
                self.tok.span,
            )),
            TokenKind::Quoted(s) if s.is_empty() => Err(ParseError::syntax(
                "A field name cannot be empty.",
                self.tok.span,
            )),
            TokenKind::Quoted(s) => {
                let f = Field::Name(s.clone());
                self.advance()?;
                Ok(f)
            }
            TokenKind::Number(_) => {
                let f = Field::Name(self.text(&self.tok).to_string());
                self.advance()?;
                Ok(f)
            }
            TokenKind::Word { text, escaped } => {
                if self.tok.keyword().is_some() {
                    return Err(must_quote(self, &self.tok));
                }
                if !escaped && text.eq_ignore_ascii_case("cf") {
                    self.advance()?;
                    return self.custom_field_id();
                }
                let f = Field::Name(text.clone());
                self.advance()?;
                Ok(f)
            }
            _ => Err(must_quote(self, &self.tok)),
        }
    }

    /// `[10001]` after `cf`.
    fn custom_field_id(&mut self) -> Result<Field, ParseError> {
        if self.tok.kind != TokenKind::LBracket {
            return Err(self.expecting("'['"));
        }
        self.advance()?;
        let id = match self.tok.kind {
            TokenKind::Number(n) if n >= 0 => n as u64,
            _ => return Err(self.expecting("a custom field id (a positive number)")),
        };
        self.advance()?;
        if self.tok.kind != TokenKind::RBracket {
            return Err(self.expecting("']'"));
        }
        self.advance()?;
        Ok(Field::CustomId(id))
    }

    fn operator(&mut self) -> Result<Operator, ParseError> {
        let simple = match self.tok.kind {
            TokenKind::Eq => Some(Operator::Equals),
            TokenKind::NotEq => Some(Operator::NotEquals),
            TokenKind::Lt => Some(Operator::LessThan),
            TokenKind::Gt => Some(Operator::GreaterThan),
            TokenKind::LtEq => Some(Operator::LessThanEquals),
            TokenKind::GtEq => Some(Operator::GreaterThanEquals),
            TokenKind::Like => Some(Operator::Like),
            TokenKind::NotLike => Some(Operator::NotLike),
            _ => None,
        };
        if let Some(op) = simple {
            self.advance()?;
            return Ok(op);
        }
        let op = match self.tok.keyword() {
            Some(Keyword::In) => Operator::In,
            Some(Keyword::Changed) => Operator::Changed,
            Some(Keyword::Not) => {
                self.advance()?;
                if !self.tok.is_keyword(Keyword::In) {
                    return Err(self.expecting("'IN'"));
                }
                Operator::NotIn
            }
            Some(Keyword::Is) => {
                self.advance()?;
                if !self.tok.is_keyword(Keyword::Not) {
                    return Ok(Operator::Is);
                }
                Operator::IsNot
            }
            Some(Keyword::Was) => {
                self.advance()?;
                if self.tok.is_keyword(Keyword::In) {
                    Operator::WasIn
                } else if self.tok.is_keyword(Keyword::Not) {
                    self.advance()?;
                    if !self.tok.is_keyword(Keyword::In) {
                        return Ok(Operator::WasNot);
                    }
                    Operator::WasNotIn
                } else {
                    return Ok(Operator::Was);
                }
            }
            _ => {
                return Err(if self.at_eof() {
                    ParseError::at_end(
                        format!(
                            "Expecting operator before the end of the query. {VALID_OPERATORS}"
                        ),
                        self.tok.span,
                    )
                } else {
                    ParseError::syntax(
                        format!(
                            "Expecting operator but got '{}'. {VALID_OPERATORS}",
                            self.text(&self.tok)
                        ),
                        self.tok.span,
                    )
                });
            }
        };
        self.advance()?;
        Ok(op)
    }

    fn terminal(&mut self) -> Result<Clause, ParseError> {
        let start = self.tok.span;
        let field = self.field()?;
        let field_span = self.span_from(start);
        let op_start = self.tok.span;
        let op = self.operator()?;
        let op_span = self.span_from(op_start);
        let (value, value_span) = if op == Operator::Changed {
            if self.starts_operand() {
                let v_start = self.tok.span;
                let v = self.operand()?;
                let span = self.span_from(v_start);
                self.defer(Err(ParseError::validation(
                    format!(
                        "The CHANGED operator does not support the use of values without predicates. You must prefix the {} value with a suitable predicate.",
                        bare_display(&v)
                    ),
                    span,
                )));
            }
            (Operand::Empty, op_span)
        } else {
            if matches!(op, Operator::Is | Operator::IsNot) && self.tok.kind == TokenKind::Bang {
                return Err(self.expecting("'NOT'"));
            }
            let v_start = self.tok.span;
            let v = self.operand()?;
            (v, self.span_from(v_start))
        };
        self.defer(check_operand(&field, op, &value, value_span));
        let mut predicates = Vec::new();
        while let Some(kind) = is_predicate(&self.tok) {
            let p_start = self.tok.span;
            self.advance()?;
            let value = self.operand()?;
            let span = self.span_from(p_start);
            if !op.accepts(kind) {
                self.defer(Err(ParseError::validation(
                    format!(
                        "The {} operator does not support the use of the {} {} predicate.",
                        op.enum_name(),
                        kind.display(),
                        value.display()
                    ),
                    span,
                )));
            }
            self.defer(check_predicate(kind, &value, span));
            predicates.push(HistoryPredicate { kind, value, span });
        }
        Ok(Clause::Terminal {
            field,
            op,
            value,
            predicates,
            span: self.span_from(start),
            field_span,
            op_span,
            value_span,
        })
    }

    fn starts_operand(&self) -> bool {
        match &self.tok.kind {
            TokenKind::Word { .. } => {
                matches!(
                    self.tok.keyword(),
                    None | Some(Keyword::Empty) | Some(Keyword::Null)
                )
            }
            TokenKind::Quoted(_) | TokenKind::Number(_) | TokenKind::LParen => true,
            _ => false,
        }
    }

    /// A value, `EMPTY`, a list or a function call.
    fn operand(&mut self) -> Result<Operand, ParseError> {
        let bad = |p: &Parser| {
            if p.at_eof() {
                return ParseError::at_end(
                    "Expecting either a value, list or function before the end of the query.",
                    p.tok.span,
                );
            }
            let x = p.text(&p.tok);
            ParseError::syntax(
                format!(
                    "Expecting either a value, list or function but got '{x}'. You must surround '{x}' in quotation marks to use it as a value."
                ),
                p.tok.span,
            )
        };
        let (text, quoted) = match &self.tok.kind {
            TokenKind::LParen => return self.list(),
            TokenKind::Word { text, .. } => match self.tok.keyword() {
                Some(Keyword::Empty | Keyword::Null) => {
                    self.advance()?;
                    return Ok(Operand::Empty);
                }
                Some(_) => return Err(bad(self)),
                None => (text.clone(), false),
            },
            TokenKind::Quoted(s) => (s.clone(), true),
            TokenKind::Number(_) => (self.text(&self.tok).to_string(), false),
            _ => return Err(bad(self)),
        };
        if self.peek_ahead()?.kind == TokenKind::LParen {
            if text.is_empty() {
                return Err(ParseError::syntax(
                    "A function name cannot be empty.",
                    self.tok.span,
                ));
            }
            self.advance()?;
            return self.function(text);
        }
        let operand = match self.tok.kind {
            TokenKind::Number(n) => Operand::Number(n),
            _ => Operand::Value(text, quoted),
        };
        self.advance()?;
        Ok(operand)
    }

    fn list(&mut self) -> Result<Operand, ParseError> {
        self.enter()?;
        self.advance()?; // (
        let mut items = Vec::new();
        loop {
            if items.len() == MAX_LIST_LEN {
                return Err(ParseError::syntax(
                    format!("A list may hold at most {MAX_LIST_LEN} values."),
                    self.tok.span,
                ));
            }
            items.push(self.operand()?);
            match self.tok.kind {
                TokenKind::Comma => {
                    self.advance()?;
                }
                TokenKind::RParen => {
                    self.advance()?;
                    break;
                }
                _ => return Err(self.expecting("')'")),
            }
        }
        self.depth -= 1;
        Ok(Operand::List(items))
    }

    /// Arguments after the function name; the cursor is on `(`.
    fn function(&mut self, name: String) -> Result<Operand, ParseError> {
        self.advance()?; // (
        let mut args = Vec::new();
        if self.tok.kind == TokenKind::RParen {
            self.advance()?;
            return Ok(Operand::Function { name, args });
        }
        if self.tok.kind == TokenKind::Comma {
            return Err(self.expecting("')'"));
        }
        loop {
            let arg = match &self.tok.kind {
                TokenKind::Word { text, .. } if self.tok.keyword().is_none() => text.clone(),
                TokenKind::Quoted(s) => s.clone(),
                TokenKind::Number(_) => self.text(&self.tok).to_string(),
                TokenKind::Eof if args.is_empty() => return Err(self.expecting("')'")),
                TokenKind::Eof => {
                    return Err(ParseError::at_end(
                        "Expecting a function argument at the end of the query.",
                        self.tok.span,
                    ));
                }
                TokenKind::RParen => {
                    return Err(ParseError::syntax(
                        "Function argument must be specified.",
                        self.tok.span,
                    ));
                }
                _ => {
                    let x = self.text(&self.tok);
                    return Err(ParseError::syntax(
                        format!(
                            "Expecting a function argument but got '{x}'. You must surround '{x}' in quotation marks to use it as an argument."
                        ),
                        self.tok.span,
                    ));
                }
            };
            if args.len() == MAX_LIST_LEN {
                return Err(ParseError::syntax(
                    format!("A function may take at most {MAX_LIST_LEN} arguments."),
                    self.tok.span,
                ));
            }
            args.push(arg);
            self.advance()?;
            match self.tok.kind {
                TokenKind::Comma => {
                    self.advance()?;
                }
                TokenKind::RParen => {
                    self.advance()?;
                    return Ok(Operand::Function { name, args });
                }
                TokenKind::Eof => return Err(self.expecting("')'")),
                _ => return Err(self.expecting("')' or ','")),
            }
        }
    }
}

/// A value as Jira shows it after "prefix the … value": bare.
fn bare_display(v: &Operand) -> String {
    match v {
        Operand::Value(s, _) => s.clone(),
        other => other.display(),
    }
}

/// Operator/operand shape rules that need no field knowledge (Jira's operator-usage
/// validator): `IS` takes only EMPTY, the `IN` family a list or function, the rest no list.
fn check_operand(
    field: &Field,
    op: Operator,
    value: &Operand,
    span: Span,
) -> Result<(), ParseError> {
    let message = match (op, value) {
        (Operator::Changed, _) => return Ok(()),
        (Operator::Is | Operator::IsNot, Operand::Empty) => return Ok(()),
        (Operator::Is | Operator::IsNot, _) => {
            format!(
                "Operator '{}' does not support searching for non-empty values for field '{field}'.",
                op.display()
            )
        }
        (op, Operand::Empty) if op.takes_list() => format!(
            "Operator '{}' does not support the empty value representation 'EMPTY' for field '{field}'.",
            op.display()
        ),
        (op, Operand::List(_) | Operand::Function { .. }) if op.takes_list() => return Ok(()),
        (op, v) if op.takes_list() => {
            format!(
                "Operator '{}' does not support the non-list value '{}' for field '{field}'.",
                op.display(),
                v.display()
            )
        }
        (op, v @ Operand::List(_)) => {
            format!(
                "Operator '{}' does not support the list value '{}' for field '{field}'.",
                op.display(),
                v.display()
            )
        }
        _ => return Ok(()),
    };
    Err(ParseError::validation(message, span))
}

fn check_predicate(kind: PredicateKind, value: &Operand, span: Span) -> Result<(), ParseError> {
    let single = |v: &Operand| !matches!(v, Operand::List(_));
    let message = match (kind, value) {
        (PredicateKind::During, Operand::List(items))
            if items.len() == 2 && items.iter().all(single) =>
        {
            return Ok(());
        }
        (PredicateKind::During, _) => {
            "The DURING predicate must be supplied with exactly 2 date values.".to_string()
        }
        (k, Operand::List(_)) if k.is_date() => format!(
            "The {} predicate must be supplied with only 1 date value.",
            k.as_jql()
        ),
        (k, Operand::List(_)) => format!(
            "The {} predicate must be supplied with only 1 value.",
            k.as_jql()
        ),
        _ => return Ok(()),
    };
    Err(ParseError::validation(message, span))
}
