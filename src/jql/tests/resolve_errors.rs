//! What resolution refuses, in the words the server answers with (these messages reach
//! clients as `errorMessages`).

use super::fake::*;

#[test]
fn unknown_fields() {
    assert_eq!(
        errors("nosuch = 1"),
        ["Field 'nosuch' does not exist or you do not have permission to view it."]
    );
    assert_eq!(
        errors("cf[99999] = 1"),
        ["Field 'cf[99999]' does not exist or you do not have permission to view it."]
    );
    assert_eq!(
        errors("customfield_99999 = 1"),
        ["Field 'customfield_99999' does not exist or you do not have permission to view it."]
    );
    assert_eq!(
        errors("status = Open order by nosuch"),
        ["Field 'nosuch' does not exist or you do not have permission to view it."]
    );
}

#[test]
fn unknown_values() {
    assert_eq!(
        errors("status = Nope"),
        ["The value 'Nope' does not exist for the field 'status'."]
    );
    assert_eq!(
        errors("project = QQQ"),
        ["The value 'QQQ' does not exist for the field 'project'."]
    );
    assert_eq!(
        errors("assignee = carol"),
        ["The value 'carol' does not exist for the field 'assignee'."]
    );
    assert_eq!(
        errors("Team = Green"),
        ["The value 'Green' does not exist for the field 'Team'."]
    );
    assert_eq!(
        errors("fixVersion = 9.9"),
        ["The value '9.9' does not exist for the field 'fixVersion'."]
    );
    assert_eq!(
        errors("issueLinkType = duplicates"),
        ["The value 'duplicates' does not exist for the field 'issueLinkType'."]
    );
    assert_eq!(
        errors("key = ABC-99"),
        ["An issue with key 'ABC-99' does not exist for field 'key'."]
    );
    // An issue in a project the caller cannot browse does not exist for them.
    assert_eq!(
        errors("parent = ZZZ-9"),
        ["An issue with key 'ZZZ-9' does not exist for field 'parent'."]
    );
    // Every problem is reported at once, each once.
    assert_eq!(
        errors("status = Nope or status = Nope or priority = Urgent"),
        [
            "The value 'Nope' does not exist for the field 'status'.",
            "The value 'Urgent' does not exist for the field 'priority'.",
        ]
    );
}

#[test]
fn wrong_operators() {
    assert_eq!(
        errors("status ~ Open"),
        ["The operator '~' is not supported by the 'status' field."]
    );
    assert_eq!(
        errors("summary = x"),
        ["The operator '=' is not supported by the 'summary' field."]
    );
    assert_eq!(
        errors("labels > x"),
        ["The operator '>' is not supported by the 'labels' field."]
    );
    assert_eq!(
        errors("summary ~ now()"),
        ["The operator '~' does not support the list or function value for field 'summary'."]
    );
    assert_eq!(
        errors("summary was x"),
        ["History searches are not supported by the 'summary' field."]
    );
    assert_eq!(
        errors("order by summary"),
        ["Field 'summary' does not support sorting."]
    );
}

#[test]
fn bad_values() {
    assert_eq!(
        errors("created > yesterday"),
        [
            "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."
        ]
    );
    assert_eq!(
        errors("votes > many"),
        ["The value '\"many\"' is not a valid number for field 'votes'."]
    );
    assert_eq!(
        errors("timespent > lots"),
        ["The value '\"lots\"' is not a valid duration for field 'timespent'."]
    );
    assert_eq!(
        errors("worklogAuthor = alice"),
        ["Searching by 'worklogAuthor' is not supported yet: Tessera does not track worklogs yet."]
    );
}

#[test]
fn bad_functions() {
    assert_eq!(
        errors("assignee = nobody()"),
        ["Unable to find JQL function 'nobody()'."]
    );
    assert_eq!(
        errors("created > soon()"),
        ["Unable to find JQL function 'soon()'."]
    );
    assert_eq!(
        errors("assignee in membersOf(nobody)"),
        [
            "Function 'membersOf' can not generate a list of usernames for group 'nobody'; the group does not exist."
        ]
    );
    assert_eq!(
        errors("key in linkedIssues(ABC-99)"),
        ["Issue 'ABC-99' could not be found in function 'linkedIssues'."]
    );
    assert_eq!(
        errors("key in linkedIssues()"),
        ["Function 'linkedIssues' expects an issue key."]
    );
    assert_eq!(
        errors("key in updatedBy(carol)"),
        ["User 'carol' could not be found in function 'updatedBy'."]
    );
    assert_eq!(
        errors("key in issueHistory()"),
        [
            "Function 'issueHistory' is not supported: Tessera does not record which issues you viewed."
        ]
    );
}
