//! Parsing: successes, Jira's error messages with positions, and limits.

use super::*;

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
