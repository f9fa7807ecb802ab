//! What a search asks for and what it returns: the public request and page types.

use chrono::{DateTime, Utc};
use netraven_events::catalog::{DeviceId, JobId, JobType, LogLevel};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Largest page a search returns.
pub const MAX_LIMIT: usize = 1000;

/// What an indexed document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A job log entry (`JobLogged`).
    Log,
    /// A command's output (`CommandOutputCaptured`).
    Output,
    /// A configuration version (`ConfigCaptured` whose content changed).
    Config,
}

impl Kind {
    /// The name stored in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Log => "log",
            Kind::Output => "output",
            Kind::Config => "config",
        }
    }

    /// Parses a stored name.
    pub(crate) fn parse(name: &str) -> Option<Kind> {
        [Kind::Log, Kind::Output, Kind::Config].into_iter().find(|k| k.as_str() == name)
    }
}

/// Order of the hits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (ties: newest first).
    #[default]
    Relevance,
    /// Newest first.
    TimeDesc,
    /// Oldest first.
    TimeAsc,
}

/// A search: a query in Tantivy syntax plus filters (each filter list matches any of its values;
/// different filters must all match).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// Tantivy query syntax over `text` by default (`device_name:`, `command:` and the filter
    /// fields can be named). Empty matches everything. A bare MAC or IPv6 address is quoted for you.
    pub q: String,
    /// Only these kinds.
    pub kinds: Vec<Kind>,
    /// Only log entries of these levels.
    pub levels: Vec<LogLevel>,
    /// Only these jobs.
    pub job_ids: Vec<JobId>,
    /// Only these devices.
    pub device_ids: Vec<DeviceId>,
    /// Only entries of devices carrying any of these tags (when indexed).
    pub tags: Vec<String>,
    /// Only jobs of these types.
    pub job_types: Vec<JobType>,
    /// Only entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only entries before this time.
    pub to: Option<DateTime<Utc>>,
    /// Only each device's current configuration (implies `kinds = [config]`).
    pub latest_only: bool,
    /// Order of the hits.
    pub sort: Sort,
    /// Page size, 1..=[`MAX_LIMIT`] (0 means 20).
    pub limit: usize,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of hits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchPage {
    /// How many documents match, over all pages.
    pub total_hits: usize,
    /// This page's hits, in the requested order.
    pub hits: Vec<Hit>,
    /// Pass it back as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
}

/// One matching document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The event it was indexed from.
    pub event_id: Uuid,
    /// Its job.
    pub job_id: Option<JobId>,
    /// Its device, when known.
    pub device_id: Option<DeviceId>,
    /// What it is.
    pub kind: Kind,
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Log level (log entries only).
    pub level: Option<LogLevel>,
    /// Content hash (configurations only).
    pub content_hash: Option<String>,
    /// The best fragment of the text, with the matched words marked.
    pub snippet: Snippet,
    /// Relevance score (0 when the query has no text terms).
    pub score: f32,
}

/// A fragment of a hit's text around its matches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Snippet {
    /// The fragment as HTML: text escaped, matches wrapped in `<b>`.
    pub html: String,
    /// The fragment as plain text.
    pub text: String,
    /// Byte ranges of the matches within `text`.
    pub highlights: Vec<(usize, usize)>,
}
