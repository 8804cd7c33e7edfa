//! Every JQL function the resolver evaluates, against the fake lookup.

use std::ops::Bound::{Excluded, Included, Unbounded};

use super::fake::*;
use crate::jql::plan::{NumField as N, Predicate as P};

#[test]
fn user_functions() {
    assert_eq!(
        predicate("assignee = currentUser()"),
        P::In(N::Assignee, vec![7])
    );
    assert_eq!(
        plan_with(&Fake::anonymous(), "reporter = currentUser()").predicate,
        P::In(N::Reporter, vec![]),
        "nobody is the current user of an anonymous search"
    );
    assert_eq!(
        predicate("assignee in membersOf(developers)"),
        P::In(N::Assignee, vec![7, 8])
    );
    assert_eq!(
        predicate("watcher = currentUser()"),
        P::In(N::Watcher, vec![7])
    );
}

#[test]
fn date_functions() {
    let from = |src: &str| match predicate(src) {
        P::Range(N::Created, Included(ms), Unbounded) => ms,
        other => panic!("{src}: {other:?}"),
    };
    // NOW is Wednesday 2026-03-18 15:30 UTC.
    assert_eq!(from("created >= now()"), NOW);
    assert_eq!(from("created >= currentLogin()"), NOW);
    assert_eq!(from("created >= startOfDay()"), TODAY);
    assert_eq!(from("created >= startOfDay(-1)"), TODAY - DAY);
    assert_eq!(from("created >= endOfDay()"), TODAY + DAY - 1);
    assert_eq!(from("created >= endOfDay('+1d')"), TODAY + 2 * DAY - 1);
    // Weeks start on Sunday (2026-03-15).
    assert_eq!(from("created >= startOfWeek()"), TODAY - 3 * DAY);
    assert_eq!(from("created >= startOfWeek(-1)"), TODAY - 10 * DAY);
    assert_eq!(from("created >= endOfWeek()"), TODAY + 4 * DAY - 1);
    assert_eq!(from("created >= startOfMonth()"), 1_772_323_200_000);
    assert_eq!(from("created >= endOfMonth()"), 1_775_001_599_999);
    // 2026-02-01: a month back, calendar-wise.
    assert_eq!(from("created >= startOfMonth(-1)"), 1_769_904_000_000);
    assert_eq!(from("created >= startOfYear()"), 1_767_225_600_000);
    assert_eq!(from("created >= endOfYear()"), 1_798_761_599_999);
    assert_eq!(
        predicate("due < endOfDay()"),
        P::Range(N::Due, Unbounded, Excluded(TODAY + DAY - 1))
    );
}

#[test]
fn dates_are_read_in_the_callers_zone() {
    let tokyo = Fake {
        time_zone: jiff::tz::TimeZone::get("Asia/Tokyo").expect("the bundled zone database"),
        ..Fake::new()
    };
    let berlin = Fake {
        time_zone: jiff::tz::TimeZone::get("Europe/Berlin").expect("the bundled zone database"),
        ..Fake::new()
    };
    let from = |lookup: &Fake, src: &str| match plan_with(lookup, src).predicate {
        P::Range(N::Created, Included(ms), Unbounded) => ms,
        other => panic!("{src}: {other:?}"),
    };
    let hour = 3_600_000;
    // NOW is 2026-03-19 00:30 in Tokyo (UTC+9): its day began at 15:00 UTC on the 18th.
    assert_eq!(from(&tokyo, "created >= startOfDay()"), TODAY + 15 * hour);
    assert_eq!(from(&tokyo, "created >= '2026-03-18'"), TODAY - 9 * hour);
    assert_eq!(
        from(&tokyo, "created >= '2026/03/18 09:00'"),
        TODAY,
        "a time of day is on the caller's clock too"
    );
    // Berlin is UTC+1 until 29 March 2026, UTC+2 after.
    assert_eq!(from(&berlin, "created >= startOfDay()"), TODAY - hour);
    assert_eq!(
        from(&berlin, "created >= startOfDay(14)"),
        TODAY + 14 * DAY - 2 * hour,
        "a day is a calendar day across the change to summer time"
    );
    assert_eq!(
        from(&berlin, "created >= startOfMonth(1)"),
        1_775_001_600_000 - 2 * hour,
        "1 April in Berlin"
    );
    // The week in Tokyo is already Thursday's: it began on Sunday the 15th, Tokyo time.
    assert_eq!(
        from(&tokyo, "created >= startOfWeek()"),
        TODAY - 3 * DAY - 9 * hour
    );
}

#[test]
fn issue_type_functions() {
    assert_eq!(
        predicate("type in standardIssueTypes()"),
        P::In(N::IssueType, vec![1, 2])
    );
    assert_eq!(
        predicate("issuetype in subTaskIssueTypes()"),
        P::In(N::IssueType, vec![3])
    );
}

#[test]
fn version_functions() {
    assert_eq!(
        predicate("fixVersion in releasedVersions()"),
        P::In(N::FixVersion, vec![30, 31])
    );
    assert_eq!(
        predicate("fixVersion in releasedVersions(ABC)"),
        P::In(N::FixVersion, vec![30, 31])
    );
    assert_eq!(
        predicate("fixVersion in releasedVersions(XYZ)"),
        P::In(N::FixVersion, vec![])
    );
    assert_eq!(
        predicate("affectedVersion in unreleasedVersions()"),
        P::In(N::AffectedVersion, vec![32, 33])
    );
    assert_eq!(
        predicate("fixVersion = latestReleasedVersion()"),
        P::In(N::FixVersion, vec![31])
    );
    // Archived versions are not "earliest unreleased".
    assert_eq!(
        predicate("fixVersion = earliestUnreleasedVersion(ABC)"),
        P::In(N::FixVersion, vec![33])
    );
}

#[test]
fn component_function() {
    assert_eq!(
        predicate("component in componentsLeadByUser()"),
        P::In(N::Component, vec![20])
    );
    assert_eq!(
        predicate("component in componentsLeadByUser(alice)"),
        P::In(N::Component, vec![20])
    );
    assert_eq!(
        predicate("component in componentsLeadByUser(bob)"),
        P::In(N::Component, vec![])
    );
}

#[test]
fn issue_functions() {
    assert_eq!(
        predicate("key in linkedIssues(ABC-1)"),
        P::In(N::Id, vec![101])
    );
    assert_eq!(
        predicate("key in linkedIssues(ABC-2, 'is blocked by')"),
        P::In(N::Id, vec![100])
    );
    assert_eq!(
        predicate("key in linkedIssues(ABC-1, 'is blocked by')"),
        P::In(N::Id, vec![])
    );
    assert_eq!(
        predicate("issue in linkedIssues(ABC-2, Blocks)"),
        P::In(N::Id, vec![100])
    );
    assert_eq!(predicate("key in watchedIssues()"), P::In(N::Id, vec![101]));
    assert_eq!(predicate("key in votedIssues()"), P::In(N::Id, vec![]));
    assert_eq!(
        plan_with(&Fake::anonymous(), "key in watchedIssues()").predicate,
        P::In(N::Id, vec![])
    );
    assert_eq!(
        predicate("key in updatedBy(alice)"),
        P::In(N::Id, vec![100])
    );
    // The fake hands the bounds back as ids: both are dates, the relative one resolved against now (ids come sorted).
    assert_eq!(
        predicate("key in updatedBy(alice, -1d, 2026-01-31)"),
        P::In(N::Id, vec![100, 1_769_817_600_000, NOW - DAY])
    );
    assert_eq!(
        predicate("parent in linkedIssues(ABC-1)"),
        P::In(N::Parent, vec![101])
    );
}
