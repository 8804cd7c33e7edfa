//! A collector that counts every match and keeps only the best `k` of them by sort keys
//! read from fast fields: memory is bounded by the page asked for, not the match count.

use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::NumField;

/// Maps a field value to its sort rank.
pub type RankMap = Arc<HashMap<i64, i64>>;

/// One ORDER BY key: a numeric field, optionally mapped to a rank (priority order, status
/// order, user display-name order, project key order), ascending or descending.
#[derive(Debug, Clone)]
pub struct SortKey {
    pub field: NumField,
    pub rank: Option<RankMap>,
    pub descending: bool,
}

const MAX_KEYS: usize = 6;

/// A key normalised so that plain ascending order is the requested order: `(empty,
/// value)`, with descending values bit-inverted (`!x` reverses the order of i64s exactly)
/// and empty values after every present one in either direction.
type Norm = (bool, i64);

const EMPTY: Norm = (true, 0);

/// One match: its normalised keys, then the issue id as the final tie-break. The derived
/// order (field by field) is the result order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    keys: [Norm; MAX_KEYS],
    pub id: i64,
}

/// The best `k` matches (unordered) and the number of all matches.
pub struct TopSorted {
    pub sort: Vec<SortKey>,
    pub id_field: &'static str,
    pub k: usize,
}

/// The fruit: hits (at most `k`, unordered) and the total.
pub type Top = (Vec<Hit>, usize);

struct KeyColumn {
    column: Column<i64>,
    rank: Option<RankMap>,
    descending: bool,
}

impl KeyColumn {
    fn norm(&self, doc: DocId) -> Norm {
        let raw = self.column.first(doc);
        let value = match &self.rank {
            Some(map) => raw.and_then(|v| map.get(&v).copied()),
            None => raw,
        };
        match value {
            Some(v) if self.descending => (false, !v),
            Some(v) => (false, v),
            None => EMPTY,
        }
    }
}

pub struct SegmentTop {
    id: Column<i64>,
    columns: Vec<KeyColumn>,
    k: usize,
    /// A max-heap: its top is the worst hit kept, the one a better match replaces.
    heap: BinaryHeap<Hit>,
    count: usize,
}

impl Collector for TopSorted {
    type Fruit = Top;
    type Child = SegmentTop;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTop> {
        let fast = reader.fast_fields();
        let mut columns = Vec::new();
        for key in self.sort.iter().take(MAX_KEYS) {
            columns.push(KeyColumn {
                column: fast.i64(key.field.name())?,
                rank: key.rank.clone(),
                descending: key.descending,
            });
        }
        Ok(SegmentTop {
            id: fast.i64(self.id_field)?,
            columns,
            k: self.k,
            heap: BinaryHeap::with_capacity(self.k.min(4096) + 1),
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Top>) -> tantivy::Result<Top> {
        let total = fruits.iter().map(|(_, n)| n).sum();
        let mut hits: Vec<Hit> = fruits.into_iter().flat_map(|(h, _)| h).collect();
        if hits.len() > self.k {
            hits.select_nth_unstable(self.k);
            hits.truncate(self.k);
        }
        Ok((hits, total))
    }
}

impl SegmentTop {
    fn offer(&mut self, doc: DocId) {
        self.count += 1;
        if self.k == 0 {
            return;
        }
        let full = self.heap.len() >= self.k;
        let mut keys = [EMPTY; MAX_KEYS];
        for (i, column) in self.columns.iter().enumerate() {
            keys[i] = column.norm(doc);
            // Most matches of a broad query lose to the worst kept hit on their first
            // keys; they are dropped before the remaining keys and the id are read.
            if full && let Some(worst) = self.heap.peek() {
                match keys[i].cmp(&worst.keys[i]) {
                    std::cmp::Ordering::Greater => return,
                    std::cmp::Ordering::Less => {
                        for (j, c) in self.columns.iter().enumerate().skip(i + 1) {
                            keys[j] = c.norm(doc);
                        }
                        break;
                    }
                    std::cmp::Ordering::Equal => {}
                }
            }
        }
        let Some(id) = self.id.first(doc) else { return };
        let hit = Hit { keys, id };
        if !full {
            self.heap.push(hit);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && hit < *worst
        {
            *worst = hit;
        }
    }
}

impl SegmentCollector for SegmentTop {
    type Fruit = Top;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.offer(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if self.k == 0 {
            self.count += docs.len();
            return;
        }
        for &doc in docs {
            self.offer(doc);
        }
    }

    fn harvest(self) -> Top {
        (self.heap.into_vec(), self.count)
    }
}
