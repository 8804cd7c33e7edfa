//! `POST backlog/{boardId}/issue` (moveIssuesToBacklogForBoard, which jira.js's
//! `AgileClient.backlog.moveIssuesToBacklogForBoard` calls): issues leave their open
//! sprints for that board's backlog, ranked where the body says.

use serde_json::json;

use crate::agile::{AGILE, keys, project_board, sprint};
use crate::common::*;

#[tokio::test]
async fn issues_move_to_a_boards_backlog_and_are_ranked() {
    let admin = Client::admin();
    let key = project("AGBL").await;
    let board = project_board(&admin, &key).await;
    let a = issue(&key, "stays in the backlog").await;
    let b = issue(&key, "planned, then not").await;
    let c = issue(&key, "planned").await;
    let s = sprint(&admin, board, "Sprint 1").await;
    admin
        .post(
            &format!("{AGILE}/sprint/{s}/issue"),
            json!({"issues": [b, c]}),
        )
        .await
        .expect(204);
    admin
        .post(
            &format!("{AGILE}/backlog/{board}/issue"),
            json!({"issues": [c], "rankBeforeIssue": a}),
        )
        .await
        .expect(204);
    let backlog = admin
        .get(&format!("{AGILE}/board/{board}/backlog?fields=summary"))
        .await
        .expect(200);
    assert_eq!(keys(&backlog), [c.clone(), a.clone()], "moved and ranked");
    let left = admin
        .get(&format!("{AGILE}/sprint/{s}/issue?fields=summary"))
        .await
        .expect(200);
    assert_eq!(keys(&left), [b.as_str()]);

    // Without a rank the issue just leaves its sprint.
    admin
        .post(
            &format!("{AGILE}/backlog/{board}/issue"),
            json!({"issues": [b]}),
        )
        .await
        .expect(204);
    let left = admin
        .get(&format!("{AGILE}/sprint/{s}/issue?fields=summary"))
        .await
        .expect(200);
    assert!(keys(&left).is_empty(), "{}", left.text);

    // An unknown board is a 404 in Jira's shape; an empty body a 400.
    let e = admin
        .post(
            &format!("{AGILE}/backlog/987654/issue"),
            json!({"issues": [a]}),
        )
        .await
        .expect(404);
    assert!(!e.jira_error().is_empty());
    admin
        .post(&format!("{AGILE}/backlog/{board}/issue"), json!({}))
        .await
        .expect(400);
}
