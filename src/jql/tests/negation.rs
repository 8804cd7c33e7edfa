//! NOT as Jira defines it: pushed through AND/OR by De Morgan's laws down to the
//! operators, each negated to its opposite; the negated operators never match an
//! issue whose field is empty. So `NOT a = 1` is `a != 1`, not the complement of
//! `a = 1`.

use super::fake::*;
use crate::jql::plan::{NumField as N, Predicate as P, TextField, TextMatch};

fn not(p: P) -> P {
    P::Not(Box::new(p))
}

/// Every operator under NOT resolves exactly as its opposite.
#[test]
fn not_resolves_as_the_opposite_operator() {
    let table = [
        ("NOT component = backend", "component != backend"),
        ("NOT component != backend", "component = backend"),
        ("NOT duedate < 2026-01-31", "duedate >= 2026-01-31"),
        ("NOT duedate > 2026-01-31", "duedate <= 2026-01-31"),
        ("NOT duedate <= 2026-01-31", "duedate > 2026-01-31"),
        ("NOT duedate >= 2026-01-31", "duedate < 2026-01-31"),
        ("NOT duedate = 2026-01-31", "duedate != 2026-01-31"),
        ("NOT votes > 1", "votes <= 1"),
        ("NOT timespent < 2h", "timespent >= 2h"),
        ("NOT priority > High", "priority <= High"),
        ("NOT status in (Open, Done)", "status not in (Open, Done)"),
        ("NOT status not in (Open, Done)", "status in (Open, Done)"),
        ("NOT labels in (x, y)", "labels not in (x, y)"),
        ("NOT labels = x", "labels != x"),
        ("NOT description ~ disk", "description !~ disk"),
        ("NOT description !~ disk", "description ~ disk"),
        ("NOT Notes ~ fast", "Notes !~ fast"),
        ("NOT assignee is empty", "assignee is not empty"),
        ("NOT assignee is not empty", "assignee is empty"),
        ("NOT labels is empty", "labels is not empty"),
        ("NOT attachments is empty", "attachments is not empty"),
        ("NOT assignee = EMPTY", "assignee != EMPTY"),
        ("NOT resolution = Unresolved", "resolution != Unresolved"),
        ("NOT fixVersion = 1.0", "fixVersion != 1.0"),
        ("NOT Team = Red", "Team != Red"),
        ("NOT key = ABC-1", "key != ABC-1"),
        ("NOT key < ABC-2", "key >= ABC-2"),
        ("NOT status was Open", "status was not Open"),
        ("NOT status was not Open", "status was Open"),
        (
            "NOT status was in (Open, Done)",
            "status was not in (Open, Done)",
        ),
        (
            "NOT status was not in (Open, Done)",
            "status was in (Open, Done)",
        ),
        ("!(assignee = alice)", "assignee != alice"),
        ("NOT NOT component = backend", "component = backend"),
    ];
    for (negated, opposite) in table {
        assert_eq!(predicate(negated), predicate(opposite), "{negated}");
    }
}

#[test]
fn not_is_pushed_through_and_and_or_by_de_morgan() {
    assert_eq!(
        predicate("NOT (component = backend OR assignee = alice)"),
        predicate("component != backend AND assignee != alice")
    );
    assert_eq!(
        predicate("NOT (component = backend AND duedate < 2026-01-31)"),
        predicate("component != backend OR duedate >= 2026-01-31")
    );
    assert_eq!(
        predicate("NOT (labels = x AND NOT (status = Open OR votes > 1))"),
        predicate("labels != x OR (status = Open OR votes > 1)")
    );
}

/// The negated operators leave out issues with the field empty.
#[test]
fn negated_operators_do_not_match_empty_fields() {
    assert_eq!(
        predicate("NOT component = backend"),
        P::And(vec![
            not(P::In(N::Component, vec![20])),
            not(P::Empty(N::Component))
        ])
    );
    let words = TextMatch::Words("disk".into());
    assert_eq!(
        predicate("!(description ~ disk)"),
        P::And(vec![
            not(P::Text(vec![TextField::Description], words.clone())),
            not(P::TextEmpty(TextField::Description)),
        ])
    );
    assert_eq!(
        predicate("comment !~ disk"),
        P::And(vec![
            not(P::Text(vec![TextField::Comment], words)),
            not(P::TextEmpty(TextField::Comment)),
        ])
    );
    // A range never matches an empty date.
    assert!(matches!(
        predicate("NOT duedate < 2026-01-31"),
        P::Range(N::Due, _, _)
    ));
}

/// CHANGED has no opposite operator: NOT keeps it as the complement.
#[test]
fn not_changed_stays_the_complement() {
    assert_eq!(
        predicate("NOT status changed"),
        not(predicate("status changed"))
    );
    assert_eq!(
        predicate("NOT (status changed OR component = backend)"),
        P::And(vec![
            not(predicate("status changed")),
            predicate("component != backend")
        ])
    );
}

/// Errors name the operator as written, not the opposite NOT resolved it with.
#[test]
fn errors_under_not_name_the_written_operator() {
    assert_eq!(
        errors("NOT summary = disk"),
        vec!["The operator '=' is not supported by the 'summary' field.".to_string()]
    );
    assert_eq!(
        errors("NOT (status = Open AND summary != disk)"),
        vec!["The operator '!=' is not supported by the 'summary' field.".to_string()]
    );
}
