//! `ORDER BY`: sort keys, with ranks for fields ordered by something other than their
//! id (priority order, key order, user order).

use std::collections::HashMap;
use std::sync::Arc;

use super::{Kind, Lookup, Out, Resolver};
use crate::domain::{CustomFieldKind, Project};
use crate::jql::plan::{NumField, SortKey};
use crate::jql::{Direction, Query};

impl<L: Lookup> Resolver<'_, L> {
    pub(super) fn sort(&mut self, q: &Query) -> Out<Vec<SortKey>, L> {
        let mut keys = Vec::new();
        for o in &q.order_by {
            let descending = o.direction == Some(Direction::Desc);
            let Some(kind) = self.kind(&o.field) else {
                continue;
            };
            let key = |field: NumField, rank: Option<Arc<HashMap<i64, i64>>>| SortKey {
                field,
                rank,
                descending,
            };
            match kind {
                Kind::Date(nf) | Kind::Duration(nf) => keys.push(key(nf, None)),
                Kind::Key => {
                    keys.push(key(NumField::Project, Some(self.project_rank())));
                    keys.push(key(NumField::Num, None));
                }
                Kind::Project => keys.push(key(NumField::Project, Some(self.project_rank()))),
                Kind::Priority => {
                    // DESC lists Highest first, as in Jira.
                    let n = self.lookup.priorities().len() as i64;
                    let rank = self
                        .lookup
                        .priorities()
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p.id, n - i as i64))
                        .collect();
                    keys.push(key(NumField::Priority, Some(Arc::new(rank))));
                }
                Kind::Status => {
                    let rank = self
                        .lookup
                        .statuses()
                        .iter()
                        .enumerate()
                        .map(|(i, s)| (s.id, i as i64))
                        .collect();
                    keys.push(key(NumField::Status, Some(Arc::new(rank))));
                }
                Kind::IssueType => {
                    let rank = self
                        .lookup
                        .issue_types()
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.id, i as i64))
                        .collect();
                    keys.push(key(NumField::IssueType, Some(Arc::new(rank))));
                }
                Kind::Resolution => {
                    let rank = self
                        .lookup
                        .resolutions()
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (t.id, i as i64))
                        .collect();
                    keys.push(key(NumField::Resolution, Some(Arc::new(rank))));
                }
                Kind::User(nf) => keys.push(key(nf, Some(self.user_rank()?))),
                Kind::Custom(id) => {
                    match self.custom_field(id).map(|f| (f.kind, f.name.as_str())) {
                        Some((CustomFieldKind::Rank, _)) => keys.push(key(NumField::Rank, None)),
                        Some((CustomFieldKind::Sprint, _)) => {
                            keys.push(key(NumField::Sprint, None))
                        }
                        Some((CustomFieldKind::Number, "Story Points")) => {
                            keys.push(key(NumField::StoryPoints, None))
                        }
                        _ => self.error(format!("Field '{}' does not support sorting.", o.field)),
                    }
                }
                _ => self.error(format!("Field '{}' does not support sorting.", o.field)),
            }
        }
        if q.order_by.is_empty() {
            // Jira's default order: newest key first.
            keys.push(SortKey {
                field: NumField::Project,
                rank: Some(self.project_rank()),
                descending: true,
            });
            keys.push(SortKey {
                field: NumField::Num,
                rank: None,
                descending: true,
            });
        } else {
            // Ties are broken by key.
            keys.push(SortKey {
                field: NumField::Project,
                rank: Some(self.project_rank()),
                descending: false,
            });
            keys.push(SortKey {
                field: NumField::Num,
                rank: None,
                descending: false,
            });
        }
        Ok(keys)
    }

    pub(super) fn project_rank(&self) -> Arc<HashMap<i64, i64>> {
        let mut keys: Vec<&Project> = self.lookup.projects().iter().collect();
        keys.sort_by(|a, b| a.key.cmp(&b.key));
        Arc::new(
            keys.iter()
                .enumerate()
                .map(|(i, p)| (p.id.0, i as i64))
                .collect(),
        )
    }

    pub(super) fn user_rank(&self) -> Out<Arc<HashMap<i64, i64>>, L> {
        let users = self.lookup.users_in_order()?;
        Ok(Arc::new(
            users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.0, i as i64))
                .collect(),
        ))
    }
}
