//! Parser, printer, validator and date tests: examples, a table of Jira's error
//! messages with positions, limits, and deterministic property tests (no extra
//! dependencies: a xorshift generator drives them).

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

#[test]
fn every_simple_operator() {
    let cases = [
        ("=", Operator::Equals),
        ("!=", Operator::NotEquals),
        ("<", Operator::LessThan),
        (">", Operator::GreaterThan),
        ("<=", Operator::LessThanEquals),
        (">=", Operator::GreaterThanEquals),
        ("~", Operator::Like),
        ("!~", Operator::NotLike),
        ("was", Operator::Was),
        ("WAS NOT", Operator::WasNot),
    ];
    for (text, op) in cases {
        assert_eq!(clause(&format!("a {text} b")), t("a", op, v("b")), "{text}");
        if !text.starts_with(['w', 'W']) {
            assert_eq!(
                clause(&format!("a{text}b")),
                t("a", op, v("b")),
                "{text} without spaces"
            );
        }
    }
    let lists = [
        ("in", Operator::In),
        ("Not In", Operator::NotIn),
        ("was in", Operator::WasIn),
        ("was not in", Operator::WasNotIn),
    ];
    for (text, op) in lists {
        assert_eq!(
            clause(&format!("a {text} (b, 1)")),
            t("a", op, Operand::List(vec![v("b"), Operand::Number(1)])),
            "{text}"
        );
    }
    assert_eq!(clause("a is empty"), t("a", Operator::Is, Operand::Empty));
    assert_eq!(
        clause("a IS NOT null"),
        t("a", Operator::IsNot, Operand::Empty)
    );
    assert_eq!(
        clause("a changed"),
        t("a", Operator::Changed, Operand::Empty)
    );
    assert_eq!(
        clause("a = EMPTY"),
        t("a", Operator::Equals, Operand::Empty)
    );
}

#[test]
fn every_predicate() {
    let c = clause(
        "status changed FROM \"In Progress\" to Done by currentUser() after -1w before \"2026/01/31 14:00\" on 2026-01-02 during (startOfMonth(), now())",
    );
    let expected = tp(
        "status",
        Operator::Changed,
        Operand::Empty,
        vec![
            pred(PredicateKind::From, qv("In Progress")),
            pred(PredicateKind::To, v("Done")),
            pred(PredicateKind::By, func("currentUser", &[])),
            pred(PredicateKind::After, v("-1w")),
            pred(PredicateKind::Before, qv("2026/01/31 14:00")),
            pred(PredicateKind::On, v("2026-01-02")),
            pred(
                PredicateKind::During,
                Operand::List(vec![func("startOfMonth", &[]), func("now", &[])]),
            ),
        ],
    );
    assert_eq!(c, expected);
    // Any order, repeated.
    let c = clause("assignee was in (a, b) BY x BY y AFTER 2026-01-01");
    let Clause::Terminal { predicates, .. } = c else {
        panic!()
    };
    assert_eq!(predicates.len(), 3);
    assert_eq!(
        clause("status was not Open during ('2026-01-01', '2026-02-01')").to_string(),
        "status WAS NOT Open DURING (\"2026-01-01\", \"2026-02-01\")"
    );
    assert_eq!(
        clause("status changed from empty").to_string(),
        "status CHANGED FROM EMPTY"
    );
}

