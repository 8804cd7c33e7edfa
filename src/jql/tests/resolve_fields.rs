//! Resolution of field clauses into plans, against the fake lookup: system fields by
//! name and alias, custom fields by id and name, EMPTY, lists, dates, history, sort.

use std::collections::HashMap;
use std::ops::Bound::{Excluded, Included, Unbounded};
use std::sync::Arc;

use super::fake::*;
use crate::jql::Validation;
use crate::jql::plan::{
    HistoryWindow, NumField as N, Predicate as P, SortKey, TextField, TextMatch,
};

fn not(p: P) -> P {
    P::Not(Box::new(p))
}

/// `!=` and `NOT IN`: not any of the values, and not empty (as in Jira).
fn none_of(f: N, ids: Vec<i64>) -> P {
    P::And(vec![not(P::In(f, ids)), not(P::Empty(f))])
}

#[test]
fn system_fields_by_name_and_alias() {
    for src in [
        "issuetype = Bug",
        "type = bug",
        "issueType = 1",
        "TYPE = BUG",
    ] {
        assert_eq!(predicate(src), P::In(N::IssueType, vec![1]), "{src}");
    }
    for src in [
        "key = ABC-1",
        "issuekey = abc-1",
        "id = 100",
        "issue = ABC-1",
    ] {
        assert_eq!(predicate(src), P::In(N::Id, vec![100]), "{src}");
    }
    for src in ["project = ABC", "project = alpha", "project = 1"] {
        assert_eq!(predicate(src), P::In(N::Project, vec![1]), "{src}");
    }
    assert_eq!(
        predicate("status = 'in progress'"),
        P::In(N::Status, vec![3])
    );
    assert_eq!(
        predicate("statusCategory = done"),
        P::In(N::StatusCategory, vec![3])
    );
    assert_eq!(
        predicate("statusCategory = 'To Do'"),
        P::In(N::StatusCategory, vec![2])
    );
    assert_eq!(predicate("assignee = alice"), P::In(N::Assignee, vec![7]));
    assert_eq!(
        predicate("reporter = 'bob brown'"),
        P::In(N::Reporter, vec![8])
    );
    assert_eq!(predicate("label = x"), predicate("labels = x"));
    assert_eq!(predicate("labels = x"), P::LabelIn(vec!["x".into()]));
    assert_eq!(
        predicate("component = backend"),
        P::In(N::Component, vec![20])
    );
    assert_eq!(
        predicate("fixVersion = 1.0"),
        P::In(N::FixVersion, vec![30])
    );
    assert_eq!(predicate("parent = ABC-2"), P::In(N::Parent, vec![101]));
    assert_eq!(
        predicate("issueLinkType = blocks"),
        P::In(N::IssueLinkType, vec![20])
    );
    assert_eq!(
        predicate("issueLinkType = Blocks"),
        P::In(N::IssueLinkType, vec![20, 21])
    );
    assert_eq!(
        predicate("votes > 1"),
        P::Range(N::Votes, Excluded(1), Unbounded)
    );
    assert_eq!(predicate("watchers = 0"), P::In(N::Watches, vec![0]));
    assert_eq!(
        predicate("timespent > 2h"),
        P::Range(N::TimeSpent, Excluded(7200), Unbounded)
    );
    assert_eq!(predicate("attachments is empty"), P::Empty(N::Attachments));
}

#[test]
fn text_fields_and_matches() {
    let text = |f, m| P::Text(vec![f], m);
    assert_eq!(
        predicate("summary ~ 'disk full'"),
        text(TextField::Summary, TextMatch::Words("disk full".into()))
    );
    assert_eq!(
        predicate("description ~ '\"disk full\"'"),
        text(
            TextField::Description,
            TextMatch::Phrase("disk full".into())
        )
    );
    assert_eq!(
        predicate("comment ~ 'dis*'"),
        text(TextField::Comment, TextMatch::Prefix("dis".into()))
    );
    assert_eq!(
        predicate("environment !~ 'd?sk'"),
        // !~ never matches an empty field.
        P::And(vec![
            not(text(
                TextField::Environment,
                TextMatch::Wildcard("d?sk".into())
            )),
            not(P::TextEmpty(TextField::Environment)),
        ])
    );
    let P::Text(fields, _) = predicate("text ~ disk") else {
        panic!("text is a text match");
    };
    assert_eq!(fields.len(), 5, "text searches every text field");
    assert_eq!(
        predicate("summary is empty"),
        P::TextEmpty(TextField::Summary)
    );
}

