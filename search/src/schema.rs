//! The index schema: one document per job log entry, command output or configuration version,
//! and the handles of its fields.

use crate::tokenizer::TOKENIZER_NAME;
use crate::{Error, Result};
use tantivy::DateTime;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

/// The handles of every field, looked up once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// The searched text: a log message, a command output or a configuration (stored for snippets).
    pub text: Field,
    /// The command whose output this is (outputs only).
    pub command: Field,
    /// The device's name when the entry was indexed.
    pub device_name: Field,
    /// The event's id (UUID text): the key that makes indexing idempotent.
    pub event_id: Field,
    /// The job's id.
    pub job_id: Field,
    /// The device's id.
    pub device_id: Field,
    /// The device's tags when the entry was indexed (one value each).
    pub tags: Field,
    /// Log level, lowercase (logs only).
    pub level: Field,
    /// Log category (logs only).
    pub category: Field,
    /// Job type (`backup`, `command`, `detect`).
    pub job_type: Field,
    /// `log`, `output` or `config`.
    pub kind: Field,
    /// The component that wrote the entry (log `source_component`, else the event's source).
    pub source: Field,
    /// When it happened (fast field, microseconds).
    pub time: Field,
    /// Event-log partition of the event.
    pub partition: Field,
    /// Event-log offset of the event in its partition.
    pub offset: Field,
    /// Content hash of a configuration.
    pub content_hash: Field,
    /// True only on the one "latest copy" document of a device's current configuration.
    pub latest: Field,
    /// The device id, on latest copies only: deleting this term retires a device's latest copy.
    pub latest_of: Field,
}

/// Builds the schema. Only what a hit shows is stored: the index is a projection of the event
/// log, so a field a later version wants to show comes back with a rebuild.
pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(TOKENIZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let searched = TextOptions::default().set_indexing_options(text_indexing);
    b.add_text_field("text", searched.clone().set_stored());
    b.add_text_field("command", searched.clone());
    b.add_text_field("device_name", searched);
    b.add_text_field("device_id", STRING | STORED | FAST);
    for name in ["event_id", "job_id", "level", "kind", "content_hash"] {
        b.add_text_field(name, STRING | STORED);
    }
    for name in ["tags", "category", "job_type", "source", "latest_of"] {
        b.add_text_field(name, STRING);
    }
    // Time ranges are read from the column (Tantivy's range query uses a fast field when there
    // is one): indexing the time too would only add a term per document to the dictionary.
    let time = DateOptions::default().set_fast().set_precision(DateTimePrecision::Microseconds);
    b.add_date_field("time", time);
    let position = NumericOptions::default().set_fast();
    b.add_u64_field("partition", position.clone());
    b.add_u64_field("offset", position);
    b.add_bool_field("latest", INDEXED);
    b.build()
}

/// Documents are kept in device order within each segment: a device's entries sit together,
/// so a search on one device reads a few neighbouring posting blocks and stored blocks instead
/// of one per entry across the whole log.
fn settings() -> tantivy::IndexSettings {
    let sort_by_field = tantivy::IndexSortByField { field: "device_id".into(), order: tantivy::Order::Asc };
    tantivy::IndexSettings { sort_by_field: Some(sort_by_field), ..Default::default() }
}

impl Fields {
    /// Looks up every field in `schema`; an index built by another schema is refused.
    pub(crate) fn of(schema: &Schema) -> Result<Self> {
        let get = |name: &str| schema.get_field(name).map_err(|_| Error::Corrupt(format!("the index has no field `{name}`")));
        Ok(Fields {
            text: get("text")?,
            command: get("command")?,
            device_name: get("device_name")?,
            event_id: get("event_id")?,
            job_id: get("job_id")?,
            device_id: get("device_id")?,
            tags: get("tags")?,
            level: get("level")?,
            category: get("category")?,
            job_type: get("job_type")?,
            kind: get("kind")?,
            source: get("source")?,
            time: get("time")?,
            partition: get("partition")?,
            offset: get("offset")?,
            content_hash: get("content_hash")?,
            latest: get("latest")?,
            latest_of: get("latest_of")?,
        })
    }
}

/// A chrono time as a Tantivy date.
pub(crate) fn to_date(time: chrono::DateTime<chrono::Utc>) -> DateTime {
    DateTime::from_timestamp_micros(time.timestamp_micros())
}


/// Opens the index in `dir`, creating the folder and an empty index if there is none, with the
/// `netraven` tokenizer registered in index mode (what documents and snippets are cut with).
pub(crate) fn open_index(dir: &std::path::Path) -> Result<(tantivy::Index, Fields)> {
    std::fs::create_dir_all(dir)?;
    let index = if dir.join("meta.json").exists() {
        tantivy::Index::open_in_dir(dir)?
    } else {
        match tantivy::Index::builder().schema(build()).settings(settings()).create_in_dir(dir) {
            Ok(index) => index,
            // Another process created it meanwhile.
            Err(tantivy::TantivyError::IndexAlreadyExists) => tantivy::Index::open_in_dir(dir)?,
            Err(e) => return Err(e.into()),
        }
    };
    crate::tokenizer::register(index.tokenizers(), crate::tokenizer::TokenizerMode::Index);
    let fields = Fields::of(&index.schema())?;
    Ok((index, fields))
}
