//! A collector that gathers every match with its sort keys read from fast fields.

use std::cmp::Ordering;
use std::collections::HashMap;
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

#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i64,
    keys: [Option<i64>; MAX_KEYS],
    descending: [bool; MAX_KEYS],
}

/// Orders hits by their keys; empty values sort last in either direction.
pub fn compare(a: &Hit, b: &Hit) -> Ordering {
    for i in 0..MAX_KEYS {
        let o = match (a.keys[i], b.keys[i]) {
            (Some(x), Some(y)) => {
                if a.descending[i] {
                    y.cmp(&x)
                } else {
                    x.cmp(&y)
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.id.cmp(&b.id)
}

pub struct SortedIds {
    pub sort: Vec<SortKey>,
    pub id_field: &'static str,
}

pub struct SegmentSorted {
    id: Column<i64>,
    columns: Vec<(Column<i64>, Option<RankMap>)>,
    descending: [bool; MAX_KEYS],
    hits: Vec<Hit>,
}

impl Collector for SortedIds {
    type Fruit = Vec<Hit>;
    type Child = SegmentSorted;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentSorted> {
        let fast = reader.fast_fields();
        let mut columns = Vec::new();
        let mut descending = [false; MAX_KEYS];
        for (i, key) in self.sort.iter().take(MAX_KEYS).enumerate() {
            columns.push((fast.i64(key.field.name())?, key.rank.clone()));
            descending[i] = key.descending;
        }
        Ok(SegmentSorted {
            id: fast.i64(self.id_field)?,
            columns,
            descending,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Hit>>) -> tantivy::Result<Vec<Hit>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentSorted {
    type Fruit = Vec<Hit>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(id) = self.id.first(doc) else { return };
        let mut keys = [None; MAX_KEYS];
        for (i, (column, rank)) in self.columns.iter().enumerate() {
            let raw = column.first(doc);
            keys[i] = match rank {
                Some(map) => raw.and_then(|v| map.get(&v).copied()),
                None => raw,
            };
        }
        self.hits.push(Hit {
            id,
            keys,
            descending: self.descending,
        });
    }

    fn harvest(self) -> Vec<Hit> {
        self.hits
    }
}
