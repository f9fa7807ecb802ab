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

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    #[test]
    fn columns_are_read_once_per_segment_and_forgotten_when_merged_away() {
        let schema = crate::schema::build();
        let (partition, offset) = (schema.get_field("partition").unwrap(), schema.get_field("offset").unwrap());
        let index = Index::create_in_ram(schema);
        crate::tokenizer::register(index.tokenizers(), crate::tokenizer::TokenizerMode::Index);
        let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for n in 0..2u64 {
            writer.add_document(doc!(partition => n, offset => 10 + n)).unwrap();
            writer.commit().unwrap();
        }
        let reader = index.reader().unwrap();
        let cache = ColumnCache::default();
        let offsets = |searcher: &tantivy::Searcher| {
            let mut all: Vec<u64> = searcher.segment_readers().iter().map(|r| cache.get(r).unwrap().offset.first(0).unwrap()).collect();
            all.sort();
            all
        };
        assert_eq!(offsets(&reader.searcher()), [10, 11]);
        assert_eq!(cache.lock().len(), 2);

        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        cache.retain(searcher.segment_readers());
        assert!(cache.lock().is_empty(), "merged-away segments are forgotten");
        let merged = &searcher.segment_readers()[0];
        let column = cache.get(merged).unwrap().offset;
        let mut offsets: Vec<u64> = (0..2).flat_map(|doc| column.values_for_doc(doc)).collect();
        offsets.sort();
        assert_eq!(offsets, [10, 11]);
        assert_eq!(cache.lock().len(), 1);
    }
}