#[test]
fn precedence_and_grouping() {
    let (a, b, c) = (
        t("a", Operator::Equals, v("1x")),
        t("b", Operator::Equals, v("2x")),
        t("c", Operator::Equals, v("3x")),
    );
    assert_eq!(
        clause("a = 1x OR b = 2x AND c = 3x"),
        Clause::Or(vec![a.clone(), Clause::And(vec![b.clone(), c.clone()])])
    );
    assert_eq!(
        clause("a = 1x AND b = 2x OR c = 3x"),
        Clause::Or(vec![Clause::And(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(
        clause("(a = 1x OR b = 2x) AND c = 3x"),
        Clause::And(vec![Clause::Or(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(
        clause("a = 1x && b = 2x & c = 3x"),
        Clause::And(vec![a.clone(), b.clone(), c.clone()])
    );
    assert_eq!(
        clause("a = 1x || b = 2x | c = 3x"),
        Clause::Or(vec![a.clone(), b.clone(), c.clone()])
    );
    // NOT binds tightest.
    assert_eq!(
        clause("NOT a = 1x AND b = 2x"),
        Clause::And(vec![Clause::Not(Box::new(a.clone())), b.clone()])
    );
    assert_eq!(
        clause("!a = 1x or not (b = 2x)"),
        Clause::Or(vec![
            Clause::Not(Box::new(a.clone())),
            Clause::Not(Box::new(b.clone()))
        ])
    );
    assert_eq!(
        clause("not not a = 1x"),
        Clause::Not(Box::new(Clause::Not(Box::new(a.clone()))))
    );
    // A parenthesised group keeps its node; redundant parentheses around one clause vanish.
    assert_eq!(
        clause("(a = 1x AND b = 2x) AND c = 3x"),
        Clause::And(vec![Clause::And(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(clause("((a = 1x))"), a);
}

#[test]
fn values_lists_functions() {
    assert_eq!(
        clause("key = PROJ-12"),
        t("key", Operator::Equals, v("PROJ-12"))
    );
    assert_eq!(
        clause("created > -1d"),
        t("created", Operator::GreaterThan, v("-1d"))
    );
    assert_eq!(
        clause("due = 2026-01-31"),
        t("due", Operator::Equals, v("2026-01-31"))
    );
    assert_eq!(
        clause("votes > -3"),
        t("votes", Operator::GreaterThan, Operand::Number(-3))
    );
    assert_eq!(clause("x = 12.5"), t("x", Operator::Equals, v("12.5")));
}

#[test]
fn strings_and_escapes() {
    assert_eq!(
        clause(r#"summary ~ "a \"b\" \\ \n\t\u00e9""#),
        t("summary", Operator::Like, qv("a \"b\" \\ \n\té"))
    );
    assert_eq!(
        clause(r"summary ~ 'it\'s'"),
        t("summary", Operator::Like, qv("it's"))
    );
    assert_eq!(
        clause(r#"summary ~ "abc*""#),
        t("summary", Operator::Like, qv("abc*"))
    );
    assert_eq!(
        clause(r#"summary ~ 'a?c'"#),
        t("summary", Operator::Like, qv("a?c"))
    );
    // Escapes in bare words; an escaped keyword or number is a plain string.
    assert_eq!(
        clause(r"a = b\ c\u0025"),
        t("a", Operator::Equals, v("b c%"))
    );
    assert_eq!(clause(r"a = \u0041ND"), t("a", Operator::Equals, v("AND")));
    assert_eq!(clause(r"a = \u0031"), t("a", Operator::Equals, v("1")));
    assert_eq!(
        clause(r#"a = "\ud83d\ude00""#),
        t("a", Operator::Equals, qv("😀"))
    );
    assert_eq!(clause("a = 日本"), t("a", Operator::Equals, v("日本")));
}

#[test]
fn keywords_are_case_insensitive() {
    assert_eq!(
        q("a = b aNd c = d oR NoT e iS EmPtY oRdEr bY f dEsC"),
        q("a = b AND c = d OR NOT e IS EMPTY ORDER BY f DESC")
    );
}

#[test]
fn fields() {
    assert_eq!(
        clause(r#""Story Points" > 5"#),
        t("Story Points", Operator::GreaterThan, Operand::Number(5))
    );
    assert_eq!(clause("'order' = x"), t("order", Operator::Equals, v("x")));
    let Clause::Terminal { field, .. } = clause("cf[10001] = x") else {
        panic!()
    };
    assert_eq!(field, Field::CustomId(10001));
    let Clause::Terminal { field, .. } = clause("CF [ 7 ] = x") else {
        panic!()
    };
    assert_eq!(field, Field::CustomId(7));
    // Bare `cf` must open a custom field id; quoted, it is a name.
    assert_eq!(clause("\"cf\" = x"), t("cf", Operator::Equals, v("x")));
    assert_eq!(clause("a = cf"), t("a", Operator::Equals, v("cf")));
}

#[test]
fn order_by() {
    let query = q("ORDER BY created DESC, \"Story Points\", cf[10001] asc");
    assert_eq!(query.clause, None);
    let fields: Vec<_> = query
        .order_by
        .iter()
        .map(|o| (o.field.clone(), o.direction))
        .collect();
    assert_eq!(
        fields,
        vec![
            (Field::Name("created".into()), Some(Direction::Desc)),
            (Field::Name("Story Points".into()), None),
            (Field::CustomId(10001), Some(Direction::Asc)),
        ]
    );
    assert_eq!(q("project = A order by key").order_by.len(), 1);
    assert_eq!(q(""), Query::default());
    assert_eq!(q("  \n\t "), Query::default());
}

#[test]
fn functions() {
    assert_eq!(
        clause("assignee = currentUser()"),
        t("assignee", Operator::Equals, func("currentUser", &[]))
    );
    assert_eq!(
        clause("issue in linkedIssues(ABC-1, \"is blocked by\")"),
        t(
            "issue",
            Operator::In,
            func("linkedIssues", &["ABC-1", "is blocked by"])
        )
    );
    assert_eq!(
        clause("created > startOfDay(-1)"),
        t(
            "created",
            Operator::GreaterThan,
            func("startOfDay", &["-1"])
        )
    );
    assert_eq!(
        clause("a in (membersOf('x y'), b)"),
        t(
            "a",
            Operator::In,
            Operand::List(vec![func("membersOf", &["x y"]), v("b")])
        )
    );
    assert_eq!(
        clause("a = \"quoted name\"(1)"),
        t("a", Operator::Equals, func("quoted name", &["1"]))
    );
}

#[test]
fn spans_and_positions() {
    let query = parse("project = ABC AND\n  summary ~ \"日本\"").unwrap();
    let terms = query.terminals();
    let Clause::Terminal {
        span,
        field_span,
        op_span,
        value_span,
        ..
    } = terms[1]
    else {
        panic!()
    };
    assert_eq!((span.line, span.column), (2, 3));
    assert_eq!(
        &"project = ABC AND\n  summary ~ \"日本\""[span.start..span.end],
        "summary ~ \"日本\""
    );
    assert_eq!((field_span.start, field_span.end), (20, 27));
    assert_eq!((op_span.start, op_span.end), (28, 29));
    assert_eq!((value_span.line, value_span.column), (2, 13));
    let tokens = lexer::tokenize("a in (b, \"c\")").unwrap();
    assert_eq!(tokens.len(), 7);
    assert_eq!(tokens[6].span.column, 13);
}

// ---------------------------------------------------------------- errors

const ESCAPES: &str = r#"The valid escape sequences are \', \", \t, \n, \r, \\, '\ ' and \uXXXX."#;
const OPERATORS: &str = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";
const P: &str = "Error in the JQL Query: ";

/// Inputs and the exact message, most taken from Jira's own parser tests.
fn error_table() -> Vec<(&'static str, String)> {
    let e = |s: &str| format!("{P}{s}");
    vec![
        ("comment ~ 'test", e("The quoted string 'test' has not been completed. (line 1, character 11)")),
        ("comment ~ 'test\n", e("The quoted string 'test ' has not been completed. (line 1, character 11)")),
        ("priority=\"test\nword", e("The quoted string 'test word' has not been completed. (line 1, character 10)")),
        ("comment ~ '", e("The quoted string has not been completed. (line 1, character 11)")),
        ("summary ~ \"abc", e("The quoted string 'abc' has not been completed. (line 1, character 11)")),
        ("comme\\unt ~ 'test", e(&format!("'\\un' is an illegal JQL escape sequence. {ESCAPES} (line 1, character 6)"))),
        ("status =\n\n\n\n\n\n \\c", e(&format!("'\\c' is an illegal JQL escape sequence. {ESCAPES} (line 7, character 2)"))),
        ("status =\n\n\n\n\\", e(&format!("The escape sequence has not been completed. {ESCAPES} (line 5, character 1)"))),
        ("status =\n\n\n\n\\u", e(&format!("'\\u' is an illegal JQL escape sequence. {ESCAPES} (line 5, character 1)"))),
        ("status =\n\n\n\n'\\u'", e(&format!("'\\u'' is an illegal JQL escape sequence. {ESCAPES} (line 5, character 2)"))),
        ("a = \"x\\qy\"", e(&format!("'\\q' is an illegal JQL escape sequence. {ESCAPES} (line 1, character 7)"))),
        ("a = \"\\ud83dx\"", e(&format!("'\\ud83d' is an illegal JQL escape sequence. {ESCAPES} (line 1, character 6)"))),
        ("mine{www = qwwr", e("The character '{' is a reserved JQL character. You must enclose it in a string or use the escape '\\u007b' instead. (line 1, character 5)")),
        ("minewww# = qwwr", e("The character '#' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0023' instead. (line 1, character 8)")),
        ("minewww = qwwr}", e("The character '}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u007d' instead. (line 1, character 15)")),
        ("a = %", e("The character '%' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0025' instead. (line 1, character 5)")),
        ("reporter=a/user", e("The character '/' is a reserved JQL character. You must enclose it in a string or use the escape '\\u002f' instead. (line 1, character 11)")),
        ("summary ~ abc*", e("The character '*' is a reserved JQL character. You must enclose it in a string or use the escape '\\u002a' instead. (line 1, character 14)")),
        ("summary ~ abc?", e("The character '?' is a reserved JQL character. You must enclose it in a string or use the escape '\\u003f' instead. (line 1, character 14)")),
        ("minewww =\u{7f}qwwr", e("The character 'U+007F' on line 1 at position 10 must be escaped. Use the escape '\\u007f' instead. (line 1, character 10)")),
        ("mqwwr=\"\u{7f} this is broken\"", e("The character 'U+007F' on line 1 at position 8 must be escaped. Use the escape '\\u007f' instead. (line 1, character 8)")),
        ("aaaaa=-3482094382084092840932809482", e("'-3482094382084092840932809482' is not a valid number. Numbers must be between -9,223,372,036,854,775,808 and 9,223,372,036,854,775,807. (line 1, character 7)")),
        ("cf[1002020202002020202020202020020202822]=a", e("'1002020202002020202020202020020202822' is not a valid number. Numbers must be between -9,223,372,036,854,775,808 and 9,223,372,036,854,775,807. (line 1, character 4)")),
        ("a =b order", e("Expecting 'by' before the end of the query.")),
        ("a =b order summary", e("Expecting 'by' but got 'summary'. (line 1, character 12)")),
        ("a =b order by", e("Expecting a field name at the end of the query.")),
        ("a =b order by asc", e("Expecting a field name but got 'asc'. You must surround 'asc' in quotation marks to use it as a field name. (line 1, character 15)")),
        ("a =b order by ajsks blah", e("Expecting either 'ASC' or 'DESC' but got 'blah'. (line 1, character 21)")),
        ("a =b order by \"\" desc", e("A field name cannot be empty. (line 1, character 15)")),
        ("'' = c", e("A field name cannot be empty. (line 1, character 1)")),
        ("a = ''()", e("A function name cannot be empty. (line 1, character 5)")),
        ("a = \"\"()", e("A function name cannot be empty. (line 1, character 5)")),
        ("a", e(&format!("Expecting operator before the end of the query. {OPERATORS}"))),
        ("a blah >", e(&format!("Expecting operator but got 'blah'. {OPERATORS} (line 1, character 3)"))),
        ("project = ABC AND status foo", e(&format!("Expecting operator but got 'foo'. {OPERATORS} (line 1, character 26)"))),
        ("a =a and j not is empty", e("Expecting 'IN' but got 'is'. (line 1, character 16)")),
        ("a =a and j is ! empty", e("Expecting 'NOT' but got '!'. (line 1, character 15)")),
        ("cf", e("Expecting '[' before the end of the query.")),
        ("a = b and not (cf = 6)", e("Expecting '[' but got '='. (line 1, character 19)")),
        ("cf[", e("Expecting a custom field id (a positive number) before the end of the query.")),
        ("cf[ = 9", e("Expecting a custom field id (a positive number) but got '='. (line 1, character 5)")),
        ("cf[] = 1", e("Expecting a custom field id (a positive number) but got ']'. (line 1, character 4)")),
        ("cf[29829k] = ", e("Expecting a custom field id (a positive number) but got '29829k'. (line 1, character 4)")),
        ("cf[-29829] = ", e("Expecting a custom field id (a positive number) but got '-29829'. (line 1, character 4)")),
        ("cf[29829 = world", e("Expecting ']' but got '='. (line 1, character 10)")),
        ("cf[29829", e("Expecting ']' before the end of the query.")),
        ("a = func(", e("Expecting ')' before the end of the query.")),
        ("a = func(, and not (a = x)", e("Expecting ')' but got ','. (line 1, character 10)")),
        ("b=func(bad", e("Expecting ')' before the end of the query.")),
        ("bas=func(bad,)", e("Function argument must be specified. (line 1, character 14)")),
        ("bas=func(bad,", e("Expecting a function argument at the end of the query.")),
        ("k = func(!", e("Expecting a function argument but got '!'. You must surround '!' in quotation marks to use it as an argument. (line 1, character 10)")),
        ("k = func(abc, jk!)", e("Expecting ')' or ',' but got '!'. (line 1, character 17)")),
        ("(a=b and c = d", e("Expecting ')' before the end of the query.")),
        ("a=b or (c=d and not l ~ kate", e("Expecting ')' before the end of the query.")),
        ("b in ((12, (288)", e("Expecting ')' before the end of the query.")),
        ("abc IN ((foo) abc = a", e("Expecting ')' but got 'abc'. (line 1, character 15)")),
        ("(a = b c = d)", e("Expecting ')' but got 'c'. (line 1, character 8)")),
        ("a=", e("Expecting either a value, list or function before the end of the query.")),
        ("a=!", e("Expecting either a value, list or function but got '!'. You must surround '!' in quotation marks to use it as a value. (line 1, character 3)")),
        ("project = AND", e("Expecting either a value, list or function but got 'AND'. You must surround 'AND' in quotation marks to use it as a value. (line 1, character 11)")),
        ("project in ()", e("Expecting either a value, list or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 13)")),
        ("a=b c=d", e("Expecting either 'OR' or 'AND' but got 'c'. (line 1, character 5)")),
        ("a=b !c=d", e("Expecting either 'OR' or 'AND' but got '!'. (line 1, character 5)")),
        ("a = b)", e("Expecting either 'OR' or 'AND' but got ')'. (line 1, character 6)")),
        ("a=(a,", e("Expecting either a value, list or function before the end of the query.")),
        ("a=(a,(,bad))", e("Expecting either a value, list or function but got ','. You must surround ',' in quotation marks to use it as a value. (line 1, character 7)")),
        ("a = ((c,d), d, e, f, yyy) and", e("Expecting a field name at the end of the query.")),
        ("NOT", e("Expecting a field name at the end of the query.")),
        ("comment !~ \"brenden\" jack = jill", e("Expecting either 'OR' or 'AND' but got 'jack'. (line 1, character 22)")),
        ("comment !~ \"brenden\" and cf[1000] = jill order by a desc b", e("Expecting ',' but got 'b'. (line 1, character 58)")),
        (", a = b", e("Expecting a field name but got ','. You must surround ',' in quotation marks to use it as a field name. (line 1, character 1)")),
        ("order by a desc d", e("Expecting ',' but got 'd'. (line 1, character 17)")),
        ("[brenden] = a", e("Expecting a field name but got '['. Did you mean 'cf['? (line 1, character 1)")),
        ("a = brenden and [78] = q", e("Expecting a field name but got '['. Did you mean 'cf['? (line 1, character 17)")),
        ("a was", e("Expecting either a value, list or function before the end of the query.")),
        ("a not was \"Open\"", e("Expecting 'IN' but got 'was'. (line 1, character 7)")),
        ("summary ~ select", e("'select' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 11)")),
        ("Select = x", e("'Select' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 1)")),
        ("summary ~ \"日本\" x = y", e("Expecting either 'OR' or 'AND' but got 'x'. (line 1, character 16)")),
        ("a = b\n  AND c d", e(&format!("Expecting operator but got 'd'. {OPERATORS} (line 2, character 9)"))),
        // Operand shape rules: Jira's validator wording, no prefix or position.
        ("status = \"Open\" by admin", "The EQUALS operator does not support the use of the by \"admin\" predicate.".into()),
        ("status was Open from x", "The WAS operator does not support the use of the from \"x\" predicate.".into()),
        ("fixVersion changed 4 by \"I can type complete rubbish here\"", "The CHANGED operator does not support the use of values without predicates. You must prefix the 4 value with a suitable predicate.".into()),
        ("status changed before (11, 12)", "The BEFORE predicate must be supplied with only 1 date value.".into()),
        ("status changed during 11", "The DURING predicate must be supplied with exactly 2 date values.".into()),
        ("status changed during (1, 2, 3)", "The DURING predicate must be supplied with exactly 2 date values.".into()),
        ("assignee is currentUser()", "Operator 'is' does not support searching for non-empty values for field 'assignee'.".into()),
        ("assignee is not bob", "Operator 'is not' does not support searching for non-empty values for field 'assignee'.".into()),
        ("summary in test", "Operator 'in' does not support the non-list value '\"test\"' for field 'summary'.".into()),
        ("status not in EMPTY", "Operator 'not in' does not support the empty value representation 'EMPTY' for field 'status'.".into()),
        ("cf[10001] = (1, 2)", "Operator '=' does not support the list value '(1, 2)' for field 'cf[10001]'.".into()),
    ]
}

#[test]
fn error_messages_with_positions() {
    let mut failures = Vec::new();
    for (input, expected) in error_table() {
        let got = err(input);
        if got != expected {
            failures.push(format!("{input:?}\n   got: {got}\n  want: {expected}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_reserved_word_must_be_quoted() {
    for w in lexer::RESERVED_WORDS {
        assert_eq!(
            err(&format!("summary ~ {w}")),
            format!(
                "{P}'{w}' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 11)"
            )
        );
        q(&format!("summary ~ \"{w}\""));
    }
}

#[test]
fn error_spans_point_at_the_offender() {
    let e = parse("a = b AND c ? d").unwrap_err();
    assert_eq!((e.span.start, e.span.end), (12, 13));
    let e = parse("a = b AND").unwrap_err();
    assert_eq!((e.span.start, e.span.end), (9, 9));
    let e = parse("status = Open by admin").unwrap_err();
    assert_eq!(
        &"status = Open by admin"[e.span.start..e.span.end],
        "by admin"
    );
}

// ---------------------------------------------------------------- limits

#[test]
fn nesting_limit() {
    let nested = |n: usize| format!("{}a = b{}", "(".repeat(n), ")".repeat(n));
    q(&nested(MAX_DEPTH));
    assert!(err(&nested(MAX_DEPTH + 1)).contains("nested too deeply"));
    q(&format!("{}a = b", "NOT ".repeat(MAX_DEPTH)));
    assert!(err(&format!("{}a = b", "NOT ".repeat(MAX_DEPTH + 1))).contains("nested too deeply"));
    let lists = |n: usize| format!("a in {}1{}", "(".repeat(n), ")".repeat(n));
    q(&lists(MAX_DEPTH));
    assert!(err(&lists(MAX_DEPTH + 1)).contains("nested too deeply"));
    // The deepest input the length limit allows fails cleanly, without recursion.
    assert!(err(&"!".repeat(MAX_QUERY_LEN)).contains("nested too deeply"));
    assert!(err(&"(".repeat(MAX_QUERY_LEN)).contains("nested too deeply"));
    assert!(err(&format!("a in {}", "(".repeat(MAX_QUERY_LEN - 5))).contains("nested too deeply"));
}

#[test]
fn list_and_length_limits() {
    let list = |n: usize| format!("a in ({})", vec!["1"; n].join(","));
    let Some(Clause::Terminal {
        value: Operand::List(items),
        ..
    }) = q(&list(MAX_LIST_LEN)).clause
    else {
        panic!()
    };
    assert_eq!(items.len(), MAX_LIST_LEN);
    assert_eq!(
        err(&list(MAX_LIST_LEN + 1)),
        format!("{P}A list may hold at most 10000 values. (line 1, character 20007)")
    );
    let args = format!("a = f({})", vec!["x"; MAX_LIST_LEN + 1].join(","));
    assert!(err(&args).contains("at most 10000 arguments"));
    let long = format!("a = {}", "x".repeat(MAX_QUERY_LEN));
    assert_eq!(
        err(&long),
        format!("{P}The query is too long: at most 100000 bytes are allowed.")
    );
    q(&format!("a = {}", "x".repeat(MAX_QUERY_LEN - 4)));
}

// ---------------------------------------------------------------- printer

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

struct Customs;

impl CustomFieldResolver for Customs {
    fn by_name(&self, name: &str) -> Vec<CustomField> {
        [self.by_id(10001), self.by_id(10002)]
            .into_iter()
            .flatten()
            .filter(|c| c.name.eq_ignore_ascii_case(name))
            .collect()
    }
    fn by_id(&self, id: u64) -> Option<CustomField> {
        match id {
            10001 => Some(CustomField {
                id,
                name: "Story Points".into(),
                kind: ValueKind::Number,
            }),
            10002 => Some(CustomField {
                id,
                name: "Team".into(),
                kind: ValueKind::Option,
            }),
            _ => None,
        }
    }
}

fn problems(src: &str) -> Vec<String> {
    let query = parse(src).unwrap_or_else(|e| panic!("{src}: {}", e.message));
    validate(&query, &FieldCatalogue::new(&Customs))
        .into_iter()
        .map(|e| e.message)
        .collect()
}

#[test]
fn valid_queries_pass() {
    for src in [
        "project = ABC AND issuetype in (Bug, Story) AND status was \"In Progress\" BY currentUser() AFTER -1w",
        "assignee in membersOf(devs) OR reporter = currentUser() OR assignee is EMPTY",
        "summary ~ \"crash*\" AND description !~ foo AND text ~ bar AND comment ~ baz AND environment is not empty",
        "created >= startOfMonth(-1M) AND updated < endOfDay() AND resolved > \"2026/01/31 14:00\" AND due <= 2026-02-01",
        "key in (ABC-1, 10001) AND parent = ABC-2 AND issue in linkedIssues(ABC-1, blocks)",
        "fixVersion in unreleasedVersions(ABC) OR fixVersion = latestReleasedVersion(ABC) OR affectedVersion = \"1.0\"",
        "\"Story Points\" > 5 AND cf[10002] = Red AND Team in (Red, Blue) AND votes > 2 AND watchers >= 1",
        "status changed FROM Open TO Done DURING (startOfWeek(), now()) ORDER BY priority DESC, created, cf[10001]",
        "timespent > 3h AND originalEstimate is empty AND attachments is not empty AND labels = x AND component = y",
        "statusCategory = Done AND worklogAuthor = bob AND worklogDate > -2w AND voter = me AND watcher = me AND issueLinkType = blocks",
        "type = Bug AND priority > Low AND resolution was Fixed AND creator = me AND createdDate > -1d AND duedate is empty",
    ] {
        assert_eq!(problems(src), Vec::<String>::new(), "{src}");
    }
}

#[test]
fn validation_messages() {
    let cases = [
        (
            "summary = test",
            "The operator '=' is not supported by the 'summary' field.",
        ),
        (
            "universe = 42",
            "Field 'universe' does not exist or you do not have permission to view it.",
        ),
        (
            "cf[99] = 1",
            "Field 'cf[99]' does not exist or you do not have permission to view it.",
        ),
        (
            "project ~ ENG",
            "The operator '~' is not supported by the 'project' field.",
        ),
        (
            "project was ENG",
            "The operator 'was' is not supported by the 'project' field.",
        ),
        (
            "\"Story Points\" ~ x",
            "The operator '~' is not supported by the 'Story Points' field.",
        ),
        (
            "key in (null)",
            "The field 'key' does not support searching for EMPTY values.",
        ),
        (
            "comment is empty",
            "The field 'comment' does not support searching for EMPTY values.",
        ),
        (
            "created > EMPTY",
            "Operator '>' does not support the empty value representation 'EMPTY' for field 'created'.",
        ),
        (
            "assignee changed by bogus()",
            "Unable to find JQL function 'bogus()'.",
        ),
        (
            "assignee was bogus()",
            "Unable to find JQL function 'bogus()'.",
        ),
        (
            "status was Reopened by currentUser() AFTER startOfDay(\"invalid\")",
            "Duration for function 'startOfDay' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.",
        ),
        (
            "status changed AFTER now(\"invalid\")",
            "Function 'now' expected '0' arguments but received '1'.",
        ),
        (
            "created > startOfDay(1, 2)",
            "Function 'startOfDay' expected between '0' and '1' arguments but received '2'.",
        ),
        (
            "status changed after \"20/12/10\"",
            "Date value '20/12/10' for predicate 'after' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
        ),
        (
            "status changed after currentUser()",
            "A date for the predicate 'after' provided by the function 'currentUser' is not valid.",
        ),
        (
            "created > \"yesterday\"",
            "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
        ),
        (
            "key = abc",
            "The issue key 'abc' for field 'key' is invalid.",
        ),
        (
            "votes > many",
            "The value 'many' for field 'votes' is invalid - please specify a positive integer.",
        ),
        (
            "assignee = membersOf(devs)",
            "Operator '=' does not support the list value 'membersOf(devs)' for field 'assignee'.",
        ),
        (
            "assignee in currentUser()",
            "Operator 'in' does not support the non-list value 'currentUser()' for field 'assignee'.",
        ),
        (
            "created > currentUser()",
            "The function 'currentUser' is not supported by the 'created' field.",
        ),
        (
            "project = ABC ORDER BY comment",
            "Field 'comment' does not support sorting.",
        ),
        (
            "project = ABC ORDER BY nope",
            "Field 'nope' does not exist or you do not have permission to view it.",
        ),
    ];
    for (src, expected) in cases {
        assert_eq!(problems(src), vec![expected.to_string()], "{src}");
    }
    // Every problem is reported, in order.
    assert_eq!(problems("summary = a AND nope = b").len(), 2);
    // Without custom fields, a custom field name is unknown.
    let query = parse("\"Story Points\" > 1").unwrap();
    assert_eq!(validate(&query, &FieldCatalogue::system()).len(), 1);
}

#[test]
fn catalogue_covers_the_system_fields_and_aliases() {
    for name in [
        "project",
        "key",
        "issuekey",
        "id",
        "summary",
        "description",
        "environment",
        "comment",
        "text",
        "type",
        "issuetype",
        "status",
        "statusCategory",
        "priority",
        "resolution",
        "assignee",
        "reporter",
        "creator",
        "labels",
        "component",
        "fixVersion",
        "affectedVersion",
        "created",
        "createdDate",
        "updated",
        "updatedDate",
        "resolved",
        "resolutiondate",
        "due",
        "duedate",
        "parent",
        "watcher",
        "voter",
        "votes",
        "watchers",
        "attachments",
        "issueLinkType",
        "worklogAuthor",
        "worklogDate",
        "timespent",
        "originalEstimate",
        "remainingEstimate",
    ] {
        assert!(fields::system_field(name).is_some(), "{name}");
        assert!(
            fields::system_field(&name.to_uppercase()).is_some(),
            "{name} in capitals"
        );
    }
    for text in ["summary", "description", "environment", "comment", "text"] {
        let f = fields::system_field(text).unwrap();
        assert!(
            f.operators.iter().all(|op| matches!(
                op,
                Operator::Like | Operator::NotLike | Operator::Is | Operator::IsNot
            )),
            "{text}"
        );
    }
}

#[test]
fn function_catalogue() {
    for (name, min, max) in [
        ("currentUser", 0, 0),
        ("membersOf", 1, 1),
        ("now", 0, 0),
        ("startOfDay", 0, 1),
        ("endOfYear", 0, 1),
        ("currentLogin", 0, 0),
        ("lastLogin", 0, 0),
        ("issueHistory", 0, 0),
        ("linkedIssues", 1, 2),
        ("votedIssues", 0, 0),
        ("watchedIssues", 0, 0),
        ("releasedVersions", 0, 1),
        ("unreleasedVersions", 0, 1),
        ("latestReleasedVersion", 1, 1),
        ("earliestUnreleasedVersion", 1, 1),
        ("componentsLeadByUser", 0, 1),
        ("updatedBy", 1, 3),
    ] {
        let f = functions::lookup(&name.to_lowercase()).unwrap_or_else(|| panic!("{name}"));
        assert_eq!((f.name, f.min_args, f.max_args), (name, min, max));
    }
    assert!(functions::lookup("bogus").is_none());
}

// ---------------------------------------------------------------- dates

#[test]
fn periods() {
    let p = |s| parse_period(s);
    assert_eq!(
        p("-1d"),
        Some(Period {
            months: 0,
            minutes: -1440
        })
    );
    assert_eq!(
        p("-2w 3d"),
        Some(Period {
            months: 0,
            minutes: -(2 * 7 * 1440 + 3 * 1440)
        })
    );
    assert_eq!(
        p("4h"),
        Some(Period {
            months: 0,
            minutes: 240
        })
    );
    assert_eq!(
        p("+30m"),
        Some(Period {
            months: 0,
            minutes: 30
        })
    );
    assert_eq!(
        p("1M"),
        Some(Period {
            months: 1,
            minutes: 0
        })
    );
    assert_eq!(
        p("-1y 2M 1d"),
        Some(Period {
            months: -14,
            minutes: -1440
        })
    );
    assert_eq!(p("1w2d").map(|x| x.seconds()), Some(9 * 86_400));
    for bad in [
        "",
        "-",
        "d",
        "1",
        "1x",
        "1d x",
        "--1d",
        "99999999999999999999d",
        "1.5d",
    ] {
        assert_eq!(p(bad), None, "{bad}");
    }
    assert_eq!(
        parse_function_offset("-1", 'd'),
        Some(Period {
            months: 0,
            minutes: -1440
        })
    );
    assert_eq!(
        parse_function_offset("+1", 'M'),
        Some(Period {
            months: 1,
            minutes: 0
        })
    );
    assert_eq!(
        parse_function_offset("2w", 'd'),
        Some(Period {
            months: 0,
            minutes: 2 * 7 * 1440
        })
    );
    assert_eq!(parse_function_offset("invalid", 'd'), None);
}

#[test]
fn absolute_dates() {
    use time::macros::{date, time};
    assert_eq!(
        parse_absolute("2026-01-31"),
        Some((date!(2026 - 01 - 31), None))
    );
    assert_eq!(
        parse_absolute("2026/1/5 9:05"),
        Some((date!(2026 - 01 - 05), Some(time!(9:05))))
    );
    assert_eq!(
        parse_absolute("2026/01/31 14:00"),
        Some((date!(2026 - 01 - 31), Some(time!(14:00))))
    );
    for bad in [
        "2026-02-30",
        "20/12/10",
        "2026-01-31 25:00",
        "2026-01",
        "2026-01-31T14:00",
        "26-01-31",
        "2026-01/31",
    ] {
        assert_eq!(parse_absolute(bad), None, "{bad}");
    }
    assert_eq!(
        parse_date_value("-5d"),
        Some(DateValue::Relative(Period {
            months: 0,
            minutes: -5 * 1440
        }))
    );
    assert!(matches!(
        parse_date_value("2026-01-31"),
        Some(DateValue::Absolute { .. })
    ));
}
