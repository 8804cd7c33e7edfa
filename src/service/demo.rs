//! Generated data sets: realistic projects, users and issues for demos and benchmarks.
//! Deterministic for a given seed; loaded in large batches straight into the store
//! (one write job per batch), then indexed by the normal indexer or a rebuild.

use super::{catalog, search};
use crate::store::Store;
use std::sync::Arc;

use crate::error::Result;
use crate::store::queries::bulk;

#[derive(Debug, Clone)]
pub struct DataSet {
    pub projects: usize,
    pub users: usize,
    pub issues: usize,
    /// Average comments per issue.
    pub comments_per_issue: usize,
    pub seed: u64,
    /// Issues per write job; `BATCH_ISSUES` unless a test wants many small batches.
    pub batch_issues: usize,
}

impl DataSet {
    /// A small set for `tessera serve --demo`.
    pub fn demo() -> DataSet {
        DataSet {
            projects: 3,
            users: 12,
            issues: 150,
            comments_per_issue: 2,
            seed: 7,
            batch_issues: BATCH_ISSUES,
        }
    }
}

/// Issues per write job of a load: larger batches mean fewer commits, each of which
/// rewrites the B-trees' right edges into the log; 20,000 issues are about 20 MB.
pub const BATCH_ISSUES: usize = 20_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: fast, deterministic, good enough for synthetic data.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ne", "ro", "ta", "vi", "zu", "be", "da", "fo", "gi", "ha", "ju", "ke", "ly",
    "mo", "nu", "pa", "qu", "ri", "so", "te", "wa",
];
const TOPICS: [&str; 24] = [
    "login",
    "search",
    "export",
    "billing",
    "upload",
    "profile",
    "dashboard",
    "report",
    "sync",
    "cache",
    "import",
    "email",
    "payment",
    "session",
    "index",
    "backup",
    "webhook",
    "theme",
    "mobile",
    "settings",
    "invoice",
    "calendar",
    "chart",
    "api",
];
const VERBS: [&str; 12] = [
    "fails",
    "is slow",
    "crashes",
    "times out",
    "shows wrong data",
    "needs polish",
    "breaks",
    "leaks memory",
    "hangs",
    "loses data",
    "rejects input",
    "flickers",
];

fn word(rng: &mut Rng) -> String {
    (0..2 + rng.below(2))
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
        .collect()
}

/// Generated data sets: the demo, benchmarks.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    search: Arc<search::Service>,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        search: Arc<search::Service>,
    ) -> Service {
        Service {
            store,
            catalog,
            search,
        }
    }
}

impl Service {
    /// `serve --demo`: loads the demo set into a data directory without projects, then
    /// rebuilds the index in the background. Returns the number of issues generated.
    pub async fn load_demo_if_empty(&self) -> Result<usize> {
        if !self
            .store
            .read(crate::store::queries::projects::all)
            .await?
            .is_empty()
        {
            return Ok(0);
        }
        let n = self.load_data_set(&DataSet::demo()).await?;
        self.search.start_rebuild();
        Ok(n)
    }

