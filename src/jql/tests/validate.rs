//! Validation against the field catalogue.

use super::*;

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
