//! The indexer against an in-memory outbox: every issue has exactly one document
//! whatever mix of drains and rebuilds wrote it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tantivy::Term;

use super::index::inconsistent_ids;
use super::*;
use crate::domain::Clock;
use crate::jobs::Indexer;

/// A fake store: issues by id (summary only) and an outbox of (seq, issue id).
#[derive(Default)]
struct Fake {
    issues: std::collections::BTreeMap<i64, String>,
    outbox: Vec<(i64, i64)>,
}

impl Fake {
    fn doc(&self, id: i64) -> Option<IndexDoc> {
        self.issues.get(&id).map(|summary| IndexDoc {
            id,
            key: format!("T-{id}"),
            project: 1,
            num: id,
            summary: summary.clone(),
            ..Default::default()
        })
    }

    /// Writes (or deletes, with `None`) an issue and queues it; returns the new seq.
    fn write(&mut self, id: i64, summary: Option<&str>) -> i64 {
        match summary {
            Some(s) => self.issues.insert(id, s.to_string()),
            None => self.issues.remove(&id),
        };
        let seq = self.outbox.last().map(|(s, _)| s + 1).unwrap_or(1);
        self.outbox.push((seq, id));
        seq
    }
}

fn sources(fake: &Arc<Mutex<Fake>>) -> (ChangeSource, FullSource, HeadSource) {
    let f = fake.clone();
    let changes: ChangeSource = Box::new(move |after, limit| {
        let f = f.lock().unwrap();
        Ok(f.outbox
            .iter()
            .filter(|(s, _)| *s > after)
            .take(limit)
            .map(|(seq, id)| Change {
                seq: *seq,
                issue_id: *id,
                doc: f.doc(*id),
            })
            .collect())
    });
    let f = fake.clone();
    let full: FullSource = Box::new(move |after, limit| {
        let f = f.lock().unwrap();
        Ok(f.issues
            .keys()
            .filter(|id| **id > after)
            .take(limit)
            .filter_map(|id| f.doc(*id))
            .collect())
    });
    let f = fake.clone();
    let head: HeadSource = Box::new(move || {
        let f = f.lock().unwrap();
        Ok((
            f.outbox.last().map(|(s, _)| *s).unwrap_or(0),
            f.issues.len() as u64,
        ))
    });
    (changes, full, head)
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Documents per issue id, deleted ones excluded.
fn docs_per_id(index: &SearchIndex) -> std::collections::BTreeMap<i64, usize> {
    let mut n = std::collections::BTreeMap::new();
    for id in index.all_ids().unwrap() {
        *n.entry(id).or_default() += 1;
    }
    n
}

#[test]
fn a_live_rebuild_after_drains_leaves_one_document_per_issue() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path(), true).unwrap();
    let fake = Arc::new(Mutex::new(Fake::default()));
    let (changes, full, head) = sources(&fake);
    let indexer = Indexer::start(index.clone(), changes, full, head, Clock::system()).unwrap();

    // Many drained operations, the last batch ending with a deletion (a delete with no
    // add after it), so the writer's opstamps are well past where it was opened.
    for round in 0..20 {
        let seq = {
            let mut f = fake.lock().unwrap();
            for id in 1..=5 {
                f.write(id, Some(&format!("round {round}")));
            }
            f.write(100 + round, Some("short-lived"));
            f.write(100 + round, None)
        };
        indexer.poke();
        assert!(index.wait_for(seq, Duration::from_secs(20)));
    }
    // A last batch of deletions only: no document, so no indexing thread reads the
    // delete queue before the commit.
    fake.lock().unwrap().write(7, Some("soon gone"));
    let seq = fake.lock().unwrap().outbox.last().unwrap().0;
    indexer.poke();
    assert!(index.wait_for(seq, Duration::from_secs(20)));
    let seq = fake.lock().unwrap().write(7, None);
    indexer.poke();
    assert!(index.wait_for(seq, Duration::from_secs(20)));
    assert_eq!(docs_per_id(&index).len(), 5);

    // A live rebuild (the reindex endpoint), then ordinary edits.
    let id = indexer.request_rebuild(&index);
    wait_until("the rebuild", || {
        let st = index.rebuild.lock().unwrap();
        st.id == id && !st.running && st.finished.is_some()
    });
    assert_eq!(index.rebuild.lock().unwrap().success, Some(true));
    let seq = {
        let mut f = fake.lock().unwrap();
        for id in 1..=5 {
            f.write(id, Some("after the rebuild"));
        }
        f.write(6, Some("new"))
    };
    indexer.poke();
    assert!(index.wait_for(seq, Duration::from_secs(20)));

    let per_id = docs_per_id(&index);
    let expected: std::collections::BTreeMap<i64, usize> = (1..=6).map(|id| (id, 1)).collect();
    assert_eq!(per_id, expected, "documents per issue id");
    assert_eq!(index.count(&Filter::All).unwrap(), 6);
    drop(indexer);
}

