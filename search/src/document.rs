//! Turns an indexable event (log entry, command output, configuration capture) into the
//! document the index stores, with the job and device context the projection knows.

use crate::projection::Projection;
use crate::request::Kind;
use crate::schema::{Fields, to_date};
use netraven_events::catalog::{DeviceId, JobId, JobType, LogLevel};
use netraven_events::{EventData, RecordedEvent};
use tantivy::TantivyDocument;
use uuid::Uuid;

/// An event ready to be written: its place in the log and, if it is indexed, its document.
#[derive(Debug)]
pub(crate) struct Prepared {
    /// Partition of the event.
    pub partition: u32,
    /// Offset of the event in its partition.
    pub offset: u64,
    /// The event's id.
    pub event_id: Uuid,
    /// The document, for indexable events.
    pub doc: Option<TantivyDocument>,
    /// For a configuration: its device and content hash (decides whether it is a new version).
    pub config: Option<(DeviceId, String)>,
}

/// The indexed parts of an event.
struct Entry<'a> {
    kind: Kind,
    job_id: JobId,
    device_id: Option<DeviceId>,
    text: &'a str,
    command: Option<&'a str>,
    level: Option<LogLevel>,
    category: Option<&'a str>,
    source: &'a str,
    time: chrono::DateTime<chrono::Utc>,
    content_hash: Option<&'a str>,
}

/// Prepares `recorded` with the context in `projection`.
pub(crate) fn prepare(fields: &Fields, projection: &Projection, recorded: &RecordedEvent) -> Prepared {
    let event = &recorded.event;
    let entry = entry(&event.data, &event.source, event.time);
    let config = match &event.data {
        EventData::ConfigCaptured(c) => Some((c.device_id, c.content_hash.clone())),
        _ => None,
    };
    let doc = entry.map(|entry| {
        let mut doc = TantivyDocument::new();
        let job = projection.job(&entry.job_id).copied().unwrap_or_default();
        let device_id = entry.device_id.or(job.device_id);
        doc.add_text(fields.kind, entry.kind.as_str());
        doc.add_text(fields.text, entry.text);
        doc.add_text(fields.event_id, event.id.to_string());
        doc.add_text(fields.job_id, entry.job_id.to_string());
        doc.add_text(fields.source, entry.source);
        doc.add_date(fields.time, to_date(entry.time));
        doc.add_u64(fields.partition, u64::from(recorded.partition));
        doc.add_u64(fields.offset, recorded.offset);
        let optional = [
            (fields.command, entry.command),
            (fields.level, entry.level.map(level_name)),
            (fields.category, entry.category),
            (fields.content_hash, entry.content_hash),
            (fields.job_type, job.job_type.map(job_type_name)),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        if let Some(device_id) = device_id {
            doc.add_text(fields.device_id, device_id.to_string());
            if let Some(device) = projection.device(&device_id) {
                doc.add_text(fields.device_name, &device.name);
                for tag in &device.tags {
                    doc.add_text(fields.tags, tag);
                }
            }
        }
        doc
    });
    Prepared { partition: recorded.partition, offset: recorded.offset, event_id: event.id, doc, config }
}

/// What of `data` is indexed, if anything.
fn entry<'a>(data: &'a EventData, source: &'a str, time: chrono::DateTime<chrono::Utc>) -> Option<Entry<'a>> {
    let base = |kind, job_id, device_id, text| Entry {
        kind,
        job_id,
        device_id,
        text,
        command: None,
        level: None,
        category: None,
        source,
        time,
        content_hash: None,
    };
    Some(match data {
        EventData::JobLogged(e) => Entry {
            level: Some(e.level),
            category: Some(&e.category),
            source: &e.source_component,
            time: e.timestamp,
            ..base(Kind::Log, e.job_id, None, &e.message)
        },
        EventData::CommandOutputCaptured(e) => {
            Entry { command: Some(&e.command), ..base(Kind::Output, e.job_id, Some(e.device_id), &e.output) }
        }
        EventData::ConfigCaptured(e) => {
            Entry { content_hash: Some(&e.content_hash), ..base(Kind::Config, e.job_id, Some(e.device_id), &e.content) }
        }
        _ => return None,
    })
}

/// A level's name in the index.
pub(crate) fn level_name(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Debug => "debug",
        LogLevel::Info => "info",
        LogLevel::Warning => "warning",
        LogLevel::Error => "error",
        LogLevel::Critical => "critical",
    }
}

/// Parses a level's name in the index.
pub(crate) fn parse_level(name: &str) -> Option<LogLevel> {
    use LogLevel::*;
    [Debug, Info, Warning, Error, Critical].into_iter().find(|l| level_name(*l) == name)
}

/// A job type's name in the index (its serialized name).
pub(crate) fn job_type_name(job_type: JobType) -> &'static str {
    match job_type {
        JobType::Backup => "backup",
        JobType::Command => "command",
        JobType::Detect => "detect",
    }
}
