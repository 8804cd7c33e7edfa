//! The canonical printer, and deterministic property tests of print and parse.

use super::*;

#[test]
fn canonical_printing() {
    let cases = [
        (
            "project=abc and status in(open,'In Progress') or not assignee is null",
            "project = abc AND status IN (open, \"In Progress\") OR NOT assignee IS EMPTY",
        ),
        ("(a=1 or b=2) and c=3", "(a = 1 OR b = 2) AND c = 3"),
        ("a=1 or (b=2 and c=3)", "a = 1 OR b = 2 AND c = 3"),
        ("(a=1 and b=2) and c=3", "(a = 1 AND b = 2) AND c = 3"),
        ("not (a=1 or b=2)", "NOT (a = 1 OR b = 2)"),
        (
            "\"story points\" >= 3 order by cf[1] desc, \"order\"",
            "\"story points\" >= 3 ORDER BY cf[1] DESC, \"order\"",
        ),
        ("'cf' = x", "\"cf\" = x"),
        ("summary ~ 'a\"b\\\\c\\n'", "summary ~ \"a\\\"b\\\\c\\n\""),
        ("a = b\\ c", "a = b\\u0020c"),
        ("a = \\u0061nd", "a = \\u0061nd"),
        ("a = \\u0031\\u0032", "a = \\u00312"),
        ("a=f( 'x y' ,1,and\\u0020) ", "a = f(\"x y\", 1, \"and \")"),
        (
            "status changed from a to 'b c' by currentUser() during (-1d, now())",
            "status CHANGED FROM a TO \"b c\" BY currentUser() DURING (-1d, now())",
        ),
        ("order by created", "ORDER BY created"),
        ("", ""),
    ];
    for (input, expected) in cases {
        let parsed = q(input);
        assert_eq!(parsed.to_string(), expected, "{input}");
        assert_eq!(q(expected), parsed, "{expected} reads back");
    }
    assert_eq!(quote_value("In Progress"), "\"In Progress\"");
    assert_eq!(quote_value("ABC-1"), "ABC-1");
    assert_eq!(quote_value("and"), "\"and\"");
    assert_eq!(quote_value("12"), "\"12\"");
}

/// Deterministic pseudo-random numbers (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

const WORDS: &[&str] = &[
    "a",
    "Open",
    "PROJ-12",
    "-1d",
    "2026-01-31",
    "and",
    "OR",
    "empty",
    "select",
    "cf",
    "In Progress",
    "12",
    "-7",
    "0012",
    "x.y_z",
    "日本",
    "😀",
    "it's",
    "say \"hi\"",
    "back\\slash",
    "tab\there",
    "new\nline",
    "ctl\u{1}",
    "nb\u{a0}sp",
    "50%",
    "a*",
    "?",
    "(x)",
    "a,b",
    "[1]",
    "!",
    "~",
    "=",
    "&",
    "|",
    "{}",
    "é",
    " ",
    "-",
];

fn gen_string(rng: &mut Rng, allow_empty: bool) -> String {
    if rng.chance(2) {
        return rng.pick(WORDS).to_string();
    }
    let alphabet: Vec<char> = "ab Z09-_.\"'\\\n\t\u{0}é日😀%*?(),=!<>~[]|&{};#@$^+/ "
        .chars()
        .collect();
    let len = rng.below(7) + usize::from(!allow_empty);
    (0..len).map(|_| rng.pick(&alphabet)).collect()
}

fn gen_field(rng: &mut Rng) -> Field {
    if rng.chance(5) {
        Field::CustomId(rng.next() % (i64::MAX as u64))
    } else {
        Field::Name(gen_string(rng, false))
    }
}

fn gen_single(rng: &mut Rng) -> Operand {
    match rng.below(5) {
        0 => Operand::Empty,
        1 => {
            let random = rng.next() as i64;
            Operand::Number(rng.pick(&[0, 1, -1, 42, i64::MAX, i64::MIN, random]))
        }
        2 => gen_function(rng),
        3 => Operand::Value(gen_string(rng, true), true),
        _ => Operand::Value(gen_string(rng, false), false),
    }
}

fn gen_function(rng: &mut Rng) -> Operand {
    let n = rng.below(4);
    Operand::Function {
        name: gen_string(rng, false),
        args: (0..n).map(|_| gen_string(rng, true)).collect(),
    }
}

fn gen_list(rng: &mut Rng, depth: usize) -> Operand {
    let n = rng.below(4) + 1;
    Operand::List(
        (0..n)
            .map(|_| {
                if depth > 0 && rng.chance(5) {
                    gen_list(rng, depth - 1)
                } else {
                    gen_single(rng)
                }
            })
            .collect(),
    )
}