#[test]
fn inconsistent_ids_are_duplicates_missing_and_stray_documents() {
    assert!(inconsistent_ids(&[], &[]).is_empty());
    assert!(inconsistent_ids(&[1, 2, 3], &[1, 2, 3]).is_empty());
    // 2 twice, 4 missing, 9 in the index only.
    assert_eq!(
        inconsistent_ids(&[1, 2, 2, 3, 9], &[1, 2, 3, 4]),
        vec![2, 4, 9]
    );
    assert_eq!(inconsistent_ids(&[5, 5, 5], &[]), vec![5]);
    assert_eq!(inconsistent_ids(&[], &[7, 8]), vec![7, 8]);
}

#[test]
fn document_ids_count_every_live_document_once() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path(), true).unwrap();
    let fake = Arc::new(Mutex::new(Fake::default()));
    let doc = |id: i64| IndexDoc {
        id,
        key: format!("T-{id}"),
        ..Default::default()
    };
    {
        // Two documents for issue 2, as a broken index may hold; one for 1 and 3, and a
        // deleted document for 4, which must not count.
        let mut writer = index.tantivy_writer().unwrap();
        for id in [1, 2, 2, 3, 4] {
            writer.add_document(index.to_document(&doc(id))).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_i64(index.fields.id, 4));
        writer.commit().unwrap();
        index.reader.reload().unwrap();
    }
    assert_eq!(index.document_ids().unwrap(), vec![1, 2, 2, 3]);
    assert_eq!(index.inconsistent_ids(&[1, 2, 3]).unwrap(), vec![2]);

    // Replaying the issue through the indexer repairs it: one document again.
    let (changes, full, head) = sources(&fake);
    let seq = {
        let mut f = fake.lock().unwrap();
        for id in [1, 2, 3] {
            f.issues.insert(id, String::new());
        }
        f.write(2, Some("replayed"))
    };
    let indexer = Indexer::start(index.clone(), changes, full, head, Clock::system()).unwrap();
    indexer.poke();
    assert!(index.wait_for(seq, Duration::from_secs(20)));
    assert_eq!(index.document_ids().unwrap(), vec![1, 2, 3]);
    drop(indexer);
}

/// The top-k collector against a full sort: several segments, deleted documents, ties,
/// empty values (last in either direction), a ranked key, and windows past the end.
#[test]
fn top_k_search_pages_agree_with_sorting_every_match() {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = SearchIndex::open(dir.path(), true).unwrap();
    let mut writer = Writer::open(index.clone()).unwrap();
    let doc = |id: i64| IndexDoc {
        id,
        key: format!("T-{id}"),
        project: 1 + id % 2,
        num: id,
        priority: (id % 5 != 0).then_some(id % 3),
        updated: (id * 7919) % 23,
        resolved: (id % 4 != 0).then_some((id * 31) % 11),
        ..Default::default()
    };
    let mut seq = 0;
    // Four commits: four segments; the third rewrites (deletes and re-adds) some issues.
    for ids in [1..=60, 61..=120, 10..=40, 121..=150] {
        let changes: Vec<Change> = ids
            .map(|id| {
                seq += 1;
                Change {
                    seq,
                    issue_id: id,
                    doc: Some(doc(id)),
                }
            })
            .collect();
        writer.apply(&changes).unwrap();
    }
    // Priority ids ranked in reverse: rank(p) = 10 - p.
    let rank: collect::RankMap = Arc::new((0..3).map(|p| (p, 10 - p)).collect());
    let sorts = [
        vec![SortKey {
            field: NumField::Updated,
            rank: None,
            descending: true,
        }],
        vec![
            SortKey {
                field: NumField::Priority,
                rank: Some(rank.clone()),
                descending: false,
            },
            SortKey {
                field: NumField::Resolved,
                rank: None,
                descending: true,
            },
        ],
        vec![SortKey {
            field: NumField::Resolved,
            rank: None,
            descending: false,
        }],
        vec![],
    ];
    let filter = Filter::In(NumField::Project, vec![1]);
    let matching: Vec<IndexDoc> = (1..=150).map(doc).filter(|d| d.project == 1).collect();
    for sort in &sorts {
        // The expected order: keys in turn (empty last either way), then the id.
        let key = |d: &IndexDoc| -> Vec<(bool, i64)> {
            sort.iter()
                .map(|k| {
                    let raw = match k.field {
                        NumField::Updated => Some(d.updated),
                        NumField::Priority => d.priority.map(|p| 10 - p),
                        _ => d.resolved,
                    };
                    match raw {
                        Some(v) if k.descending => (false, -v),
                        Some(v) => (false, v),
                        None => (true, 0),
                    }
                })
                .collect()
        };
        let mut expected = matching.clone();
        expected.sort_by_key(|d| (key(d), d.id));
        let expected: Vec<i64> = expected.iter().map(|d| d.id).collect();
        for (offset, limit) in [
            (0, 1),
            (0, 10),
            (5, 20),
            (70, 10),
            (74, 50),
            (200, 5),
            (3, 0),
        ] {
            let (ids, total) = index.search(&filter, sort, offset, limit).unwrap();
            assert_eq!(total, expected.len(), "{sort:?}");
            let want: Vec<i64> = expected.iter().skip(offset).take(limit).copied().collect();
            assert_eq!(ids, want, "sort {sort:?} window {offset}+{limit}");
        }
    }
}
