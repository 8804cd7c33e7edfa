//! One project's generated issues as bulk rows: epics with children, a realistic spread
//! of types, statuses (older work is more often done), priorities and ages, comment
//! threads among the project's team, labels from a small shared vocabulary, components,
//! versions, due dates and attachments. Deterministic for the seeded [`Rng`].

use super::content::{self, Kind, Rng};
use crate::domain::Millis;
use crate::store::queries::bulk;

/// What the catalogue offers, by meaning.
pub(super) struct Vocabulary {
    /// (issue type id, kind) for Epic, Story, Task, Bug (the ones the catalogue has).
    pub types: Vec<(i64, Kind)>,
    pub initial: i64,
    /// Statuses neither initial nor done, in workflow order.
    pub working: Vec<i64>,
    pub done: Vec<i64>,
    /// Resolutions, the default first.
    pub resolutions: Vec<i64>,
    /// Priority ids, highest first.
    pub priorities: Vec<i64>,
    /// (sha256, file name, MIME type, size) of the attachment files.
    pub files: Vec<(String, String, String, i64)>,
}

/// Ids handed out so far; each range is far above what the store allocates itself.
pub(super) struct Ids {
    pub issue: i64,
    pub comment: i64,
    pub group: i64,
    pub attachment: i64,
}

/// A project as its issues need it.
pub(super) struct ProjectPlan {
    pub id: i64,
    pub key: String,
    pub components: Vec<(i64, String)>,
    /// (id, released), oldest first.
    pub versions: Vec<(i64, bool)>,
    /// The project's team (user ids) and their usernames, for mentions.
    pub team: Vec<(i64, String)>,
}

const DAY: i64 = 86_400_000;

/// The generator's state across the issues of one project.
pub(super) struct ProjectIssues<'a> {
    pub rng: &'a mut Rng,
    pub vocab: &'a Vocabulary,
    pub project: &'a ProjectPlan,
    pub ids: &'a mut Ids,
    pub now: i64,
    pub comments_per_issue: usize,
    /// The project's epics so far (id, created).
    pub epics: Vec<(i64, i64)>,
}

