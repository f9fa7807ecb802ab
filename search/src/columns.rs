//! Caches each segment's sort columns (time, partition, offset): opening a column decodes its
//! block index, which cost more than the rest of a selective query when done for every query.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DateTime, SegmentReader};

/// The columns a page is sorted by, of one segment.
#[derive(Clone)]
pub(crate) struct SortColumns {
    /// When the entry happened.
    pub time: Column<DateTime>,
    /// Its event-log partition.
    pub partition: Column<u64>,
    /// Its offset in that partition.
    pub offset: Column<u64>,
}

/// The sort columns of the segments searched lately. Segments are immutable, so an entry never
/// goes stale; entries of merged-away segments are dropped by [`ColumnCache::retain`].
#[derive(Clone, Default)]
pub(crate) struct ColumnCache {
    segments: Arc<Mutex<HashMap<SegmentId, SortColumns>>>,
}

impl ColumnCache {
    /// The sort columns of `reader`'s segment, opened on first use.
    pub fn get(&self, reader: &SegmentReader) -> tantivy::Result<SortColumns> {
        let id = reader.segment_id();
        if let Some(columns) = self.lock().get(&id) {
            return Ok(columns.clone());
        }
        let fast = reader.fast_fields();
        let columns = SortColumns { time: fast.date("time")?, partition: fast.u64("partition")?, offset: fast.u64("offset")? };
        self.lock().insert(id, columns.clone());
        Ok(columns)
    }

    /// Forgets every segment not in `live`.
    pub fn retain(&self, live: &[SegmentReader]) {
        let mut segments = self.lock();
        if segments.len() > live.len() {
            segments.retain(|id, _| live.iter().any(|r| r.segment_id() == *id));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, SortColumns>> {
        self.segments.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
