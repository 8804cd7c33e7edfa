//! Forward-only schema migrations from `migrations/`, embedded at compile time.

use rusqlite::Connection;

use super::{StoreError, StoreResult};

mod embedded {
    refinery::embed_migrations!("migrations");
}

pub(super) fn apply(conn: &mut Connection) -> StoreResult<()> {
    embedded::migrations::runner().run(conn).map_err(|e| {
        tracing::error!(error = %e, "migration failed");
        StoreError::Closed
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// V11 and V12 rebuild tables that hold data; an upgraded database keeps every row
    /// and the cascades still reach them.
    #[test]
    fn rebuilt_tables_keep_their_rows_on_upgrade() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(10))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, account_id, username, email, display_name, created)
                 VALUES (900, 'acc900', 'u900', 'u900@example.com', 'U', 0);
             INSERT INTO projects (id, key, name, lead_id, permission_scheme_id, workflow_id, created)
                 VALUES (900, 'MIG', 'Mig', 900, 0, 1, 0);
             INSERT INTO issues (id, project_id, num, key, issue_type_id, status_id, summary, created, updated, status_changed)
                 SELECT 900, 900, 1, 'MIG-1', (SELECT min(id) FROM issue_types), (SELECT min(id) FROM statuses), 's', 0, 0, 0;
             INSERT INTO issues (id, project_id, num, key, issue_type_id, status_id, summary, created, updated, status_changed, parent_id)
                 SELECT 901, 900, 2, 'MIG-2', (SELECT min(id) FROM issue_types), (SELECT min(id) FROM statuses), 's', 0, 0, 0, 900;
             INSERT INTO components (id, project_id, name) VALUES (900, 900, 'C');
             INSERT INTO versions (id, project_id, name, sequence) VALUES (900, 900, '1.0', 1);
             INSERT INTO issue_labels VALUES (900, 'b'), (900, 'a');
             INSERT INTO issue_components VALUES (900, 900);
             INSERT INTO issue_versions VALUES (900, 900, 'fix');
             INSERT INTO changelog_groups (id, issue_id, author_id, created) VALUES (900, 900, 900, 0);
             INSERT INTO changelog_items VALUES (900, 0, 'status', 'jira', 'status', '1', 'A', '2', 'B'),
                                                (900, 1, 'labels', 'jira', 'labels', NULL, NULL, NULL, 'a b');",
        )
        .unwrap();
        apply(&mut conn).unwrap();

        let rows = |sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            rows("SELECT label FROM issue_labels WHERE issue_id = 900 ORDER BY label"),
            ["a", "b"]
        );
        assert_eq!(
            rows("SELECT component_id || '/' || issue_id FROM issue_components"),
            ["900/900"]
        );
        assert_eq!(rows("SELECT kind FROM issue_versions"), ["fix"]);
        assert_eq!(
            rows("SELECT field FROM changelog_items WHERE group_id = 900 ORDER BY seq"),
            ["status", "labels"]
        );
        assert!(rows("PRAGMA foreign_key_check").is_empty());

        // Deleting the parent still cascades to its sub-task (through the partial
        // index) and to every rebuilt table.
        conn.execute("DELETE FROM issues WHERE id = 900", [])
            .unwrap();
        let count = |table: &str| -> i64 {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count("issues WHERE id IN (900, 901)"), 0);
        for table in [
            "issue_labels",
            "issue_components",
            "issue_versions",
            "changelog_items",
        ] {
            assert_eq!(count(table), 0, "{table}");
        }
    }

    /// V18 seeds the Jira Software fields and ranks the issues already there in id
    /// order, below the ranks new issues get.
    #[test]
    fn agile_migration_ranks_existing_issues_in_id_order() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(17))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, account_id, username, email, display_name, created)
                 VALUES (900, 'acc900', 'u900', 'u900@example.com', 'U', 0);
             INSERT INTO projects (id, key, name, lead_id, permission_scheme_id, workflow_id, created)
                 VALUES (900, 'MIG', 'Mig', 900, 0, 1, 0);
             INSERT INTO issues (id, project_id, num, key, issue_type_id, status_id, summary, created, updated, status_changed)
                 SELECT n, 900, n - 900, 'MIG-' || (n - 900), (SELECT min(id) FROM issue_types), (SELECT min(id) FROM statuses), 's', 0, 0, 0
                 FROM (SELECT 902 AS n UNION SELECT 901 UNION SELECT 910);",
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT v.issue_id, json_extract(v.value, '$.v') FROM issue_field_values v
                 JOIN custom_fields f ON f.id = v.field_id WHERE f.kind = 'gh-lexo-rank'
                 ORDER BY json_extract(v.value, '$.v')",
            )
            .unwrap();
        let ranked: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [901, 902, 910]);
        let new = crate::domain::agile::rank::after(Some(&ranked[2].1));
        assert!(new > ranked[2].1, "{new}");
        let names: Vec<String> = conn
            .prepare("SELECT name FROM custom_fields ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            names,
            [
                "Sprint",
                "Epic Link",
                "Epic Name",
                "Epic Status",
                "Epic Colour",
                "Rank",
                "Story Points"
            ]
        );
    }
}
