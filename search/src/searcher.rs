//! The reading side: runs a search request against the index's latest commit and returns one
//! page of hits with highlighted snippets. It never writes, so any number of processes may
//! search while one indexer writes.

use crate::collector::PageCollector;
use crate::columns::ColumnCache;
use crate::cursor::{self, SortKey};
use crate::document::parse_level;
use crate::plan::{self, DocFreqs};
use crate::query::QueryBuilder;
use crate::request::{Hit, Kind, MAX_LIMIT, SearchPage, SearchRequest};
use crate::schema::{self, Fields};
use crate::snippet::Snippets;
use crate::stored::StoredText;
use crate::{Error, Result};
use netraven_events::catalog::{DeviceId, JobId};
use std::path::Path;
use std::sync::Arc;
use tantivy::collector::{Collector, Count};
use tantivy::query::EnableScoring;
use tantivy::schema::Field;
use tantivy::{Executor, IndexReader, ReloadPolicy};
use uuid::Uuid;

/// Page size when the request gives none.
const DEFAULT_LIMIT: usize = 20;

/// Searches the index in one folder. Cheap to clone; its methods block (disk reads), so call
/// them from `spawn_blocking` in async code.
#[derive(Clone)]
pub struct Searcher {
    inner: Arc<Inner>,
}

struct Inner {
    reader: IndexReader,
    fields: Fields,
    queries: QueryBuilder,
    columns: ColumnCache,
}

impl Searcher {
    /// Opens the index in `dir` (an empty one is created if none exists yet); new commits
    /// become visible shortly after they happen, or at once after [`Searcher::reload`].
    pub fn open(dir: &Path) -> Result<Self> {
        let (mut index, fields) = schema::open_index(dir)?;
        // A query's segments are searched in parallel, one thread per core: a query with
        // hundreds of thousands of hits no longer waits on one core.
        index.set_default_multithread_executor()?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        let queries = QueryBuilder::new(index.schema(), fields);
        Ok(Searcher { inner: Arc::new(Inner { reader, fields, queries, columns: ColumnCache::default() }) })
    }

    /// Makes the latest commit visible now.
    pub fn reload(&self) -> Result<()> {
        Ok(self.inner.reader.reload()?)
    }

    /// Runs `request`: [`Error::InvalidQuery`] says where a malformed query goes wrong,
    /// [`Error::InvalidCursor`] and [`Error::InvalidRequest`] refuse bad paging or filters.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchPage> {
        let limit = validate(request)?;
        let after = request.cursor.as_deref().map(|c| cursor::decode(c, request.sort)).transpose()?;
        let (query, required) = self.inner.queries.build(request)?;
        let searcher = self.inner.reader.searcher();
        self.inner.columns.retain(searcher.segment_readers());
        let collector = (Count, PageCollector::new(self.inner.columns.clone(), request.sort, after, limit + 1));
        let freqs = DocFreqs::new(&searcher);
        let executor = match plan::estimate(query.as_ref(), &required, &freqs)? < plan::PARALLEL_FROM {
            true => &Executor::SingleThread,
            false => searcher.index().search_executor(),
        };
        let scoring = match collector.requires_scoring() {
            true => EnableScoring::enabled_from_statistics_provider(&freqs, &searcher),
            false => EnableScoring::disabled_from_searcher(&searcher),
        };
        let (total_hits, mut ranked) = searcher.search_with_executor(query.as_ref(), &collector, executor, scoring)?;
        let next_cursor = (ranked.len() > limit).then(|| cursor::encode(request.sort, &ranked[limit - 1].0));
        ranked.truncate(limit);
        let mut snippets = Snippets::new(&freqs, query.as_ref(), self.inner.fields.text)?;
        let hits = ranked
            .into_iter()
            .map(|(key, address)| Ok(self.hit(&searcher.doc(address)?, &key, &mut snippets)))
            .collect::<Result<Vec<Hit>>>()?;
        Ok(SearchPage { total_hits, hits, next_cursor })
    }

    /// A hit from a stored document.
    fn hit(&self, doc: &StoredText, key: &SortKey, snippets: &mut Snippets) -> Hit {
        let f = &self.inner.fields;
        let text = |field: Field| doc.get(field);
        let uuid = |field: Field| Uuid::parse_str(text(field)).ok();
        Hit {
            event_id: uuid(f.event_id).unwrap_or_default(),
            job_id: uuid(f.job_id).map(JobId),
            device_id: uuid(f.device_id).map(DeviceId),
            kind: Kind::parse(text(f.kind)).unwrap_or(Kind::Log),
            time: chrono::DateTime::from_timestamp_micros(key.time).unwrap_or_default(),
            level: parse_level(text(f.level)),
            content_hash: Some(text(f.content_hash)).filter(|h| !h.is_empty()).map(str::to_string),
            snippet: snippets.cut(text(f.text)),
            score: key.score,
        }
    }
}

/// The page size, after checking the request's parameters.
fn validate(request: &SearchRequest) -> Result<usize> {
    if request.limit > MAX_LIMIT {
        return Err(Error::InvalidRequest(format!("limit {} is above the maximum of {MAX_LIMIT}", request.limit)));
    }
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from >= to
    {
        return Err(Error::InvalidRequest(format!("time range is empty: from {from} is not before to {to}")));
    }
    if request.latest_only && !request.kinds.is_empty() && !request.kinds.contains(&Kind::Config) {
        return Err(Error::InvalidRequest("latest_only searches configurations, but kinds excludes config".into()));
    }
    Ok(if request.limit == 0 { DEFAULT_LIMIT } else { request.limit })
}
