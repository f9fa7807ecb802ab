//! NetRaven's full-text search: a Tantivy index over job log entries and captured command
//! outputs and configurations, fed exactly once from the event log, and the search API over it.
//!
//! Write with [`Indexer`] ([`Indexer::run`] follows the log, [`rebuild`] starts over); read
//! with [`Searcher::search`]. See `README.md` for the index's fields and decisions.
#![warn(missing_docs)]

mod collector;
mod columns;
mod compaction;
mod cursor;
mod document;
mod error;
mod indexer;
mod plan;
mod projection;
mod query;
mod request;
mod runner;
mod schema;
mod searcher;
mod snippet;
mod stored;
pub mod tokenizer;

pub use compaction::Compaction;
pub use error::{Error, Result};
pub use indexer::{Indexer, IndexerSettings};
pub use request::{Hit, Kind, MAX_LIMIT, SearchPage, SearchRequest, Snippet, Sort};
pub use runner::rebuild;
pub use searcher::Searcher;