#[test]
fn custom_fields_by_id_and_by_name() {
    // Story Points is Jira Software's estimate: a number field, compared in thousandths.
    let points = P::In(crate::jql::plan::NumField::StoryPoints, vec![3000]);
    for src in [
        "cf[10001] = 3",
        "'Story Points' = 3",
        "\"story points\" = 3.0",
        "customfield_10001 = 3",
    ] {
        assert_eq!(predicate(src), points, "{src}");
    }
    assert_eq!(
        predicate("Team = red"),
        P::CustomIn(10002, vec!["100".into()])
    );
    assert_eq!(
        predicate("cf[10002] in (Red, 101)"),
        P::CustomIn(10002, vec!["100".into(), "101".into()])
    );
    assert_eq!(
        predicate("Reviewer = bob"),
        P::CustomIn(10004, vec!["8".into()])
    );
    assert_eq!(
        predicate("Notes ~ fast"),
        P::And(vec![
            P::Text(vec![TextField::CustomText], TextMatch::Words("fast".into())),
            not(P::CustomEmpty(10003)),
        ])
    );
    assert_eq!(predicate("cf[10003] is empty"), P::CustomEmpty(10003));
    assert_eq!(
        predicate("Team != Red"),
        P::And(vec![
            not(P::CustomIn(10002, vec!["100".into()])),
            not(P::CustomEmpty(10002))
        ])
    );
}

#[test]
fn empty_and_null() {
    for src in [
        "assignee is empty",
        "assignee is null",
        "assignee = EMPTY",
        "assignee = null",
    ] {
        assert_eq!(predicate(src), P::Empty(N::Assignee), "{src}");
    }
    assert_eq!(
        predicate("assignee is not empty"),
        not(P::Empty(N::Assignee))
    );
    assert_eq!(predicate("labels is empty"), P::LabelsEmpty);
    assert_eq!(predicate("due is not null"), not(P::Empty(N::Due)));
    assert_eq!(
        predicate("status in (Open, EMPTY)"),
        P::Or(vec![P::In(N::Status, vec![1]), P::Empty(N::Status)])
    );
    // Jira's name for an empty resolution.
    assert_eq!(
        predicate("resolution = Unresolved"),
        P::Empty(N::Resolution)
    );
    assert_eq!(
        predicate("resolution in (Unresolved, Fixed)"),
        P::Or(vec![P::In(N::Resolution, vec![1]), P::Empty(N::Resolution)])
    );
}

#[test]
fn in_and_not_in() {
    assert_eq!(
        predicate("status in (Done, Open, open)"),
        P::In(N::Status, vec![1, 5])
    );
    assert_eq!(
        predicate("status not in (Open, Done)"),
        none_of(N::Status, vec![1, 5])
    );
    assert_eq!(predicate("status != Open"), none_of(N::Status, vec![1]));
    assert_eq!(
        predicate("key not in (ABC-1, ABC-2)"),
        not(P::In(N::Id, vec![100, 101]))
    );
    assert_eq!(
        predicate("labels not in (a, b)"),
        P::And(vec![
            not(P::LabelIn(vec!["a".into(), "b".into()])),
            not(P::LabelsEmpty)
        ])
    );
    // Priorities are listed highest first: "greater" means higher.
    assert_eq!(
        predicate("priority > Medium"),
        P::In(N::Priority, vec![1, 2])
    );
    assert_eq!(
        predicate("priority <= High"),
        P::In(N::Priority, vec![2, 3, 4])
    );
    assert_eq!(
        predicate("project = ABC and (status = Open or not assignee = bob)"),
        P::And(vec![
            P::In(N::Project, vec![1]),
            P::Or(vec![
                P::In(N::Status, vec![1]),
                // Jira's NOT is `!=`, which leaves out the unassigned.
                none_of(N::Assignee, vec![8])
            ]),
        ])
    );
    assert_eq!(
        predicate("key > ABC-1"),
        P::And(vec![
            P::In(N::Project, vec![1]),
            P::Range(N::Num, Excluded(1), Unbounded)
        ])
    );
}

#[test]
fn relative_and_absolute_dates() {
    assert_eq!(
        predicate("created > -1d"),
        P::Range(N::Created, Excluded(NOW - DAY), Unbounded)
    );
    assert_eq!(
        predicate("updated <= -2w"),
        P::Range(N::Updated, Unbounded, Included(NOW - 14 * DAY))
    );
    assert_eq!(
        predicate("created >= startOfDay(-1)"),
        P::Range(N::Created, Included(TODAY - DAY), Unbounded)
    );
    assert_eq!(
        predicate("created >= startOfDay(-1d)"),
        predicate("created >= startOfDay(-1)")
    );
    // 2026-01-31 at midnight UTC.
    let jan31 = 1_769_817_600_000;
    assert_eq!(
        predicate("due = 2026-01-31"),
        P::Or(vec![P::Range(N::Due, Included(jan31), Included(jan31))])
    );
    assert_eq!(
        predicate("due < '2026/01/31 10:30'"),
        P::Range(N::Due, Unbounded, Excluded(jan31 + 37_800_000))
    );
    assert_eq!(
        predicate("resolved != 2026-01-31"),
        P::And(vec![
            not(P::Or(vec![P::Range(
                N::Resolved,
                Included(jan31),
                Included(jan31)
            )])),
            not(P::Empty(N::Resolved)),
        ])
    );
}