impl ProjectIssues<'_> {
    /// Issue number `num` of the project.
    pub(super) fn issue(&mut self, num: i64) -> bulk::BulkIssue {
        let rng = &mut *self.rng;
        let vocab = self.vocab;
        let p = self.project;
        // Mostly recent work, some of it two years old.
        let age = (2.0 * 365.0 * DAY as f64 * rng.fraction().powi(2)) as i64 + DAY / 2;
        let created = self.now - age;
        let kind = if num == 1 || rng.chance(5) {
            Kind::Epic
        } else {
            [Kind::Story, Kind::Task, Kind::Bug][rng.weighted(&[40, 30, 30])]
        };
        let type_id = vocab
            .types
            .iter()
            .find(|(_, k)| *k == kind)
            .or(vocab.types.first())
            .map(|(id, _)| *id)
            .unwrap_or(10001);
        // Older work is more often finished.
        let done_chance = (15.0 + 75.0 * (age as f64 / (2.0 * 365.0 * DAY as f64)).sqrt()) as u64;
        let done = !vocab.done.is_empty() && rng.chance(done_chance);
        let status = if done {
            vocab.done[rng.below(vocab.done.len() as u64) as usize]
        } else if vocab.working.is_empty() || rng.chance(55) {
            vocab.initial
        } else {
            vocab.working[rng.below(vocab.working.len() as u64) as usize]
        };
        let updated = created + (rng.fraction() * age.min(60 * DAY) as f64) as i64;
        let priority = {
            let weights: &[u64] = if kind == Kind::Bug {
                &[8, 25, 45, 15, 7]
            } else {
                &[2, 14, 60, 17, 7]
            };
            let i = rng.weighted(&weights[..vocab.priorities.len().min(5)]);
            vocab.priorities.get(i).copied().unwrap_or(3)
        };
        let team = &p.team;
        let member = |rng: &mut Rng| team[rng.below(team.len() as u64) as usize].clone();
        let reporter = member(rng);
        let assignee = (status != vocab.initial || rng.chance(60)).then(|| member(rng));
        let component = (!p.components.is_empty() && rng.chance(70))
            .then(|| p.components[rng.below(p.components.len() as u64) as usize].clone());
        let (summary, description) = content::issue_text(
            rng,
            kind,
            component
                .as_ref()
                .map(|c| c.1.as_str())
                .unwrap_or("Backend"),
        );
        let labels = labels(rng, kind);
        let fix_version = {
            let released: Vec<&(i64, bool)> = p.versions.iter().filter(|v| v.1).collect();
            let planned: Vec<&(i64, bool)> = p.versions.iter().filter(|v| !v.1).collect();
            if done && rng.chance(70) && !released.is_empty() {
                Some(released[rng.below(released.len() as u64) as usize].0)
            } else if !done && status != vocab.initial && rng.chance(40) && !planned.is_empty() {
                Some(planned[rng.below(planned.len() as u64) as usize].0)
            } else {
                None
            }
        };
        // Children belong to one of the project's recent epics, created before them.
        let parent_id = match kind {
            Kind::Epic => None,
            _ if rng.chance(45) => {
                let recent: Vec<i64> = self
                    .epics
                    .iter()
                    .rev()
                    .take(4)
                    .filter(|(_, at)| *at <= created)
                    .map(|(id, _)| *id)
                    .collect();
                (!recent.is_empty()).then(|| recent[rng.below(recent.len() as u64) as usize])
            }
            _ => None,
        };
        let due_date = (!done && kind != Kind::Epic && rng.chance(20)).then(|| {
            let at = self.now + (rng.below(60) as i64 - 10) * DAY;
            Millis(at).to_rfc3339_utc()[..10].to_string()
        });

        let ids = &mut *self.ids;
        let id = ids.issue;
        ids.issue += 1;
        let mut comments = Vec::new();
        let mut previous: Option<String> = None;
        let count = rng.below(self.comments_per_issue as u64 * 2 + 1) as usize;
        let mut at = created;
        for c in 0..count {
            at += (rng.fraction() * ((updated - at).max(DAY) as f64) / 2.0) as i64 + 60_000;
            // Replies come from someone else than the previous author.
            let mut author = member(rng);
            if previous.as_deref() == Some(author.1.as_str()) && team.len() > 1 {
                author = member(rng);
            }
            let body = content::comment(rng, c, kind, previous.as_deref());
            ids.comment += 1;
            comments.push((ids.comment, author.0, at, body));
            previous = Some(author.1);
        }
        let attachments =
            if !vocab.files.is_empty() && rng.chance(if kind == Kind::Bug { 25 } else { 6 }) {
                (0..1 + rng.below(2))
                    .map(|_| {
                        let (sha, name, mime, size) =
                            &vocab.files[rng.below(vocab.files.len() as u64) as usize];
                        ids.attachment += 1;
                        bulk::BulkAttachment {
                            id: ids.attachment,
                            author_id: reporter.0,
                            filename: name.clone(),
                            mime_type: mime.clone(),
                            size: *size,
                            sha256: sha.clone(),
                            created: created + 60_000,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
        let transitions = self.transitions(status, created, updated, reporter.0);
        if kind == Kind::Epic {
            self.epics.push((id, created));
        }
        bulk::BulkIssue {
            id,
            project_id: p.id,
            num,
            key: format!("{}-{num}", p.key),
            issue_type_id: type_id,
            status_id: status,
            priority_id: priority,
            resolution_id: done.then(|| self.resolution()).flatten(),
            summary,
            description,
            assignee_id: assignee.map(|a| a.0),
            reporter_id: reporter.0,
            created,
            updated,
            resolved: done.then_some(updated),
            labels,
            component_id: component.map(|c| c.0),
            fix_version_id: fix_version,
            parent_id,
            due_date,
            attachments,
            comments,
            transitions,
        }
    }

    fn resolution(&mut self) -> Option<i64> {
        let r = &self.vocab.resolutions;
        if r.len() > 1 && self.rng.chance(15) {
            Some(r[1 + self.rng.below(r.len() as u64 - 1) as usize])
        } else {
            r.first().copied()
        }
    }

    /// The walk through the workflow to `status`, spread between created and updated.
    fn transitions(
        &mut self,
        status: i64,
        created: i64,
        updated: i64,
        author: i64,
    ) -> Vec<(i64, i64, i64, i64, i64)> {
        let vocab = self.vocab;
        if status == vocab.initial {
            return Vec::new();
        }
        let mut path = vec![vocab.initial];
        match vocab.working.iter().position(|s| *s == status) {
            Some(upto) => path.extend(&vocab.working[..=upto]),
            None => {
                for s in &vocab.working {
                    if self.rng.chance(70) {
                        path.push(*s);
                    }
                }
                path.push(status);
            }
        }
        let steps = path.len() as i64 - 1;
        path.windows(2)
            .enumerate()
            .map(|(i, w)| {
                self.ids.group += 1;
                let at = created + (updated - created) * (i as i64 + 1) / steps.max(1);
                (self.ids.group, author, at, w[0], w[1])
            })
            .collect()
    }
}

/// Labels from the shared vocabulary: most issues none or one; bugs lean to the
/// triage labels.
fn labels(rng: &mut Rng, kind: Kind) -> Vec<String> {
    let n = rng.weighted(&[55, 35, 10]);
    let pool: &[&str] = if kind == Kind::Bug {
        &content::LABELS[..5]
    } else {
        &content::LABELS[3..]
    };
    let mut out: Vec<String> = (0..n)
        .map(|_| pool[rng.below(pool.len() as u64) as usize].to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}
