//! The writing side: applies recorded events to the index exactly once. The applied position
//! is stored in each Tantivy commit's payload, so a reopened indexer resumes where its last
//! commit ended; an event id already in the index is never added twice.

use crate::document::{self, Prepared};
use crate::projection::Projection;
use crate::schema::{self, Fields};
use crate::stored::StoredText;
use crate::{Error, Result};
use netraven_events::catalog::DeviceId;
use netraven_events::{Position, RecordedEvent};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};
use tantivy::collector::TopDocs;
use tantivy::directory::Directory;
use tantivy::directory::error::DeleteError;
use tantivy::index::{SegmentComponent, SegmentId};
use tantivy::indexer::LogMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

/// Ids remembered since the last snapshot of the committed index; past this, the snapshot is
/// refreshed at the next commit and the set starts over.
const SEEN_LIMIT: usize = 1 << 20;

/// When the indexer commits and how much memory it may buffer.
#[derive(Clone, Debug)]
pub struct IndexerSettings {
    /// Commit once this many documents are pending.
    pub commit_docs: usize,
    /// Commit when the oldest uncommitted change is this old.
    pub commit_interval: Duration,
    /// Tantivy's indexing memory budget, shared by its indexing threads.
    pub memory_budget_bytes: usize,
}

impl Default for IndexerSettings {
    fn default() -> Self {
        IndexerSettings { commit_docs: 10_000, commit_interval: Duration::from_secs(1), memory_budget_bytes: 64 << 20 }
    }
}

impl IndexerSettings {
    /// For a rebuild, which starts from an empty index (a rebuild cut short starts over, so a
    /// commit on the way resumes nothing). With 1 GiB to buffer, each indexing thread writes a
    /// few large segments, so there is little to merge. It commits at the end and every 5M
    /// documents: the event ids kept to skip duplicate deliveries (16 bytes each) are only let
    /// go at a commit, so the cap bounds them too.
    pub fn bulk() -> Self {
        IndexerSettings { commit_docs: 5_000_000, commit_interval: Duration::from_secs(600), memory_budget_bytes: 1 << 30 }
    }
}

/// How segments are merged while the index follows the log: Tantivy's default, which merges
/// segments of similar size once there are enough of them.
pub(crate) fn live_merge_policy() -> Box<dyn tantivy::indexer::MergePolicy> {
    Box::new(LogMergePolicy::default())
}

/// Writes events into the index in one folder; only one indexer may hold a folder at a time.
///
/// Its methods block (disk I/O): call them off the async runtime, as [`Indexer::run`] does.
pub struct Indexer {
    pub(crate) writer: IndexWriter,
    reader: IndexReader,
    fields: Fields,
    settings: IndexerSettings,
    projection: Projection,
    applied: Position,
    committed: Position,
    /// The committed index when opened (or when `seen` last started over).
    base: tantivy::Searcher,
    /// Event ids written since `base` was taken.
    seen: HashSet<Uuid>,
    /// Each device's latest configuration hash, once known.
    config_hashes: HashMap<DeviceId, String>,
    /// Committed segments whose unsorted store copy is already gone.
    without_temp_store: HashSet<SegmentId>,
    pending_docs: usize,
    dirty_since: Option<Instant>,
}

impl Indexer {
    /// Opens the index in `dir` (created if missing) and resumes from its last commit's position.
    pub fn open(dir: &Path, settings: IndexerSettings) -> Result<Self> {
        let (index, fields) = schema::open_index(dir)?;
        let committed = match index.load_metas()?.payload {
            Some(payload) => payload.parse().map_err(|e| Error::Corrupt(format!("commit payload `{payload}`: {e}")))?,
            None => Position::start(),
        };
        let writer: IndexWriter = index.writer(settings.memory_budget_bytes)?;
        writer.set_merge_policy(live_merge_policy());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let base = reader.searcher();
        Ok(Indexer {
            writer,
            reader,
            fields,
            settings,
            projection: Projection::default(),
            applied: committed.clone(),
            committed,
            base,
            seen: HashSet::new(),
            config_hashes: HashMap::new(),
            without_temp_store: HashSet::new(),
            pending_docs: 0,
            dirty_since: None,
        })
    }

    /// Deletes the index in `dir` and opens an empty one for a bulk load (the start of a
    /// rebuild): its segments are not merged until [`Indexer::compact`].
    pub fn recreate(dir: &Path, settings: IndexerSettings) -> Result<Self> {
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
        let indexer = Self::open(dir, settings)?;
        indexer.start_bulk_load();
        Ok(indexer)
    }

    /// The position after the last applied event (committed or not).
    pub fn position(&self) -> &Position {
        &self.applied
    }

    /// The position stored by the last commit: where a reopened indexer resumes.
    pub fn committed_position(&self) -> &Position {
        &self.committed
    }

    /// The settings it was opened with.
    pub fn settings(&self) -> &IndexerSettings {
        &self.settings
    }

    /// Applies one event: indexes it if it is a log entry, an output or a new configuration
    /// version, and moves the position past it. An event at or before the position, or whose id
    /// is already indexed, changes nothing. Returns whether a document was added.
    pub fn apply(&mut self, recorded: &RecordedEvent) -> Result<bool> {
        if self.is_applied(recorded) {
            return Ok(false);
        }
        let prepared = self.prepare(recorded);
        self.write(prepared)
    }

