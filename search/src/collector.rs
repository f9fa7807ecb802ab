//! Collects one page: the first `limit` matching documents in a sort order that come after a
//! cursor's key, reading time and log place from fast fields.

use crate::columns::{ColumnCache, SortColumns};
use crate::cursor::SortKey;
use crate::request::Sort;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The page collector.
pub(crate) struct PageCollector {
    columns: ColumnCache,
    sort: Sort,
    after: Option<SortKey>,
    limit: usize,
}

impl PageCollector {
    /// The first `limit` documents after `after` in `sort`, reading sort keys from `columns`.
    pub fn new(columns: ColumnCache, sort: Sort, after: Option<SortKey>, limit: usize) -> Self {
        PageCollector { columns, sort, after, limit }
    }
}

/// A candidate; the heap's top is the one that comes last.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    key: SortKey,
    doc: DocAddress,
    sort: Sort,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.rank(&other.key, self.sort).then(self.doc.cmp(&other.doc))
    }
}

/// Keeps the best `limit` of what it is offered.
struct Best {
    heap: BinaryHeap<Ranked>,
    limit: usize,
}

impl Best {
    fn offer(&mut self, ranked: Ranked) {
        if self.heap.len() < self.limit {
            self.heap.push(ranked);
        } else if self.heap.peek().is_some_and(|worst| ranked < *worst) {
            self.heap.pop();
            self.heap.push(ranked);
        }
    }

    fn into_sorted(self) -> Vec<(SortKey, DocAddress)> {
        self.heap.into_sorted_vec().into_iter().map(|r| (r.key, r.doc)).collect()
    }
}

/// The collector of one segment.
pub(crate) struct PageSegmentCollector {
    segment: SegmentOrdinal,
    columns: SortColumns,
    sort: Sort,
    after: Option<SortKey>,
    best: Best,
}

impl Collector for PageCollector {
    type Fruit = Vec<(SortKey, DocAddress)>;
    type Child = PageSegmentCollector;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<PageSegmentCollector> {
        Ok(PageSegmentCollector {
            segment,
            columns: self.columns.get(reader)?,
            sort: self.sort,
            after: self.after,
            best: Best { heap: BinaryHeap::with_capacity(self.limit + 1), limit: self.limit },
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(SortKey, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        let mut best = Best { heap: BinaryHeap::with_capacity(self.limit + 1), limit: self.limit };
        for (key, doc) in fruits.into_iter().flatten() {
            best.offer(Ranked { key, doc, sort: self.sort });
        }
        Ok(best.into_sorted())
    }
}

impl SegmentCollector for PageSegmentCollector {
    type Fruit = Vec<(SortKey, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.sort == Sort::Relevance && self.outranked(score) {
            return;
        }
        let key = SortKey {
            score: if self.sort == Sort::Relevance { score } else { 0.0 },
            time: self.columns.time.first(doc).map_or(0, tantivy::DateTime::into_timestamp_micros),
            partition: self.columns.partition.first(doc).unwrap_or(0),
            offset: self.columns.offset.first(doc).unwrap_or(0),
        };
        if self.after.is_some_and(|after| key.rank(&after, self.sort) != Ordering::Greater) {
            return;
        }
        self.best.offer(Ranked { key, doc: DocAddress::new(self.segment, doc), sort: self.sort });
    }

    fn harvest(self) -> Self::Fruit {
        self.best.into_sorted()
    }
}

impl PageSegmentCollector {
    /// Whether a score alone decides that a document is not on the page (before the cursor,
    /// or after everything kept), sparing the fast-field reads.
    fn outranked(&self, score: Score) -> bool {
        let before_cursor = self.after.is_some_and(|after| score > after.score);
        let full = self.best.heap.len() >= self.best.limit;
        before_cursor || (full && self.best.heap.peek().is_some_and(|worst| score < worst.key.score))
    }
}
