//! Merging a bulk-loaded index (a rebuild) into as many segments as the machine has cores: a
//! selective search sets up its scorers once per segment, and a broad one still searches its
//! segments on every core at once.

use crate::Result;
use crate::indexer::Indexer;
use tantivy::FutureResult;
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::NoMergePolicy;

/// Merges of the committed segments, running on Tantivy's merge threads.
#[must_use = "the merges go on without being waited for; `wait` to know when they are done"]
pub struct Compaction(Vec<FutureResult<Option<SegmentMeta>>>);

impl Compaction {
    /// Blocks until the merged segments replace the others in the index.
    pub fn wait(self) -> Result<()> {
        for merge in self.0 {
            merge.wait()?;
        }
        Ok(())
    }
}

impl Indexer {
    /// Stops the background merges of small segments, for a bulk load that ends with
    /// [`Indexer::compact`]: merging while loading would merge the same documents again and again.
    pub(crate) fn start_bulk_load(&self) {
        self.writer.set_merge_policy(Box::new(NoMergePolicy));
    }

    /// Starts merging the committed segments into one per core, of about equal sizes, and
    /// returns at once; background merges of the segments later commits add resume. Commit
    /// first: uncommitted documents are not merged.
    pub fn compact(&mut self) -> Result<Compaction> {
        self.writer.set_merge_policy(crate::indexer::live_merge_policy());
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let merges = balance(self.writer.index().searchable_segment_metas()?, cores);
        Ok(Compaction(merges.into_iter().filter(|ids| ids.len() > 1).map(|ids| self.writer.merge(&ids)).collect()))
    }
}

/// Segments grouped into at most `groups` groups of about equal document counts: each
/// segment, largest first, joins the smallest group so far.
fn balance(mut segments: Vec<SegmentMeta>, groups: usize) -> Vec<Vec<SegmentId>> {
    segments.sort_by_key(|s| std::cmp::Reverse(s.num_docs()));
    let mut bins: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); groups.max(1)];
    for segment in segments {
        let bin = bins.iter_mut().min_by_key(|(docs, _)| *docs).expect("at least one group");
        bin.0 += u64::from(segment.num_docs());
        bin.1.push(segment.id());
    }
    bins.into_iter().map(|(_, ids)| ids).filter(|ids| !ids.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_balanced_largest_first_into_at_most_the_groups_asked() {
        let sizes = [100u32, 70, 60, 40, 30, 5];
        let metas: Vec<SegmentMeta> = {
            let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
            sizes.iter().map(|n| index.new_segment_meta(SegmentId::generate_random(), *n)).collect()
        };
        let size = |id: &SegmentId| metas.iter().find(|m| m.id() == *id).map_or(0, |m| m.num_docs());
        let groups = balance(metas.clone(), 2);
        let totals: Vec<u32> = groups.iter().map(|g| g.iter().map(size).sum()).collect();
        assert_eq!(totals, [100 + 40 + 5, 70 + 60 + 30]);
        assert_eq!(balance(metas.clone(), 8).len(), 6, "no empty group");
        assert_eq!(balance(metas, 1).len(), 1);
    }
}
