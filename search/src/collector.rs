//! Collects one page: the first `limit` matching documents in a sort order that come after a
//! cursor's key, reading time and log place from fast fields.

use crate::columns::{ColumnCache, SortColumns};
use crate::cursor::SortKey;
use crate::request::Sort;
use std::cmp::Ordering;
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

/// A candidate; candidates order as their page does.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    order: (u64, u64, u64, u64),
    key: SortKey,
    doc: DocAddress,
}

impl Ranked {
    fn new(key: SortKey, doc: DocAddress, sort: Sort) -> Self {
        Ranked { order: key.order(sort), key, doc }
    }
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
        self.order.cmp(&other.order).then(self.doc.cmp(&other.doc))
    }
}

/// Keeps the best `limit` of what it is offered. Candidates gather in a buffer of twice the
/// limit; when it fills, the best `limit` are selected and the worst of them becomes the
/// threshold a candidate must beat: one comparison per candidate instead of a heap's sift.
struct Best {
    items: Vec<Ranked>,
    limit: usize,
    /// The worst kept candidate once the buffer has been cut to the limit.
    threshold: Option<Ranked>,
}

impl Best {
    fn new(limit: usize) -> Self {
        Best { items: Vec::with_capacity(2 * limit.max(1)), limit, threshold: None }
    }

    fn offer(&mut self, ranked: Ranked) {
        if self.limit == 0 || self.threshold.is_some_and(|worst| ranked >= worst) {
            return;
        }
        self.items.push(ranked);
        if self.items.len() == 2 * self.limit {
            self.cut();
        }
    }

    /// Keeps the best `limit` candidates and remembers the worst of them.
    fn cut(&mut self) {
        let (_, worst, _) = self.items.select_nth_unstable(self.limit - 1);
        self.threshold = Some(*worst);
        self.items.truncate(self.limit);
    }

    fn into_sorted(mut self) -> Vec<(SortKey, DocAddress)> {
        if self.items.len() > self.limit {
            self.cut();
        }
        self.items.sort_unstable();
        self.items.into_iter().map(|r| (r.key, r.doc)).collect()
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
            best: Best::new(self.limit),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(SortKey, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        let mut best = Best::new(self.limit);
        for (key, doc) in fruits.into_iter().flatten() {
            best.offer(Ranked::new(key, doc, self.sort));
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
        self.best.offer(Ranked::new(key, DocAddress::new(self.segment, doc), self.sort));
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
        before_cursor || self.best.threshold.is_some_and(|worst| score < worst.key.score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ranked(score: u8, time: i64, doc: u32) -> Ranked {
        let key = SortKey { score: f32::from(score), time, partition: 0, offset: u64::from(doc) };
        Ranked::new(key, DocAddress::new(0, doc), Sort::Relevance)
    }

    proptest! {
        #[test]
        fn keeps_the_best_limit_in_order(candidates in prop::collection::vec((0u8..8, 0i64..5), 0..200), limit in 1usize..30) {
            let all: Vec<Ranked> = candidates.iter().enumerate().map(|(doc, &(score, time))| ranked(score, time, doc as u32)).collect();
            let mut best = Best::new(limit);
            for r in &all {
                best.offer(*r);
            }
            let mut expected = all.clone();
            expected.sort();
            expected.truncate(limit);
            let expected: Vec<(SortKey, DocAddress)> = expected.into_iter().map(|r| (r.key, r.doc)).collect();
            let kept = best.into_sorted();
            prop_assert_eq!(kept.iter().map(|(_, d)| *d).collect::<Vec<_>>(), expected.iter().map(|(_, d)| *d).collect::<Vec<_>>());
        }
    }
}
