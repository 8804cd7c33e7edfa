//! Generated data sets: realistic projects, users and issues for `serve --demo`,
//! `tessera demo` and the benchmarks (one generator for all). Deterministic for a given
//! seed; loaded in large batches straight into the store (one write job per batch),
//! then indexed by the normal indexer or a rebuild. The text is in `content`, one
//! project's issues in `generate`.

mod content;
mod generate;

use super::{catalog, search};
use crate::store::Store;
use std::path::PathBuf;
use std::sync::Arc;

pub use content::project as project_key_and_name;
use content::{Kind, Rng};

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

impl DataSet {
    /// `tessera demo`: `issues` over `projects` (default one per 250 issues, at least
    /// 3) for `users` people (default 6 per project, at least 10).
    pub fn sized(
        issues: usize,
        projects: Option<usize>,
        users: Option<usize>,
        comments_per_issue: usize,
        seed: u64,
    ) -> DataSet {
        let projects = projects.unwrap_or((issues / 250).clamp(3, 500)).max(1);
        DataSet {
            projects,
            users: users.unwrap_or((projects * 6).clamp(10, 20_000)).max(1),
            issues,
            comments_per_issue,
            seed,
            // About 50 progress steps, in batches no smaller than bulk loading likes.
            batch_issues: (issues / 50).clamp(1000, BATCH_ISSUES),
        }
    }
}

/// Issues per write job of a load: larger batches mean fewer commits, each of which
/// rewrites the B-trees' right edges into the log; 20,000 issues are about 20 MB.
pub const BATCH_ISSUES: usize = 20_000;

/// Generated data sets: the demo, benchmarks.
pub struct Service {
    store: Store,
    catalog: Arc<catalog::Service>,
    search: Arc<search::Service>,
    /// Where attachment content goes (`Config::attachments_dir`).
    attachments: PathBuf,
}