    /// Commits pending documents with the applied position as payload.
    pub fn commit(&mut self) -> Result<()> {
        let payload = self.applied.to_string();
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.remove_committed_temp_stores()?;
        tracing::debug!(position = %payload, docs = self.pending_docs, "search index committed");
        self.committed = self.applied.clone();
        self.pending_docs = 0;
        self.dirty_since = None;
        if self.seen.len() > SEEN_LIMIT {
            self.reader.reload()?;
            self.base = self.reader.searcher();
            self.seen.clear();
        }
        Ok(())
    }

    /// Deletes the unsorted copy of the document store (`<segment>.store.temp`) that a sorted
    /// index writes for each new segment. Tantivy's garbage collection keeps that copy for as
    /// long as the process lives when deletes are applied to the segment at the commit that adds
    /// it (its segment meta is rebuilt with the copy marked as in use): several times the store's
    /// size on disk. A committed segment's store is final: its copy is never read again. Each
    /// segment is seen to once.
    fn remove_committed_temp_stores(&mut self) -> Result<()> {
        let index = self.writer.index();
        let segments = index.searchable_segment_metas()?;
        self.without_temp_store.retain(|id| segments.iter().any(|s| s.id() == *id));
        for segment in &segments {
            if self.without_temp_store.contains(&segment.id()) {
                continue;
            }
            match index.directory().delete(&segment.relative_path(SegmentComponent::TempStore)) {
                Ok(()) | Err(DeleteError::FileDoesNotExist(_)) => {}
                Err(e) => return Err(Error::Io(std::io::Error::other(e.to_string()))),
            }
            self.without_temp_store.insert(segment.id());
        }
        Ok(())
    }

    /// Commits if enough documents are pending or the oldest change is old enough.
    pub fn commit_if_due(&mut self) -> Result<bool> {
        let due = self.dirty_since.is_some_and(|since| {
            self.pending_docs >= self.settings.commit_docs || since.elapsed() >= self.settings.commit_interval
        });
        if due {
            self.commit()?;
        }
        Ok(due)
    }

    /// Whether anything was applied since the last commit.
    pub(crate) fn is_dirty(&self) -> bool {
        self.dirty_since.is_some()
    }

    /// Whether `recorded` is at or before the applied position.
    pub(crate) fn is_applied(&self, recorded: &RecordedEvent) -> bool {
        self.applied.next_offset(recorded.partition) > recorded.offset
    }

    /// The job and device context, for learning what an event refers to.
    pub(crate) fn projection_mut(&mut self) -> &mut Projection {
        &mut self.projection
    }

    /// Folds `recorded` into the context and builds its document (no index I/O).
    pub(crate) fn prepare(&mut self, recorded: &RecordedEvent) -> Prepared {
        self.projection.observe(&recorded.event.data);
        document::prepare(&self.fields, &self.projection, recorded)
    }

    /// Writes a prepared event (skipping a known id or an unchanged configuration) and moves
    /// the position past it.
    pub(crate) fn write(&mut self, prepared: Prepared) -> Result<bool> {
        let mut added = false;
        if let Some(doc) = prepared.doc
            && !self.contains(prepared.event_id)?
        {
            added = match prepared.config {
                Some((device, hash)) => self.write_config(doc, device, hash)?,
                None => {
                    let mut doc = doc;
                    doc.add_bool(self.fields.latest, false);
                    self.writer.add_document(doc)?;
                    true
                }
            };
            if added {
                self.seen.insert(prepared.event_id);
                self.pending_docs += 1;
            }
        }
        self.applied.advance(prepared.partition, prepared.offset);
        self.dirty_since.get_or_insert_with(Instant::now);
        Ok(added)
    }

    /// Adds a configuration version unless its hash is the device's latest, and makes it the
    /// device's one latest copy (the previous copy is deleted).
    fn write_config(&mut self, mut doc: TantivyDocument, device: DeviceId, hash: String) -> Result<bool> {
        let previous = match self.config_hashes.get(&device) {
            Some(known) => Some(known.clone()),
            None => self.committed_latest_hash(&device)?,
        };
        if previous.as_deref() == Some(hash.as_str()) {
            self.config_hashes.insert(device, hash);
            return Ok(false);
        }
        let device_text = device.to_string();
        self.writer.delete_term(Term::from_field_text(self.fields.latest_of, &device_text));
        let mut copy = doc.clone();
        copy.add_bool(self.fields.latest, true);
        copy.add_text(self.fields.latest_of, &device_text);
        doc.add_bool(self.fields.latest, false);
        self.writer.add_document(doc)?;
        self.writer.add_document(copy)?;
        self.config_hashes.insert(device, hash);
        Ok(true)
    }

    /// Whether a document of this event id was written.
    fn contains(&self, event_id: Uuid) -> Result<bool> {
        if self.seen.contains(&event_id) {
            return Ok(true);
        }
        if self.base.num_docs() == 0 {
            return Ok(false);
        }
        let term = Term::from_field_text(self.fields.event_id, &event_id.to_string());
        Ok(self.base.doc_freq(&term)? > 0)
    }

    /// The content hash of the device's latest copy in the committed index, if any.
    fn committed_latest_hash(&self, device: &DeviceId) -> Result<Option<String>> {
        if self.base.num_docs() == 0 {
            return Ok(None);
        }
        let query = TermQuery::new(Term::from_field_text(self.fields.latest_of, &device.to_string()), IndexRecordOption::Basic);
        let top = self.base.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = top.first() else { return Ok(None) };
        let doc: StoredText = self.base.doc(*address)?;
        Ok(Some(doc.get(self.fields.content_hash).to_string()).filter(|hash| !hash.is_empty()))
    }
}
