//! Job logging (the seed's `JobLoggingService`): structured entries, passed through the
//! sensitive-data filter, written as `netraven.job.logged.v1` events on the job's stream.

use crate::catalog::{JobId, JobLogged, LogLevel};
use crate::{AppendBatch, Appended, Cause, Event, EventData, EventLog, Result};
use chrono::{DateTime, Utc};
use netraven_redact::SensitiveDataFilter;
use serde_json::{Map, Value};
use std::sync::Arc;

/// One job log entry before filtering (the seed's `JobLogEntry`).
#[derive(Clone, Debug, PartialEq)]
pub struct JobLogEntry {
    /// The job.
    pub job_id: JobId,
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// Severity.
    pub level: LogLevel,
    /// Area: `connection`, `authentication`, `execution`, `result`, ...
    pub category: String,
    /// Human-readable message.
    pub message: String,
    /// Structured context.
    pub details: Map<String, Value>,
    /// Correlation id of the request or job.
    pub correlation_id: String,
}

impl JobLogEntry {
    /// An entry stamped now, with no details.
    pub fn new(job_id: JobId, level: LogLevel, category: &str, message: impl Into<String>, correlation_id: &str) -> Self {
        JobLogEntry {
            job_id,
            timestamp: Utc::now(),
            level,
            category: category.to_string(),
            message: message.into(),
            details: Map::new(),
            correlation_id: correlation_id.to_string(),
        }
    }

    /// Adds one detail.
    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_string(), value.into());
        self
    }
}

/// Writes and reads job log entries through an event log, never letting a secret through.
#[derive(Clone)]
pub struct JobLogger {
    log: Arc<dyn EventLog>,
    filter: Arc<SensitiveDataFilter>,
    component: String,
}

impl JobLogger {
    /// A logger for entries written by `component` (`device-agent`, `command-handler`, ...).
    pub fn new(log: Arc<dyn EventLog>, filter: Arc<SensitiveDataFilter>, component: &str) -> Self {
        JobLogger { log, filter, component: component.to_string() }
    }

    /// The entry as an event payload, with message and details redacted.
    pub fn filter_entry(&self, entry: JobLogEntry) -> JobLogged {
        let details = match self.filter.redact_json(&Value::Object(entry.details)) {
            Value::Object(map) => map,
            other => Map::from_iter([("value".to_string(), other)]),
        };
        JobLogged {
            job_id: entry.job_id,
            timestamp: entry.timestamp,
            level: entry.level,
            category: entry.category,
            message: self.filter.redact_text(&entry.message).to_string(),
            details,
            source_component: self.component.clone(),
            correlation_id: entry.correlation_id,
            filter_version: self.filter.version(),
        }
    }

    /// The event recording `entry` on behalf of `actor`, ready to append with other events.
    pub fn event(&self, entry: JobLogEntry, actor: &str) -> Event {
        let cause = Cause {
            source: format!("/netraven/{}", self.component),
            actor: actor.to_string(),
            correlation_id: entry.correlation_id.clone(),
            causation_id: None,
        };
        Event::new(self.filter_entry(entry), &cause)
    }

    /// Filters and appends one entry (the seed's `log_entry`).
    pub async fn log_entry(&self, entry: JobLogEntry, actor: &str) -> Result<Appended> {
        let appended = self.log.append(AppendBatch::new(vec![self.event(entry, actor)])).await?;
        Ok(appended[0])
    }

    /// Every entry of a job, in order (the seed's `get_job_logs`).
    pub async fn get_job_logs(&self, job_id: JobId) -> Result<Vec<JobLogged>> {
        let events = self.log.read_stream(&job_id.stream(), 1).await?;
        Ok(events
            .into_iter()
            .filter_map(|r| match r.event.data {
                EventData::JobLogged(entry) => Some(entry),
                _ => None,
            })
            .collect())
    }
}