impl Service {
    pub(super) fn new(
        store: Store,
        catalog: Arc<catalog::Service>,
        search: Arc<search::Service>,
        attachments: PathBuf,
    ) -> Service {
        Service {
            store,
            catalog,
            search,
            attachments,
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

    /// Whether the data directory has no projects yet (a set can be loaded).
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(self
            .store
            .read(crate::store::queries::projects::all)
            .await?
            .is_empty())
    }

    /// Loads a generated data set. Returns the number of issues written.
    pub async fn load_data_set(&self, set: &DataSet) -> Result<usize> {
        self.load_data_set_with_progress(set, &|_, _| {}).await
    }

    /// Loads a generated data set, calling `progress(written, total)` as batches commit.
    pub async fn load_data_set_with_progress(
        &self,
        set: &DataSet,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<usize> {
        let mut rng = Rng(set.seed.max(1));
        let now = self.store.now().0;
        let base_user = 1_000_000i64;
        let users: Vec<bulk::BulkUser> = (0..set.users.max(1))
            .map(|i| {
                let (username, display_name, email) = content::person(i);
                bulk::BulkUser {
                    id: base_user + i as i64,
                    account_id: format!("{:024x}", 0xdea0_0000_0000u64 + i as u64),
                    email,
                    display_name,
                    username,
                }
            })
            .collect();
        let group = self
            .store
            .read(|db| crate::store::queries::users::group_id(db, "jira-users"))
            .await?
            .unwrap_or(2);

        let base_project = 2_000_000i64;
        let mut projects = Vec::new();
        let mut plans = Vec::new();
        for p in 0..set.projects.max(1) {
            let (key, name) = content::project(p);
            let id = base_project + p as i64;
            // A team of up to 8 people per project; teams overlap.
            let team_size = users.len().clamp(1, 8);
            let start = (p * 5) % users.len();
            let team: Vec<(i64, String)> = (0..team_size)
                .map(|t| &users[(start + t) % users.len()])
                .map(|u| (u.id, u.username.clone()))
                .collect();
            let components: Vec<(i64, String)> = (0..4 + rng.below(3) as usize)
                .map(|c| {
                    let name = content::COMPONENTS[(p * 3 + c) % content::COMPONENTS.len()];
                    (id * 10 + c as i64, name.to_string())
                })
                .collect();
            let version_names = content::versions(p, 5);
            let versions: Vec<(i64, String, bool)> = version_names
                .into_iter()
                .enumerate()
                .map(|(v, n)| (id * 10 + v as i64, n, v < 3))
                .collect();
            plans.push(generate::ProjectPlan {
                id,
                key: key.clone(),
                components: components.clone(),
                versions: versions.iter().map(|v| (v.0, v.2)).collect(),
                team: team.clone(),
            });
            projects.push(bulk::BulkProject {
                id,
                key,
                name,
                lead_id: team[0].0,
                components,
                versions: versions.clone(),
            });
        }
        let files = self.write_attachment_files()?;
        // Users and projects go in with the first batch of issues, so a set that fits
        // in one batch (the demo) is written in one transaction: all or nothing.
        let mut setup = Some(bulk::BulkSetup {
            users,
            group_id: group,
            projects,
            blobs: files.iter().map(|f| (f.0.clone(), f.3)).collect(),
            created: now - 2 * 365 * 86_400_000,
        });
        let vocab = self.vocabulary(files);
        let names: std::collections::HashMap<i64, String> = self
            .catalog
            .current()
            .statuses
            .iter()
            .map(|s| (s.id, s.name.clone()))
            .collect();

        let per_project = set.issues.div_ceil(set.projects.max(1));
        let mut ids = generate::Ids {
            issue: 3_000_000,
            comment: 30_000_000,
            group: 30_000_000,
            attachment: 40_000_000,
        };
        let mut generated = 0usize;
        let mut written = 0usize;
        let mut queued: std::collections::VecDeque<QueuedBatch> = Default::default();
        let batch_size = set.batch_issues.max(1);
        let mut batch = Vec::with_capacity(batch_size.min(set.issues));
        for plan in &plans {
            let mut issues = generate::ProjectIssues {
                rng: &mut rng,
                vocab: &vocab,
                project: plan,
                ids: &mut ids,
                now,
                comments_per_issue: set.comments_per_issue,
                epics: Vec::new(),
            };
            for num in 1..=per_project as i64 {
                if generated >= set.issues {
                    break;
                }
                generated += 1;
                batch.push(issues.issue(num));
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
                        progress(written, set.issues);
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
            progress(written, set.issues);
        }
        Ok(written)
    }

    /// The catalogue's types, statuses, resolutions and priorities by meaning.
    fn vocabulary(&self, files: Vec<(String, String, String, i64)>) -> generate::Vocabulary {
        let catalog = self.catalog.current();
        let by_name = |name: &str| {
            catalog
                .issue_types
                .iter()
                .find(|t| !t.subtask && t.name.eq_ignore_ascii_case(name))
                .map(|t| t.id)
        };
        let mut types: Vec<(i64, Kind)> = [
            ("Epic", Kind::Epic),
            ("Story", Kind::Story),
            ("Task", Kind::Task),
            ("Bug", Kind::Bug),
        ]
        .into_iter()
        .filter_map(|(n, k)| Some((by_name(n)?, k)))
        .collect();
        if types.is_empty() {
            types.extend(
                catalog
                    .issue_types
                    .iter()
                    .filter(|t| !t.subtask)
                    .map(|t| (t.id, Kind::Task)),
            );
        }
        let initial = catalog.initial_status().map(|s| s.id).unwrap_or(10000);
        let (done, working): (Vec<i64>, Vec<i64>) = catalog
            .statuses
            .iter()
            .map(|s| s.id)
            .filter(|id| *id != initial)
            .partition(|id| catalog.is_done(*id));
        let default = catalog.default_resolution().map(|r| r.id);
        let mut resolutions: Vec<i64> = default.into_iter().collect();
        resolutions.extend(
            catalog
                .resolutions
                .iter()
                .map(|r| r.id)
                .filter(|id| Some(*id) != default),
        );
        generate::Vocabulary {
            types,
            initial,
            working,
            done,
            resolutions,
            priorities: catalog.priorities.iter().map(|p| p.id).collect(),
            files,
        }
    }

    /// Writes the attachment files into the content store (named by hash, as uploads
    /// are); returns (sha256, file name, MIME type, size) of each.
    fn write_attachment_files(&self) -> Result<Vec<(String, String, String, i64)>> {
        use sha2::Digest;
        let mut out = Vec::new();
        for (name, mime, body) in content::attachment_files() {
            let sha = format!("{:x}", sha2::Sha256::digest(body.as_bytes()));
            let path = super::blobs::blob_path(&self.attachments, &sha);
            if !path.exists() {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(io_error)?;
                }
                std::fs::write(&path, body.as_bytes()).map_err(io_error)?;
            }
            out.push((sha, name.to_string(), mime.to_string(), body.len() as i64));
        }
        Ok(out)
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

fn io_error(e: std::io::Error) -> crate::error::Error {
    crate::error::Error::new(
        crate::error::Kind::Internal,
        format!("cannot write demo attachments: {e}"),
    )
}

/// A batch queued at the writer; resolves to its number of issues once committed.
type QueuedBatch = std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize>> + Send>>;
