//! Sort keys and pagination cursors. A hit's key is (score, time, partition, offset); the
//! event's log place makes it unique, so "everything after the last hit's key" pages with no
//! duplicate and no gap. A cursor is that key as text: `<sort>.<score bits>.<time µs>.<partition>.<offset>`.

use crate::request::Sort;
use crate::{Error, Result};
use std::cmp::Ordering;

/// Where a document sits in every sort order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SortKey {
    /// Relevance score (0 when not scored).
    pub score: f32,
    /// Time in microseconds since the epoch.
    pub time: i64,
    /// Event-log partition.
    pub partition: u64,
    /// Event-log offset.
    pub offset: u64,
}

impl SortKey {
    /// The key as integers that compare, in their natural order, as the keys do in `sort`: a
    /// collector compares these many times, each a few integer comparisons. Relevance puts the
    /// higher score first (scores compare as `f32::total_cmp`), then the later event.
    pub fn order(&self, sort: Sort) -> (u64, u64, u64, u64) {
        let bits = self.score.to_bits();
        let score = u64::from(if bits >> 31 == 1 { !bits } else { bits | 1 << 31 });
        let time = (self.time as u64) ^ (1 << 63);
        match sort {
            Sort::Relevance => (!score, !time, !self.partition, !self.offset),
            Sort::TimeDesc => (0, !time, !self.partition, !self.offset),
            Sort::TimeAsc => (0, time, self.partition, self.offset),
        }
    }

    /// `Less` when `self` comes before `other` in `sort`.
    pub fn rank(&self, other: &SortKey, sort: Sort) -> Ordering {
        self.order(sort).cmp(&other.order(sort))
    }
}

/// The one-letter name of a sort in a cursor.
fn letter(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "r",
        Sort::TimeDesc => "d",
        Sort::TimeAsc => "a",
    }
}

/// The cursor that continues after `key` in `sort`.
pub(crate) fn encode(sort: Sort, key: &SortKey) -> String {
    format!("{}.{:08x}.{}.{}.{}", letter(sort), key.score.to_bits(), key.time, key.partition, key.offset)
}

/// The key a cursor continues after; refused if it was made for another sort.
pub(crate) fn decode(cursor: &str, sort: Sort) -> Result<SortKey> {
    let bad = |why: &str| Error::InvalidCursor(format!("`{cursor}`: {why}"));
    let parts: Vec<&str> = cursor.split('.').collect();
    let [s, score, time, partition, offset] = parts[..] else { return Err(bad("expected five dot-separated parts")) };
    if s != letter(sort) {
        return Err(bad("it was made for another sort order"));
    }
    Ok(SortKey {
        score: f32::from_bits(u32::from_str_radix(score, 16).map_err(|_| bad("bad score"))?),
        time: time.parse().map_err(|_| bad("bad time"))?,
        partition: partition.parse().map_err(|_| bad("bad partition"))?,
        offset: offset.parse().map_err(|_| bad("bad offset"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = SortKey> {
        (any::<f32>().prop_filter("finite", |f| f.is_finite()), any::<i64>(), any::<u32>(), any::<u64>())
            .prop_map(|(score, time, partition, offset)| SortKey { score, time, partition: partition.into(), offset })
    }

    /// Keys that often tie on score, time or partition.
    fn close_key() -> impl Strategy<Value = SortKey> {
        (prop::sample::select(vec![-1.5f32, -0.0, 0.0, 0.5, 2.0]), -2i64..2, 0u64..2, 0u64..3)
            .prop_map(|(score, time, partition, offset)| SortKey { score, time, partition, offset })
    }

    /// The orders as specified, field by field.
    fn reference_rank(a: &SortKey, b: &SortKey, sort: Sort) -> Ordering {
        let by_time_asc = a.time.cmp(&b.time).then(a.partition.cmp(&b.partition)).then(a.offset.cmp(&b.offset));
        match sort {
            Sort::Relevance => b.score.total_cmp(&a.score).then(by_time_asc.reverse()),
            Sort::TimeDesc => by_time_asc.reverse(),
            Sort::TimeAsc => by_time_asc,
        }
    }

    proptest! {
        #[test]
        fn rank_compares_as_specified_on_keys_that_tie(a in close_key(), b in close_key()) {
            for sort in [Sort::Relevance, Sort::TimeDesc, Sort::TimeAsc] {
                prop_assert_eq!(a.rank(&b, sort), reference_rank(&a, &b, sort));
            }
        }

        #[test]
        fn cursors_round_trip(k in key()) {
            for sort in [Sort::Relevance, Sort::TimeDesc, Sort::TimeAsc] {
                prop_assert_eq!(decode(&encode(sort, &k), sort).unwrap(), k);
            }
        }

        #[test]
        fn rank_is_a_total_order_that_tells_distinct_places_apart(a in key(), b in key()) {
            for sort in [Sort::Relevance, Sort::TimeDesc, Sort::TimeAsc] {
                prop_assert_eq!(a.rank(&b, sort), b.rank(&a, sort).reverse());
                prop_assert_eq!(a.rank(&b, sort), reference_rank(&a, &b, sort));
                if (a.partition, a.offset) != (b.partition, b.offset) {
                    prop_assert_ne!(a.rank(&b, sort), Ordering::Equal);
                }
            }
        }
    }

    #[test]
    fn a_cursor_of_another_sort_or_garbage_is_refused() {
        let k = SortKey { score: 1.5, time: 7, partition: 0, offset: 3 };
        assert_eq!(decode(&encode(Sort::TimeAsc, &k), Sort::TimeDesc).unwrap_err().code(), "INVALID_CURSOR");
        assert!(decode("nonsense", Sort::Relevance).is_err());
        assert!(decode("r.zz.1.2.3", Sort::Relevance).is_err());
    }
}