fn gen_terminal(rng: &mut Rng) -> Clause {
    let op = rng.pick(&Operator::ALL);
    let value = match op {
        Operator::Changed | Operator::Is | Operator::IsNot => Operand::Empty,
        op if op.takes_list() => {
            if rng.chance(4) {
                gen_function(rng)
            } else {
                gen_list(rng, 2)
            }
        }
        _ => gen_single(rng),
    };
    let mut predicates = Vec::new();
    if op.is_history() {
        for _ in 0..rng.below(4) {
            let kind = rng.pick(&PredicateKind::ALL);
            if !op.accepts(kind) {
                continue;
            }
            let value = if kind == PredicateKind::During {
                Operand::List(vec![gen_single(rng), gen_single(rng)])
            } else {
                gen_single(rng)
            };
            predicates.push(HistoryPredicate {
                kind,
                value,
                span: Span::default(),
            });
        }
    }
    Clause::Terminal {
        field: gen_field(rng),
        op,
        value,
        predicates,
        span: Span::default(),
        field_span: Span::default(),
        op_span: Span::default(),
        value_span: Span::default(),
    }
}

fn gen_clause(rng: &mut Rng, depth: usize) -> Clause {
    if depth == 0 || rng.chance(3) {
        return gen_terminal(rng);
    }
    match rng.below(3) {
        0 => Clause::Not(Box::new(gen_clause(rng, depth - 1))),
        k => {
            let items = (0..rng.below(3) + 2)
                .map(|_| gen_clause(rng, depth - 1))
                .collect();
            if k == 1 {
                Clause::And(items)
            } else {
                Clause::Or(items)
            }
        }
    }
}

fn gen_query(rng: &mut Rng) -> Query {
    let clause = if rng.chance(6) {
        None
    } else {
        Some(gen_clause(rng, 4))
    };
    let order_by = (0..if rng.chance(2) { 0 } else { rng.below(3) + 1 })
        .map(|_| OrderBy {
            field: gen_field(rng),
            direction: rng.pick(&[None, Some(Direction::Asc), Some(Direction::Desc)]),
            span: Span::default(),
        })
        .collect();
    Query { clause, order_by }
}

#[test]
fn print_parse_is_a_fixed_point_for_random_trees() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..2000 {
        let query = gen_query(&mut rng);
        let printed = query.to_string();
        match parse(&printed) {
            Ok(back) => assert_eq!(back.without_spans(), query, "case {case}: {printed}"),
            Err(e) => panic!("case {case}: {printed}\n{}", e.message),
        }
    }
}

const SOUP: &[&str] = &[
    "a",
    "status",
    "\"x y\"",
    "'q'",
    "cf[1]",
    "cf",
    "[",
    "]",
    "(",
    ")",
    ",",
    "=",
    "!=",
    "<",
    ">=",
    "~",
    "!~",
    "!",
    "&&",
    "|",
    "AND",
    "or",
    "NOT",
    "in",
    "is",
    "was",
    "changed",
    "empty",
    "null",
    "order",
    "by",
    "asc",
    "desc",
    "after",
    "before",
    "on",
    "during",
    "from",
    "to",
    "f()",
    "g(1,",
    "-1d",
    "42",
    "-9",
    "\\u0041",
    "\\",
    "\"",
    "'",
    "%",
    "\n",
    " ",
    "日",
    "select",
    "99999999999999999999",
];

#[test]
fn random_input_never_panics_and_what_parses_round_trips() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let mut parsed = 0;
    for _ in 0..4000 {
        let input: String = if rng.chance(2) {
            let bytes: Vec<u8> = (0..rng.below(40)).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..rng.below(14))
                .map(|_| format!("{} ", rng.pick(SOUP)))
                .collect()
        };
        if let Ok(query) = parse(&input) {
            parsed += 1;
            let printed = query.to_string();
            let back = parse(&printed)
                .unwrap_or_else(|e| panic!("{input:?} printed as {printed:?}: {}", e.message));
            assert_eq!(
                back.without_spans(),
                query.without_spans(),
                "{input:?} printed as {printed:?}"
            );
            assert_eq!(back.to_string(), printed);
        }
    }
    assert!(parsed > 100, "only {parsed} random inputs parsed");
}

#[test]
fn spans_lie_on_char_boundaries_of_random_input() {
    let mut rng = Rng(7);
    for _ in 0..500 {
        let input: String = (0..rng.below(10))
            .map(|_| format!("{} ", rng.pick(SOUP)))
            .collect();
        let span = match parse(&input) {
            Ok(q) => q.terminals().first().map(|c| c.span()),
            Err(e) => Some(e.span),
        };
        if let Some(s) = span {
            assert!(s.start <= s.end && s.end <= input.len(), "{input:?} {s:?}");
            assert!(input.is_char_boundary(s.start) && input.is_char_boundary(s.end));
        }
    }
}

// ---------------------------------------------------------------- validation
