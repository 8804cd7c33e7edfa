//! Board and sprint properties over the agile API: set (201, then 200), get, keys,
//! delete, and who may write them.

use serde_json::json;

use crate::agile::{AGILE, project_board, sprint};
use crate::common::*;

#[tokio::test]
async fn board_and_sprint_properties() {
    let admin = Client::admin();
    let key = project("AGQ").await;
    let board = project_board(&admin, &key).await;
    let s = sprint(&admin, board, "Props").await;
    for base in [
        format!("{AGILE}/board/{board}/properties"),
        format!("{AGILE}/sprint/{s}/properties"),
    ] {
        admin
            .put(&format!("{base}/colour"), json!({"v": 1}))
            .await
            .expect(201);
        admin
            .put(&format!("{base}/colour"), json!({"v": 2}))
            .await
            .expect(200);
        let got = admin.get(&format!("{base}/colour")).await.expect(200);
        assert_eq!(got.body, json!({"key": "colour", "value": {"v": 2}}));
        let keys = admin.get(&base).await.expect(200);
        assert_eq!(keys.body["keys"][0]["key"], "colour");
        let (u, pw) = user("agqm").await;
        let member = Client::basic(&u, &pw);
        member.get(&format!("{base}/colour")).await.expect(200);
        member
            .put(&format!("{base}/colour"), json!(3))
            .await
            .expect(403);
        admin.delete(&format!("{base}/colour")).await.expect(204);
        let e = admin.get(&format!("{base}/colour")).await.expect(404);
        e.jira_error();
        admin.delete(&format!("{base}/colour")).await.expect(404);
    }
}
