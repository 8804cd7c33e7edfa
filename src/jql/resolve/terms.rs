//! Terminal clauses by field kind: keys, text, priorities, labels, dates, durations,
//! counts and custom fields.

use std::ops::Bound;

use super::{Lookup, Out, Resolver, bounds, value_text};
use crate::domain::CustomFieldKind;
use crate::jql::plan::{NumField, Predicate, TextField, TextMatch};
use crate::jql::{Field, Operand, Operator};

impl<L: Lookup> Resolver<'_, L> {
    /// A count field: `= != < <= > >=` with a whole number.
    pub(super) fn count(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
    ) -> Predicate {
        let n = match value {
            Operand::Number(n) => Some(*n),
            Operand::Value(s, _) => s.trim().parse().ok(),
            _ => None,
        };
        let Some(n) = n else {
            self.error(format!(
                "The value '{}' is not a valid number for field '{field}'.",
                value.display()
            ));
            return Predicate::Nothing;
        };
        match op {
            Operator::Equals => Predicate::In(nf, vec![n]),
            Operator::NotEquals => Predicate::Not(Box::new(Predicate::In(nf, vec![n]))),
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let (lo, hi) = bounds(op, n);
                Predicate::Range(nf, lo, hi)
            }
            _ => self.unsupported_operator(op, field),
        }
    }

    /// Sprint ids from numbers, sprint names and the sprint functions.
    fn sprint_ids(&mut self, field: &str, v: &Operand) -> Out<Vec<i64>, L> {
        use crate::domain::agile::SprintState as S;
        if let Operand::Function { name, .. } = v {
            let states: &[S] = match name.to_lowercase().as_str() {
                "opensprints" => &[S::Active, S::Future],
                "closedsprints" => &[S::Closed],
                "futuresprints" => &[S::Future],
                _ => {
                    self.error(format!(
                        "The function '{name}' is not supported by the '{field}' field."
                    ));
                    return Ok(Vec::new());
                }
            };
            return self.lookup.sprints_in(states);
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        if let Ok(n) = text.trim().parse::<i64>() {
            return Ok(vec![n]);
        }
        let ids = self.lookup.sprints_named(&text)?;
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        Ok(ids)
    }

    /// Story Points: compared as numbers, in thousandths as the index holds them.
    fn story_points(&mut self, field: &Field, op: Operator, value: &Operand) -> Predicate {
        let nf = NumField::StoryPoints;
        match (op, value) {
            (Operator::Is, Operand::Empty) => return Predicate::Empty(nf),
            (Operator::IsNot, Operand::Empty) => {
                return Predicate::Not(Box::new(Predicate::Empty(nf)));
            }
            _ => {}
        }
        let items: Vec<&Operand> = match value {
            Operand::List(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut ns = Vec::new();
        for item in items {
            match value_text(item).and_then(|s| s.trim().parse::<f64>().ok()) {
                Some(x) => ns.push((x * 1000.0).round() as i64),
                None => {
                    self.error(format!(
                        "The value '{}' is not a valid number for field '{field}'.",
                        item.display()
                    ));
                    return Predicate::Nothing;
                }
            }
        }
        match op {
            Operator::Equals | Operator::In => Predicate::In(nf, ns),
            Operator::NotEquals | Operator::NotIn => Predicate::And(vec![
                Predicate::Not(Box::new(Predicate::In(nf, ns))),
                Predicate::Not(Box::new(Predicate::Empty(nf))),
            ]),
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let (lo, hi) = bounds(op, ns.first().copied().unwrap_or_default());
                Predicate::Range(nf, lo, hi)
            }
            _ => self.unsupported_operator(op, field),
        }
    }

    /// `statusCategory`: by key (`done`), name or id.
    pub(super) fn status_category(
        &mut self,
        field: &Field,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let fname = field.to_string();
        let name = fname;
        self.equality(field, NumField::StatusCategory, op, value, &mut |r, v| {
            let by_key: Vec<(i64, String)> = r
                .lookup
                .status_categories()
                .iter()
                .map(|c| (c.id, c.key.clone()))
                .collect();
            if let Some(text) = value_text(v)
                && let Some((id, _)) = by_key.iter().find(|(_, k)| k.eq_ignore_ascii_case(&text))
            {
                return Ok(vec![*id]);
            }
            Ok(r.catalog_ids(&name, v, |c| {
                c.status_categories()
                    .iter()
                    .map(|s| (s.id, s.name.clone()))
                    .collect()
            }))
        })
    }

    /// `resolution`, where `Unresolved` means EMPTY.
    pub(super) fn resolution(
        &mut self,
        field: &Field,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let fname = field.to_string();
        let name = fname;
        // "Unresolved" is Jira's name for an empty resolution.
        let unresolved =
            |v: &Operand| matches!(value_text(v), Some(s) if s.eq_ignore_ascii_case("unresolved"));
        let rewritten = match value {
            v if unresolved(v) => Operand::Empty,
            Operand::List(items) => Operand::List(
                items
                    .iter()
                    .map(|i| {
                        if unresolved(i) {
                            Operand::Empty
                        } else {
                            i.clone()
                        }
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        self.equality(field, NumField::Resolution, op, &rewritten, &mut |r, v| {
            Ok(r.catalog_ids(&name, v, |c| {
                c.resolutions()
                    .iter()
                    .map(|s| (s.id, s.name.clone()))
                    .collect()
            }))
        })
    }

    pub(super) fn key(
        &mut self,
        field: &Field,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let fname = field.to_string();
        match op {
            Operator::Equals | Operator::In | Operator::NotEquals | Operator::NotIn => {
                let (ids, _) = self.ids_and_empty(value, &mut |r, v| r.issue_ids(&fname, v))?;
                let f = Predicate::In(NumField::Id, ids);
                Ok(if matches!(op, Operator::NotEquals | Operator::NotIn) {
                    Predicate::Not(Box::new(f))
                } else {
                    f
                })
            }
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let Some(text) = value_text(value) else {
                    return Ok(self.unsupported_operator(op, field));
                };
                let Some(issue) = self.lookup.issue(&text)? else {
                    self.error(format!(
                        "An issue with key '{text}' does not exist for field '{fname}'."
                    ));
                    return Ok(Predicate::Nothing);
                };
                let num: i64 = issue
                    .key
                    .rsplit('-')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let (lo, hi) = bounds(op, num);
                Ok(Predicate::And(vec![
                    Predicate::In(NumField::Project, vec![issue.project_id.0]),
                    Predicate::Range(NumField::Num, lo, hi),
                ]))
            }
            Operator::Is | Operator::IsNot => Ok(self.is_needs_empty(field, op)),
            _ => Ok(self.unsupported_operator(op, field)),
        }
    }

    pub(super) fn text(
        &mut self,
        field: &Field,
        fields: Vec<TextField>,
        op: Operator,
        value: &Operand,
    ) -> Predicate {
        match (op, value) {
            (Operator::Is, Operand::Empty) if fields.len() == 1 => Predicate::TextEmpty(fields[0]),
            (Operator::IsNot, Operand::Empty) if fields.len() == 1 => {
                Predicate::Not(Box::new(Predicate::TextEmpty(fields[0])))
            }
            (Operator::Like | Operator::NotLike, Operand::Value(_, _) | Operand::Number(_)) => {
                let m = match value {
                    Operand::Number(n) => TextMatch::Words(n.to_string()),
                    _ => text_match(&value_text(value).unwrap_or_default()),
                };
                if op == Operator::Like {
                    return Predicate::Text(fields, m);
                }
                // Jira: !~ never matches an issue with the field empty. `text` spans
                // several fields, the summary among them, which is never empty.
                let single = (fields.len() == 1).then(|| fields[0]);
                let not = Predicate::Not(Box::new(Predicate::Text(fields, m)));
                match single {
                    Some(t) => {
                        Predicate::And(vec![not, Predicate::Not(Box::new(Predicate::TextEmpty(t)))])
                    }
                    None => not,
                }
            }
            (Operator::Like | Operator::NotLike, _) => {
                self.error(format!("The operator '{}' does not support the list or function value for field '{field}'.", self.written(op).as_jql()));
                Predicate::Nothing
            }
            _ => self.unsupported_operator(op, field),
        }
    }

    pub(super) fn priority(
        &mut self,
        field: &Field,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let fname = field.to_string();
        match op {
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => {
                let ids = self.catalog_ids(&fname, value, |c| {
                    c.priorities()
                        .iter()
                        .map(|p| (p.id, p.name.clone()))
                        .collect()
                });
                let Some(target) = ids
                    .first()
                    .and_then(|id| self.lookup.priorities().iter().position(|p| p.id == *id))
                else {
                    return Ok(Predicate::Nothing);
                };
                // Priorities are listed highest first: "greater" means earlier in the list.
                let picked: Vec<i64> = self
                    .lookup
                    .priorities()
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| match op {
                        Operator::GreaterThan => *i < target,
                        Operator::GreaterThanEquals => *i <= target,
                        Operator::LessThan => *i > target,
                        _ => *i >= target,
                    })
                    .map(|(_, p)| p.id)
                    .collect();
                Ok(Predicate::In(NumField::Priority, picked))
            }
            _ => self.equality(field, NumField::Priority, op, value, &mut |r, v| {
                Ok(r.catalog_ids(&fname, v, |c| {
                    c.priorities()
                        .iter()
                        .map(|p| (p.id, p.name.clone()))
                        .collect()
                }))
            }),
        }
    }

    pub(super) fn labels(
        &mut self,
        field: &Field,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let items: Vec<Operand> = match value {
            Operand::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut labels = Vec::new();
        let mut empty = false;
        for i in &items {
            match i {
                Operand::Empty => empty = true,
                Operand::Function { name, .. } => self.function_error(name),
                other => labels.extend(value_text(other)),
            }
        }
        Ok(match op {
            Operator::Is if matches!(value, Operand::Empty) => Predicate::LabelsEmpty,
            Operator::IsNot if matches!(value, Operand::Empty) => {
                Predicate::Not(Box::new(Predicate::LabelsEmpty))
            }
            Operator::Is | Operator::IsNot => self.is_needs_empty(field, op),
            Operator::Equals | Operator::In => {
                let f = Predicate::LabelIn(labels);
                if empty {
                    Predicate::Or(vec![f, Predicate::LabelsEmpty])
                } else {
                    f
                }
            }
            Operator::NotEquals | Operator::NotIn => Predicate::And(vec![
                Predicate::Not(Box::new(Predicate::LabelIn(labels))),
                Predicate::Not(Box::new(Predicate::LabelsEmpty)),
            ]),
            _ => self.unsupported_operator(op, field),
        })
    }

    pub(super) fn date(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let fname = field.to_string();
        Ok(match op {
            Operator::Is | Operator::IsNot => match value {
                Operand::Empty if op == Operator::Is => Predicate::Empty(nf),
                Operand::Empty => Predicate::Not(Box::new(Predicate::Empty(nf))),
                _ => self.is_needs_empty(field, op),
            },
            Operator::Equals | Operator::NotEquals | Operator::In | Operator::NotIn => {
                let items: Vec<&Operand> = match value {
                    Operand::List(items) => items.iter().collect(),
                    other => vec![other],
                };
                let mut parts = Vec::new();
                let mut empty = false;
                for i in items {
                    if matches!(i, Operand::Empty) {
                        empty = true;
                    } else if let Some(ms) = self.date_value(&fname, i) {
                        parts.push(Predicate::Range(
                            nf,
                            Bound::Included(ms),
                            Bound::Included(ms),
                        ));
                    }
                }
                if empty {
                    parts.push(Predicate::Empty(nf));
                }
                let any = Predicate::Or(parts);
                if matches!(op, Operator::NotEquals | Operator::NotIn) {
                    Predicate::And(vec![
                        Predicate::Not(Box::new(any)),
                        Predicate::Not(Box::new(Predicate::Empty(nf))),
                    ])
                } else {
                    any
                }
            }
            Operator::LessThan
            | Operator::GreaterThan
            | Operator::LessThanEquals
            | Operator::GreaterThanEquals => match self.date_value(&fname, value) {
                Some(ms) => {
                    let (lo, hi) = bounds(op, ms);
                    Predicate::Range(nf, lo, hi)
                }
                None => Predicate::Nothing,
            },
            _ => self.unsupported_operator(op, field),
        })
    }

    pub(super) fn duration(
        &mut self,
        field: &Field,
        nf: NumField,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let lookup = self.lookup;
        let secs = |v: &Operand| match v {
            Operand::Number(n) => Some(n * 60),
            Operand::Value(s, _) => lookup.duration_seconds(s),
            _ => None,
        };
        Ok(match op {
            Operator::Is | Operator::IsNot => match value {
                Operand::Empty if op == Operator::Is => Predicate::Empty(nf),
                Operand::Empty => Predicate::Not(Box::new(Predicate::Empty(nf))),
                _ => self.is_needs_empty(field, op),
            },
            _ => match secs(value) {
                None => {
                    self.error(format!(
                        "The value '{}' is not a valid duration for field '{field}'.",
                        value.display()
                    ));
                    Predicate::Nothing
                }
                Some(s) => match op {
                    Operator::Equals => Predicate::In(nf, vec![s]),
                    Operator::NotEquals => Predicate::And(vec![
                        Predicate::Not(Box::new(Predicate::In(nf, vec![s]))),
                        Predicate::Not(Box::new(Predicate::Empty(nf))),
                    ]),
                    Operator::LessThan
                    | Operator::GreaterThan
                    | Operator::LessThanEquals
                    | Operator::GreaterThanEquals => {
                        let (lo, hi) = bounds(op, s);
                        Predicate::Range(nf, lo, hi)
                    }
                    _ => self.unsupported_operator(op, field),
                },
            },
        })
    }

    pub(super) fn custom(
        &mut self,
        field: &Field,
        id: i64,
        op: Operator,
        value: &Operand,
    ) -> Out<Predicate, L> {
        let Some(cf) = self.custom_field(id).cloned() else {
            return Ok(Predicate::Nothing);
        };
        let fname = field.to_string();
        match cf.kind {
            // The Jira Software fields search their numeric index fields.
            CustomFieldKind::Sprint => {
                return self.equality(field, NumField::Sprint, op, value, &mut |r, v| {
                    r.sprint_ids(&fname, v)
                });
            }
            CustomFieldKind::EpicLink => {
                return self.equality(field, NumField::Parent, op, value, &mut |r, v| {
                    r.issue_ids(&fname, v)
                });
            }
            CustomFieldKind::Number if cf.name == "Story Points" => {
                return Ok(self.story_points(field, op, value));
            }
            _ => {}
        }
        if matches!(cf.kind, CustomFieldKind::Text | CustomFieldKind::Textarea)
            && matches!(op, Operator::Like | Operator::NotLike)
        {
            // Custom text is indexed together; match it there and check the field has a value.
            let base = self.text(field, vec![TextField::CustomText], op, value);
            return Ok(Predicate::And(vec![
                base,
                Predicate::Not(Box::new(Predicate::CustomEmpty(id))),
            ]));
        }
        let items: Vec<Operand> = match value {
            Operand::List(items) => items.clone(),
            other => vec![other.clone()],
        };
        let mut values = Vec::new();
        let mut empty = false;
        for item in &items {
            match item {
                Operand::Empty => empty = true,
                other => {
                    let canonical = match cf.kind {
                        CustomFieldKind::Select | CustomFieldKind::MultiSelect => {
                            let text = value_text(other).unwrap_or_default();
                            match cf.options.iter().find(|o| {
                                o.value.eq_ignore_ascii_case(&text) || o.id.to_string() == text
                            }) {
                                Some(o) => Some(o.id.to_string()),
                                None => {
                                    self.unknown_value(&fname, &text);
                                    None
                                }
                            }
                        }
                        CustomFieldKind::User => {
                            self.user_ids(&fname, other)?.first().map(|u| u.to_string())
                        }
                        CustomFieldKind::Text | CustomFieldKind::Textarea => {
                            value_text(other).map(|s| s.to_lowercase())
                        }
                        CustomFieldKind::Number => value_text(other)
                            .and_then(|s| s.parse::<f64>().ok())
                            .map(|n| n.to_string()),
                        _ => value_text(other),
                    };
                    values.extend(canonical);
                }
            }
        }
        Ok(match op {
            Operator::Is if matches!(value, Operand::Empty) => Predicate::CustomEmpty(id),
            Operator::IsNot if matches!(value, Operand::Empty) => {
                Predicate::Not(Box::new(Predicate::CustomEmpty(id)))
            }
            Operator::Is | Operator::IsNot => self.is_needs_empty(field, op),
            Operator::Equals | Operator::In => {
                let f = Predicate::CustomIn(id, values);
                if empty {
                    Predicate::Or(vec![f, Predicate::CustomEmpty(id)])
                } else {
                    f
                }
            }
            Operator::NotEquals | Operator::NotIn => Predicate::And(vec![
                Predicate::Not(Box::new(Predicate::CustomIn(id, values))),
                Predicate::Not(Box::new(Predicate::CustomEmpty(id))),
            ]),
            _ => self.unsupported_operator(op, field),
        })
    }
}

/// Jira's `~` value: `"a b"` inside the value is a phrase, `abc*` a prefix, `?` a
/// one-character wildcard, anything else words that must all occur.
fn text_match(s: &str) -> TextMatch {
    let t = s.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        return TextMatch::Phrase(t[1..t.len() - 1].to_string());
    }
    if !t.contains(char::is_whitespace) {
        if t.ends_with('*') && !t[..t.len() - 1].contains(['*', '?']) {
            return TextMatch::Prefix(t.trim_end_matches('*').to_string());
        }
        if t.contains(['*', '?']) {
            return TextMatch::Wildcard(t.to_string());
        }
    }
    TextMatch::Words(t.to_string())
}
