//! The JQL syntax tree. Plain data: spans locate every node in the source, and
//! [`Query::clear_spans`] erases them so trees can be compared by meaning.

/// A range of the source in bytes, with the 1-based line and character (counted in
/// Unicode scalar values) of its start, as Jira reports positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            end: other.end.max(self.start),
            ..self
        }
    }
}

/// A parsed query: an optional where-clause and an optional sort.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clause: Option<Clause>,
    pub order_by: Vec<OrderBy>,
}

/// A boolean combination of terminal clauses. `And`/`Or` hold at least two children;
/// a parenthesised group keeps its own node (`(a AND b) AND c` is two `And`s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    And(Vec<Clause>),
    Or(Vec<Clause>),
    Not(Box<Clause>),
    /// `field op value predicates…`. For `CHANGED` the value is [`Operand::Empty`]:
    /// the operator takes none.
    Terminal {
        field: Field,
        op: Operator,
        value: Operand,
        predicates: Vec<HistoryPredicate>,
        /// The whole clause.
        span: Span,
        field_span: Span,
        op_span: Span,
        /// The operand; for `CHANGED`, the operator.
        value_span: Span,
    },
}

impl Clause {
    /// The source covered by this clause (for `NOT`, from its operand on).
    pub fn span(&self) -> Span {
        match self {
            Clause::And(cs) | Clause::Or(cs) => match (cs.first(), cs.last()) {
                (Some(a), Some(b)) => a.span().to(b.span()),
                _ => Span::default(),
            },
            Clause::Not(c) => c.span(),
            Clause::Terminal { span, .. } => *span,
        }
    }
}

/// A field reference: a name (system field, alias or custom field name, case as
/// written) or `cf[10001]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Name(String),
    CustomId(u64),
}

impl std::fmt::Display for Field {
    /// The field as Jira names it in messages: the name, or `cf[10001]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Field::Name(n) => f.write_str(n),
            Field::CustomId(id) => write!(f, "cf[{id}]"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    Equals,
    NotEquals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
    Like,
    NotLike,
    In,
    NotIn,
    Is,
    IsNot,
    Was,
    WasNot,
    WasIn,
    WasNotIn,
    Changed,
}

impl Operator {
    pub const ALL: [Operator; 17] = [
        Operator::Equals,
        Operator::NotEquals,
        Operator::LessThan,
        Operator::GreaterThan,
        Operator::LessThanEquals,
        Operator::GreaterThanEquals,
        Operator::Like,
        Operator::NotLike,
        Operator::In,
        Operator::NotIn,
        Operator::Is,
        Operator::IsNot,
        Operator::Was,
        Operator::WasNot,
        Operator::WasIn,
        Operator::WasNotIn,
        Operator::Changed,
    ];

    /// Canonical JQL spelling, as the printer writes it.
    pub fn as_jql(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::NotEquals => "!=",
            Operator::LessThan => "<",
            Operator::GreaterThan => ">",
            Operator::LessThanEquals => "<=",
            Operator::GreaterThanEquals => ">=",
            Operator::Like => "~",
            Operator::NotLike => "!~",
            Operator::In => "IN",
            Operator::NotIn => "NOT IN",
            Operator::Is => "IS",
            Operator::IsNot => "IS NOT",
            Operator::Was => "WAS",
            Operator::WasNot => "WAS NOT",
            Operator::WasIn => "WAS IN",
            Operator::WasNotIn => "WAS NOT IN",
            Operator::Changed => "CHANGED",
        }
    }

    /// Jira's display string, used inside validation messages (`'not in'`, `'='`).
    pub fn display(self) -> &'static str {
        match self {
            Operator::In => "in",
            Operator::NotIn => "not in",
            Operator::Is => "is",
            Operator::IsNot => "is not",
            Operator::Was => "was",
            Operator::WasNot => "was not",
            Operator::WasIn => "was in",
            Operator::WasNotIn => "was not in",
            Operator::Changed => "changed",
            op => op.as_jql(),
        }
    }

    /// Jira's enum name (`EQUALS`, `WAS_NOT_IN`), used in predicate messages.
    pub fn enum_name(self) -> &'static str {
        match self {
            Operator::Equals => "EQUALS",
            Operator::NotEquals => "NOT_EQUALS",
            Operator::LessThan => "LESS_THAN",
            Operator::GreaterThan => "GREATER_THAN",
            Operator::LessThanEquals => "LESS_THAN_EQUALS",
            Operator::GreaterThanEquals => "GREATER_THAN_EQUALS",
            Operator::Like => "LIKE",
            Operator::NotLike => "NOT_LIKE",
            Operator::In => "IN",
            Operator::NotIn => "NOT_IN",
            Operator::Is => "IS",
            Operator::IsNot => "IS_NOT",
            Operator::Was => "WAS",
            Operator::WasNot => "WAS_NOT",
            Operator::WasIn => "WAS_IN",
            Operator::WasNotIn => "WAS_NOT_IN",
            Operator::Changed => "CHANGED",
        }
    }

    /// `IN`, `NOT IN`, `WAS IN`, `WAS NOT IN`: the operand is a list (or a function).
    pub fn takes_list(self) -> bool {
        matches!(
            self,
            Operator::In | Operator::NotIn | Operator::WasIn | Operator::WasNotIn
        )
    }

    /// `<`, `>`, `<=`, `>=`.
    pub fn is_relational(self) -> bool {
        matches!(
            self,
            Operator::LessThan
                | Operator::GreaterThan
                | Operator::LessThanEquals
                | Operator::GreaterThanEquals
        )
    }

    /// The history operators, which accept [`HistoryPredicate`]s.
    pub fn is_history(self) -> bool {
        matches!(
            self,
            Operator::Was
                | Operator::WasNot
                | Operator::WasIn
                | Operator::WasNotIn
                | Operator::Changed
        )
    }

    /// Predicates this operator accepts: `WAS…` take AFTER, BEFORE, ON, DURING, BY;
    /// `CHANGED` also FROM and TO; the rest none.
    pub fn accepts(self, kind: PredicateKind) -> bool {
        match self {
            Operator::Changed => true,
            op if op.is_history() => !matches!(kind, PredicateKind::From | PredicateKind::To),
            _ => false,
        }
    }
}

