//! Values that name things: projects, catalogue entries, users, components, versions,
//! issues and link types, and the functions that stand for lists of them.

use super::{Lookup, Out, Resolver, value_text};
use crate::domain::*;
use crate::jql::Operand;
use crate::jql::lookup::Involvement;

impl<L: Lookup> Resolver<'_, L> {
    /// Index values of a link type name or description: `type id * 2` for the outward
    /// description, `+ 1` for the inward one, both for the type's name.
    pub(super) fn link_type_ids(&mut self, field: &str, v: &Operand) -> Vec<i64> {
        if let Operand::Function { name, .. } = v {
            self.function_error(name);
            return Vec::new();
        }
        let Some(text) = value_text(v) else {
            return Vec::new();
        };
        let mut ids = Vec::new();
        // A type's exact name means both directions ("Blocks"); otherwise a description
        // means one ("blocks", "is blocked by").
        for t in self.lookup.link_types() {
            if t.name == text {
                ids.extend([t.id * 2, t.id * 2 + 1]);
            }
        }
        if !ids.is_empty() {
            return ids;
        }
        for t in self.lookup.link_types() {
            if t.outward.eq_ignore_ascii_case(&text) {
                ids.push(t.id * 2);
            }
            if t.inward.eq_ignore_ascii_case(&text) {
                ids.push(t.id * 2 + 1);
            }
        }
        if ids.is_empty() {
            for t in self.lookup.link_types() {
                if t.name.eq_ignore_ascii_case(&text) || t.id.to_string() == text {
                    ids.extend([t.id * 2, t.id * 2 + 1]);
                }
            }
        }
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        ids
    }

    pub(super) fn function_error(&mut self, name: &str) {
        self.error(format!("Unable to find JQL function '{name}()'."));
    }

    pub(super) fn project_ids(&mut self, field: &str, v: &Operand) -> Out<Vec<i64>, L> {
        if let Operand::Function { name, .. } = v {
            self.function_error(name);
            return Ok(Vec::new());
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let found = self.lookup.projects().iter().find(|p| {
            p.key.eq_ignore_ascii_case(&text)
                || p.id.0.to_string() == text
                || p.name.eq_ignore_ascii_case(&text)
        });
        match found {
            Some(p) => Ok(vec![p.id.0]),
            None => {
                self.unknown_value(field, &text);
                Ok(Vec::new())
            }
        }
    }

    pub(super) fn catalog_ids(
        &mut self,
        field: &str,
        v: &Operand,
        list: impl Fn(&L) -> Vec<(i64, String)>,
    ) -> Vec<i64> {
        if let Operand::Function { name, .. } = v {
            let lower = name.to_lowercase();
            if lower == "standardissuetypes" || lower == "subtaskissuetypes" {
                let sub = lower == "subtaskissuetypes";
                return self
                    .lookup
                    .issue_types()
                    .iter()
                    .filter(|t| t.subtask == sub)
                    .map(|t| t.id)
                    .collect();
            }
            self.function_error(name);
            return Vec::new();
        }
        let Some(text) = value_text(v) else {
            return Vec::new();
        };
        let items = list(self.lookup);
        let by_name: Vec<i64> = items
            .iter()
            .filter(|(_, n)| n.eq_ignore_ascii_case(&text))
            .map(|(id, _)| *id)
            .collect();
        if !by_name.is_empty() {
            return by_name;
        }
        if let Ok(id) = text.parse::<i64>()
            && items.iter().any(|(i, _)| *i == id)
        {
            return vec![id];
        }
        self.unknown_value(field, &text);
        Vec::new()
    }

    pub(super) fn user_ids(&mut self, field: &str, v: &Operand) -> Out<Vec<i64>, L> {
        if let Operand::Function { name, args } = v {
            return Ok(match name.to_lowercase().as_str() {
                "currentuser" => self.lookup.caller().map(|u| u.0).into_iter().collect(),
                "membersof" => {
                    let group = args.first().cloned().unwrap_or_default();
                    match self.lookup.group_members(&group)? {
                        Some(members) => members.into_iter().map(|u| u.0).collect(),
                        None => {
                            self.error(format!("Function 'membersOf' can not generate a list of usernames for group '{group}'; the group does not exist."));
                            Vec::new()
                        }
                    }
                }
                _ => {
                    self.function_error(name);
                    Vec::new()
                }
            });
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let user = match self.lookup.user_by_login(&text)? {
            Some(u) => Some(u),
            None => self.lookup.user_by_display_name(&text)?,
        };
        match user {
            Some(u) => Ok(vec![u.id.0]),
            None => {
                self.unknown_value(field, &text);
                Ok(Vec::new())
            }
        }
    }

    pub(super) fn component_ids(&mut self, field: &str, v: &Operand) -> Out<Vec<i64>, L> {
        if let Operand::Function { name, args } = v {
            if name.eq_ignore_ascii_case("componentsLeadByUser") {
                let lead = match args.first() {
                    Some(u) => self.lookup.user_by_login(u)?.map(|u| u.id),
                    None => self.lookup.caller(),
                };
                let mut ids = Vec::new();
                for p in self.lookup.projects() {
                    ids.extend(
                        self.lookup
                            .components(p.id)?
                            .into_iter()
                            .filter(|c| c.lead_id.is_some() && c.lead_id == lead)
                            .map(|c| c.id),
                    );
                }
                return Ok(ids);
            }
            self.function_error(name);
            return Ok(Vec::new());
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for p in self.lookup.projects() {
            for c in self.lookup.components(p.id)? {
                if c.name.eq_ignore_ascii_case(&text) || c.id.to_string() == text {
                    ids.push(c.id);
                }
            }
        }
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        Ok(ids)
    }

    pub(super) fn version_ids(&mut self, field: &str, v: &Operand) -> Out<Vec<i64>, L> {
        let mut all: Vec<(Project, Version)> = Vec::new();
        for p in self.lookup.projects() {
            for ver in self.lookup.versions(p.id)? {
                all.push((p.clone(), ver));
            }
        }
        if let Operand::Function { name, args } = v {
            let in_project = |p: &Project| match args.first() {
                Some(a) => {
                    p.key.eq_ignore_ascii_case(a)
                        || p.name.eq_ignore_ascii_case(a)
                        || p.id.0.to_string() == *a
                }
                None => true,
            };
            let picked: Vec<i64> = match name.to_lowercase().as_str() {
                "releasedversions" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && v.released)
                    .map(|(_, v)| v.id)
                    .collect(),
                "unreleasedversions" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && !v.released)
                    .map(|(_, v)| v.id)
                    .collect(),
                "latestreleasedversion" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && v.released)
                    .map(|(_, v)| v.id)
                    .next_back()
                    .into_iter()
                    .collect(),
                "earliestunreleasedversion" => all
                    .iter()
                    .filter(|(p, v)| in_project(p) && !v.released && !v.archived)
                    .map(|(_, v)| v.id)
                    .next()
                    .into_iter()
                    .collect(),
                _ => {
                    self.function_error(name);
                    Vec::new()
                }
            };
            return Ok(picked);
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        let ids: Vec<i64> = all
            .iter()
            .filter(|(_, v)| v.name.eq_ignore_ascii_case(&text) || v.id.to_string() == text)
            .map(|(_, v)| v.id)
            .collect();
        if ids.is_empty() {
            self.unknown_value(field, &text);
        }
        Ok(ids)
    }

    pub(super) fn issue_ids(&mut self, field: &str, v: &Operand) -> Out<Vec<i64>, L> {
        if let Operand::Function { name, args } = v {
            return self.issue_function(name, args);
        }
        let Some(text) = value_text(v) else {
            return Ok(Vec::new());
        };
        match self.lookup.issue(&text)? {
            Some(i) if self.lookup.projects().iter().any(|p| p.id == i.project_id) => {
                Ok(vec![i.id.0])
            }
            _ => {
                self.error(format!(
                    "An issue with key '{text}' does not exist for field '{field}'."
                ));
                Ok(Vec::new())
            }
        }
    }

    /// Functions returning issues: `linkedIssues`, `watchedIssues`, `votedIssues`,
    /// `updatedBy`. Results are confined to browsable projects by the search scope.
    pub(super) fn issue_function(&mut self, name: &str, args: &[String]) -> Out<Vec<i64>, L> {
        let me = self.lookup.caller();
        match name.to_lowercase().as_str() {
            "linkedissues" => {
                let Some(key) = args.first() else {
                    self.error("Function 'linkedIssues' expects an issue key.".into());
                    return Ok(Vec::new());
                };
                let Some(issue) = self
                    .lookup
                    .issue(key)?
                    .filter(|i| self.lookup.projects().iter().any(|p| p.id == i.project_id))
                else {
                    self.error(format!(
                        "Issue '{key}' could not be found in function 'linkedIssues'."
                    ));
                    return Ok(Vec::new());
                };
                let wanted = args.get(1).map(|t| t.to_lowercase());
                let mut ids = Vec::new();
                for link in self.lookup.links(issue.id)? {
                    let outward = link.source_id == issue.id;
                    let other = if outward {
                        link.dest_id
                    } else {
                        link.source_id
                    };
                    let matches = match (&wanted, self.link_type(link.link_type_id)) {
                        (None, _) => true,
                        (Some(w), Some(t)) => {
                            t.name.to_lowercase() == *w
                                || (outward && t.outward.to_lowercase() == *w)
                                || (!outward && t.inward.to_lowercase() == *w)
                        }
                        (Some(_), None) => false,
                    };
                    if matches {
                        ids.push(other.0);
                    }
                }
                Ok(ids)
            }
            "watchedissues" | "votedissues" => {
                let Some(me) = me else { return Ok(Vec::new()) };
                let set = if name.eq_ignore_ascii_case("watchedissues") {
                    Involvement::Watching
                } else {
                    Involvement::Voting
                };
                self.lookup.issues_of(set, me)
            }
            "updatedby" => {
                let Some(user) = args.first() else {
                    self.error("Function 'updatedBy' expects a user.".into());
                    return Ok(Vec::new());
                };
                let Some(u) = self.lookup.user_by_login(user)? else {
                    self.error(format!(
                        "User '{user}' could not be found in function 'updatedBy'."
                    ));
                    return Ok(Vec::new());
                };
                let from = match args.get(1) {
                    Some(a) => self.date_value("updatedBy", &Operand::Value(a.clone(), true)),
                    None => None,
                };
                let to = match args.get(2) {
                    Some(a) => self.date_value("updatedBy", &Operand::Value(a.clone(), true)),
                    None => None,
                };
                self.lookup.issues_updated_by(u.id, from, to)
            }
            "issuehistory" => {
                self.error("Function 'issueHistory' is not supported: Tessera does not record which issues you viewed.".into());
                Ok(Vec::new())
            }
            _ => {
                self.function_error(name);
                Ok(Vec::new())
            }
        }
    }
}
