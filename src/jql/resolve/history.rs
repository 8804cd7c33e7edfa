//! History clauses: `WAS`, `WAS IN`, `WAS NOT`, `WAS NOT IN` and `CHANGED`, with their
//! predicates (`BY`, `AFTER`, `BEFORE`, `ON`, `DURING`, `FROM`, `TO`).

use super::{Kind, Lookup, Out, Resolver};
use crate::domain::UserId;
use crate::jql::plan::{HistoryWindow, NumField, Predicate};
use crate::jql::{Field, HistoryPredicate, Operand, Operator, PredicateKind};

impl<L: Lookup> Resolver<'_, L> {
    /// `WAS`, `WAS IN`, `WAS NOT`, `WAS NOT IN` and `CHANGED`, answered from the changelog.
    pub(super) fn history(
        &mut self,
        field: &Field,
        kind: Kind,
        op: Operator,
        value: &Operand,
        predicates: &[HistoryPredicate],
    ) -> Out<Predicate, L> {
        let fname = field.to_string();
        let (field_id, nf) = match kind {
            Kind::Status => ("status", NumField::Status),
            Kind::Priority => ("priority", NumField::Priority),
            Kind::Resolution => ("resolution", NumField::Resolution),
            Kind::IssueType => ("issuetype", NumField::IssueType),
            Kind::User(NumField::Assignee) => ("assignee", NumField::Assignee),
            Kind::User(NumField::Reporter) => ("reporter", NumField::Reporter),
            Kind::Version(NumField::FixVersion) => ("fixVersions", NumField::FixVersion),
            _ => {
                self.error(format!(
                    "History searches are not supported by the '{fname}' field."
                ));
                return Ok(Predicate::Nothing);
            }
        };
        let mut window = HistoryWindow::default();
        for p in predicates {
            match p.kind {
                PredicateKind::By => {
                    let ids = self.user_ids(&fname, &p.value)?;
                    window.by = Some(ids);
                }
                PredicateKind::After => window.after = self.date_value(&fname, &p.value),
                PredicateKind::Before => window.before = self.date_value(&fname, &p.value),
                PredicateKind::On => {
                    if let Some(ms) = self.date_value(&fname, &p.value) {
                        let day = 86_400_000;
                        window.after = Some(ms - ms.rem_euclid(day));
                        window.before = Some(ms - ms.rem_euclid(day) + day);
                    }
                }
                PredicateKind::During => {
                    if let Operand::List(items) = &p.value
                        && items.len() == 2
                    {
                        window.after = self.date_value(&fname, &items[0]);
                        window.before = self.date_value(&fname, &items[1]).map(|b| b + 1);
                    }
                }
                PredicateKind::From | PredicateKind::To => {
                    let values = self.history_values(&fname, kind, &p.value)?;
                    if p.kind == PredicateKind::From {
                        window.from = Some(values);
                    } else {
                        window.to = Some(values);
                    }
                }
            }
        }
        if op == Operator::Changed {
            let ids = self.lookup.changed(field_id, &window)?;
            return Ok(Predicate::In(NumField::Id, ids));
        }
        let values = self.history_values(&fname, kind, value)?;
        let ids = self.lookup.was(field_id, &values, &window)?;
        let mut matched = vec![Predicate::In(NumField::Id, ids)];
        // With no time restriction the current value counts as "was" too.
        if window.after.is_none() && window.before.is_none() && window.by.is_none() {
            let current: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
            matched.push(Predicate::In(nf, current));
        }
        let was = Predicate::Or(matched);
        Ok(if matches!(op, Operator::WasNot | Operator::WasNotIn) {
            Predicate::Not(Box::new(was))
        } else {
            was
        })
    }

    /// Values as the changelog stores them: ids, and account ids for users.
    pub(super) fn history_values(
        &mut self,
        fname: &str,
        kind: Kind,
        value: &Operand,
    ) -> Out<Vec<String>, L> {
        let (ids, _) = match kind {
            Kind::Status => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.statuses()
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::Priority => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.priorities()
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::Resolution => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.resolutions()
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::IssueType => self.ids_and_empty(value, &mut |r, v| {
                Ok(r.catalog_ids(fname, v, |c| {
                    c.issue_types()
                        .iter()
                        .map(|s| (s.id, s.name.clone()))
                        .collect()
                }))
            })?,
            Kind::Version(_) => self.ids_and_empty(value, &mut |r, v| r.version_ids(fname, v))?,
            Kind::User(_) => {
                let (ids, _) = self.ids_and_empty(value, &mut |r, v| r.user_ids(fname, v))?;
                let users: Vec<UserId> = ids.iter().map(|i| UserId(*i)).collect();
                return self.lookup.account_ids(&users);
            }
            _ => (Vec::new(), false),
        };
        Ok(ids.into_iter().map(|i| i.to_string()).collect())
    }
}