/// The right-hand side of a clause, a list element or a predicate's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// `EMPTY` or `NULL`.
    Empty,
    /// A string; `quoted` records whether the source quoted it (`"Open"` vs `Open`).
    Value(String, bool),
    /// An unquoted integer (`12`, `-3`). `12.5` and `-1d` are values, as in Jira.
    Number(i64),
    /// `(a, b, (c))`: lists nest.
    List(Vec<Operand>),
    /// `name(arg, …)`; arguments are plain strings, quoted or not in the source.
    Function { name: String, args: Vec<String> },
}

impl Operand {
    /// How Jira shows an operand inside validation messages: strings in double quotes,
    /// `EMPTY`, numbers bare, `name(args)`, `(a, b)`.
    pub fn display(&self) -> String {
        match self {
            Operand::Empty => "EMPTY".into(),
            Operand::Value(s, _) => format!("\"{s}\""),
            Operand::Number(n) => n.to_string(),
            Operand::List(items) => {
                format!(
                    "({})",
                    items
                        .iter()
                        .map(Operand::display)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            Operand::Function { name, args } => format!("{name}({})", args.join(", ")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PredicateKind {
    After,
    Before,
    On,
    During,
    By,
    From,
    To,
}

impl PredicateKind {
    pub const ALL: [PredicateKind; 7] = [
        PredicateKind::After,
        PredicateKind::Before,
        PredicateKind::On,
        PredicateKind::During,
        PredicateKind::By,
        PredicateKind::From,
        PredicateKind::To,
    ];

    pub fn as_jql(self) -> &'static str {
        match self {
            PredicateKind::After => "AFTER",
            PredicateKind::Before => "BEFORE",
            PredicateKind::On => "ON",
            PredicateKind::During => "DURING",
            PredicateKind::By => "BY",
            PredicateKind::From => "FROM",
            PredicateKind::To => "TO",
        }
    }

    /// Lower-case name, as Jira writes predicates in messages.
    pub fn display(self) -> &'static str {
        match self {
            PredicateKind::After => "after",
            PredicateKind::Before => "before",
            PredicateKind::On => "on",
            PredicateKind::During => "during",
            PredicateKind::By => "by",
            PredicateKind::From => "from",
            PredicateKind::To => "to",
        }
    }

    /// AFTER, BEFORE, ON and DURING take dates.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            PredicateKind::After
                | PredicateKind::Before
                | PredicateKind::On
                | PredicateKind::During
        )
    }
}

/// `AFTER v`, `DURING (a, b)`, `BY user`, … after `WAS…` or `CHANGED`. The parser
/// guarantees `DURING` holds a two-element list of single values and the others a
/// single value (never a list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPredicate {
    pub kind: PredicateKind,
    pub value: Operand,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Asc,
    Desc,
}

/// One sort key; `direction` is `None` when the query leaves it to the field's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    pub field: Field,
    pub direction: Option<Direction>,
    pub span: Span,
}

impl Query {
    /// Sets every span to [`Span::default`], so two trees compare by meaning only.
    pub fn clear_spans(&mut self) {
        if let Some(c) = &mut self.clause {
            clear_clause(c);
        }
        for o in &mut self.order_by {
            o.span = Span::default();
        }
    }

    /// The query with spans cleared (see [`Query::clear_spans`]).
    pub fn without_spans(&self) -> Query {
        let mut q = self.clone();
        q.clear_spans();
        q
    }

    /// Every terminal clause, in source order.
    pub fn terminals(&self) -> Vec<&Clause> {
        let mut out = Vec::new();
        if let Some(c) = &self.clause {
            collect_terminals(c, &mut out);
        }
        out
    }
}

fn clear_clause(c: &mut Clause) {
    match c {
        Clause::And(cs) | Clause::Or(cs) => cs.iter_mut().for_each(clear_clause),
        Clause::Not(inner) => clear_clause(inner),
        Clause::Terminal {
            predicates,
            span,
            field_span,
            op_span,
            value_span,
            ..
        } => {
            *span = Span::default();
            *field_span = Span::default();
            *op_span = Span::default();
            *value_span = Span::default();
            for p in predicates {
                p.span = Span::default();
            }
        }
    }
}

fn collect_terminals<'a>(c: &'a Clause, out: &mut Vec<&'a Clause>) {
    match c {
        Clause::And(cs) | Clause::Or(cs) => cs.iter().for_each(|c| collect_terminals(c, out)),
        Clause::Not(inner) => collect_terminals(inner, out),
        t @ Clause::Terminal { .. } => out.push(t),
    }
}