#[test]
fn was_and_changed_ask_the_history() {
    let fake = Fake::new();
    let hits = || P::In(N::Id, HISTORY_HITS.to_vec());
    // Without a time restriction the current value counts as "was" too.
    assert_eq!(
        plan_with(&fake, "status was Open").predicate,
        P::Or(vec![hits(), P::In(N::Status, vec![1])])
    );
    assert_eq!(
        plan_with(&fake, "status was not in (Open, Done) before -1d").predicate,
        not(P::Or(vec![hits()]))
    );
    assert_eq!(
        plan_with(&fake, "assignee was alice by bob").predicate,
        P::Or(vec![hits()])
    );
    assert_eq!(
        plan_with(&fake, "status changed from Open to Done by alice after -1d").predicate,
        hits()
    );
    assert_eq!(
        plan_with(
            &fake,
            "priority changed during ('2026-01-31', '2026-02-01')"
        )
        .predicate,
        hits()
    );
    assert_eq!(
        plan_with(&fake, "fixVersion changed on -1d").predicate,
        hits()
    );
    let jan31 = 1_769_817_600_000;
    let calls = fake.history_calls.borrow();
    let expected = [
        (
            "status",
            Some(vec!["1".to_string()]),
            HistoryWindow::default(),
        ),
        (
            "status",
            Some(vec!["1".into(), "5".into()]),
            HistoryWindow {
                before: Some(NOW - DAY),
                ..Default::default()
            },
        ),
        (
            "assignee",
            Some(vec!["acc-alice".into()]),
            HistoryWindow {
                by: Some(vec![8]),
                ..Default::default()
            },
        ),
        (
            "status",
            None,
            HistoryWindow {
                after: Some(NOW - DAY),
                by: Some(vec![7]),
                from: Some(vec!["1".into()]),
                to: Some(vec!["5".into()]),
                ..Default::default()
            },
        ),
        (
            "priority",
            None,
            HistoryWindow {
                after: Some(jan31),
                before: Some(jan31 + DAY + 1),
                ..Default::default()
            },
        ),
        (
            "fixVersions",
            None,
            HistoryWindow {
                after: Some(TODAY - DAY),
                before: Some(TODAY),
                ..Default::default()
            },
        ),
    ];
    assert_eq!(calls.len(), expected.len());
    for (call, (field, values, window)) in calls.iter().zip(expected) {
        assert_eq!(call, &(field.to_string(), values, window));
    }
}

#[test]
fn order_by_several_keys() {
    let key = |field, rank: Option<Vec<(i64, i64)>>, descending| SortKey {
        field,
        rank: rank.map(|r| Arc::new(r.into_iter().collect::<HashMap<_, _>>())),
        descending,
    };
    let projects = Some(vec![(1, 0), (2, 1)]);
    let sort = plan("project = ABC order by priority desc, created, assignee asc, key desc").sort;
    assert_eq!(
        sort,
        vec![
            // DESC lists Highest first.
            key(
                N::Priority,
                Some(vec![(1, 4), (2, 3), (3, 2), (4, 1)]),
                true
            ),
            key(N::Created, None, false),
            key(N::Assignee, Some(vec![(8, 0), (7, 1)]), false),
            key(N::Project, projects.clone(), true),
            key(N::Num, None, true),
            // Ties are broken by key.
            key(N::Project, projects.clone(), false),
            key(N::Num, None, false),
        ]
    );
    // Jira's default order: newest key first.
    assert_eq!(
        plan("project = ABC").sort,
        vec![key(N::Project, projects, true), key(N::Num, None, true)]
    );
    let status = plan("order by status").sort;
    assert_eq!(
        status[0],
        key(N::Status, Some(vec![(1, 0), (3, 1), (5, 2)]), false)
    );
    assert_eq!(plan("").predicate, P::All);
}

#[test]
fn unknown_values_under_warn_and_none() {
    let warned = lenient(Validation::Warn, "status = Nope and project = QQQ");
    assert_eq!(
        warned.warnings,
        [
            "The value 'Nope' does not exist for the field 'status'.",
            "The value 'QQQ' does not exist for the field 'project'.",
        ]
    );
    assert_eq!(
        warned.predicate,
        P::And(vec![P::In(N::Status, vec![]), P::In(N::Project, vec![])])
    );
    let silent = lenient(Validation::None, "status = Nope");
    assert!(silent.warnings.is_empty());
    assert_eq!(silent.predicate, P::In(N::Status, vec![]));
}