    /// Loads a generated data set. Returns the number of issues written.
    pub async fn load_data_set(&self, set: &DataSet) -> Result<usize> {
        let mut rng = Rng(set.seed.max(1));
        let now = self.store.now().0;
        let year = 365 * 86_400_000i64;
        let base_user = 1_000_000i64;
        let users: Vec<bulk::BulkUser> = (0..set.users as i64)
            .map(|i| {
                let name = format!("{}{}", word(&mut rng), i);
                bulk::BulkUser {
                    id: base_user + i,
                    account_id: format!("{:024x}", 0xdea0_0000_0000u64 + i as u64),
                    email: format!("{name}@example.com"),
                    display_name: format!("{} {}", capitalise(&word(&mut rng)), capitalise(&name)),
                    username: name,
                }
            })
            .collect();
        let user_ids: Vec<i64> = users.iter().map(|u| u.id).collect();
        let group = self
            .store
            .read(|db| crate::store::queries::users::group_id(db, "jira-users"))
            .await?
            .unwrap_or(2);

        let base_project = 2_000_000i64;
        let mut projects = Vec::new();
        for p in 0..set.projects as i64 {
            let key: String = format!(
                "{}{}",
                ["DEM", "APP", "OPS", "WEB", "DAT"][p as usize % 5],
                p
            );
            projects.push(bulk::BulkProject {
                id: base_project + p,
                key: key.clone(),
                name: format!("{} {}", capitalise(&word(&mut rng)), key),
                lead_id: user_ids[rng.below(user_ids.len() as u64) as usize],
                components: (0..5)
                    .map(|c| {
                        (
                            base_project * 10 + p * 10 + c,
                            format!("{} {}", capitalise(TOPICS[(p + c) as usize % 24]), c),
                        )
                    })
                    .collect(),
                versions: (0..5)
                    .map(|v| {
                        (
                            base_project * 10 + p * 10 + v,
                            format!("{}.{v}", 1 + p % 3),
                            v < 3,
                        )
                    })
                    .collect(),
            });
        }
        let project_meta: Vec<(i64, String, Vec<i64>, Vec<i64>)> = projects
            .iter()
            .map(|p| {
                (
                    p.id,
                    p.key.clone(),
                    p.components.iter().map(|c| c.0).collect(),
                    p.versions.iter().map(|v| v.0).collect(),
                )
            })
            .collect();
        // Users and projects go in with the first batch of issues, so a set that fits
        // in one batch (the demo) is written in one transaction: all or nothing.
        let mut setup = Some(bulk::BulkSetup {
            users,
            group_id: group,
            projects,
            created: now,
        });
        let catalog = self.catalog.current();
        let statuses: Vec<(i64, bool)> = catalog
            .statuses
            .iter()
            .map(|s| (s.id, catalog.is_done(s.id)))
            .collect();
        let types: Vec<i64> = catalog
            .issue_types
            .iter()
            .filter(|t| !t.subtask)
            .map(|t| t.id)
            .collect();
        let labels: Vec<String> = (0..200)
            .map(|i| format!("{}-{i}", TOPICS[i % 24]))
            .collect();
        let initial = catalog.initial_status().map(|s| s.id).unwrap_or(10000);
        let done_resolution = catalog.default_resolution().map(|r| r.id);
        let names: std::collections::HashMap<i64, String> = catalog
            .statuses
            .iter()
            .map(|s| (s.id, s.name.clone()))
            .collect();

        let per_project = set.issues.div_ceil(set.projects.max(1));
        let mut next_issue = 3_000_000i64;
        let mut next_comment = 30_000_000i64;
        let mut next_group = 30_000_000i64;
        let mut generated = 0usize;
        let mut written = 0usize;
        let mut queued: std::collections::VecDeque<QueuedBatch> = Default::default();
        let batch_size = set.batch_issues.max(1);
        let mut batch = Vec::with_capacity(batch_size);
        for (pid, key, components, versions) in &project_meta {
            for num in 1..=per_project as i64 {
                if generated >= set.issues {
                    break;
                }
                generated += 1;
                let created = now - year + rng.below(year as u64 - 86_400_000) as i64;
                let (status, done) = statuses[rng.below(statuses.len() as u64) as usize];
                let updated = created + rng.below(86_400_000 * 30) as i64;
                let reporter = user_ids[rng.below(user_ids.len() as u64) as usize];
                let topic = TOPICS[rng.below(24) as usize];
                let comments = (0..rng.below(set.comments_per_issue as u64 * 2 + 1))
                    .map(|c| {
                        next_comment += 1;
                        (
                            next_comment,
                            user_ids[rng.below(user_ids.len() as u64) as usize],
                            created + (c as i64 + 1) * 3_600_000,
                            format!(
                                "Looked at the {topic} {}: {} {}.",
                                word(&mut rng),
                                word(&mut rng),
                                VERBS[rng.below(12) as usize]
                            ),
                        )
                    })
                    .collect();
                let transitions = if status != initial {
                    next_group += 1;
                    vec![(next_group, reporter, updated, initial, status)]
                } else {
                    Vec::new()
                };
                batch.push(bulk::BulkIssue {
                    id: next_issue,
                    project_id: *pid,
                    num,
                    key: format!("{key}-{num}"),
                    issue_type_id: types[rng.below(types.len() as u64) as usize],
                    status_id: status,
                    priority_id: 1 + rng.below(5) as i64,
                    resolution_id: if done { done_resolution } else { None },
                    summary: format!(
                        "{} {} {}",
                        capitalise(topic),
                        VERBS[rng.below(12) as usize],
                        word(&mut rng)
                    ),
                    description: format!(
                        "Steps: open the {topic} page, {} the {}. Expected {}.",
                        word(&mut rng),
                        word(&mut rng),
                        word(&mut rng)
                    ),
                    assignee_id: rng
                        .chance(80)
                        .then(|| user_ids[rng.below(user_ids.len() as u64) as usize]),
                    reporter_id: reporter,
                    created,
                    updated,
                    resolved: done.then_some(updated),
                    labels: (0..rng.below(3))
                        .map(|_| labels[rng.below(200) as usize].clone())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                    component_id: rng
                        .chance(60)
                        .then(|| components[rng.below(components.len() as u64) as usize]),
                    fix_version_id: rng
                        .chance(40)
                        .then(|| versions[rng.below(versions.len() as u64) as usize]),
                    comments,
                    transitions,
                });
                next_issue += 1;
                if batch.len() == batch_size && generated < set.issues {
                    // The writer always has the next batch waiting when it finishes one,
                    // and stays in bulk mode; the next is generated meanwhile. At most
                    // two batches wait, so memory stays bounded.
                    let issues = std::mem::take(&mut batch);
                    let first = setup.is_some();
                    queued.push_back(self.queue_batch(setup.take(), issues, false, &names));
                    // Later batches refer to the first one's users and projects (with
                    // foreign-key checks off): none is queued unless it committed.
                    if (first || queued.len() > 2)
                        && let Some(oldest) = queued.pop_front()
                    {
                        written += oldest.await?;
                    }
                }
            }
        }
        // Never empty: a full batch is held back when it holds the set's last issue (and
        // with no issues, the users and projects are still to be written). Every batch
        // so far committed without waiting for the disk; this one does.
        queued.push_back(self.queue_batch(setup.take(), batch, true, &names));
        for batch in queued {
            written += batch.await?;
        }
        Ok(written)
    }

    /// Queues one batch of issues (after the users and projects, for the first batch)
    /// as one bulk job: each committed batch is whole, with its projects' key counters.
    /// The `last` batch's commit waits for the disk, and so makes all of them durable.
    fn queue_batch(
        &self,
        setup: Option<bulk::BulkSetup>,
        batch: Vec<bulk::BulkIssue>,
        last: bool,
        names: &std::collections::HashMap<i64, String>,
    ) -> QueuedBatch {
        let names = names.clone();
        let n = batch.len();
        let written = self.store.write_bulk(last, move |db| {
            if let Some(setup) = &setup {
                bulk::setup(db, setup)?;
            }
            let lookup = |id: i64| names.get(&id).cloned().unwrap_or_default();
            bulk::issues(db, &batch, &lookup)
        });
        Box::pin(async move {
            written.await?;
            Ok(n)
        })
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A batch queued at the writer; resolves to its number of issues once committed.
type QueuedBatch = std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>>;
