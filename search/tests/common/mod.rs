//! Shared fixtures: a real embedded event log in a temp dir, events of a small network, and
//! helpers that index the log and search it.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use netraven_events::catalog::*;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, Cause, Event, EventData, EventLog, RecordedEvent};
use netraven_search::{Indexer, IndexerSettings, SearchPage, SearchRequest, Searcher};
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

/// A temp folder with an event log and an index folder.
pub struct World {
    pub dir: TempDir,
    pub log: Arc<dyn EventLog>,
}

impl World {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.path().join("events.db")).unwrap());
        World { dir, log }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub async fn append(&self, data: Vec<EventData>) {
        let cause = Cause { source: "/netraven/test".into(), actor: "tester".into(), correlation_id: "corr-1".into(), causation_id: None };
        let events = data.into_iter().map(|d| Event::new(d, &cause)).collect();
        self.log.append(AppendBatch::new(events)).await.unwrap();
    }

    /// Every event in the log, in order.
    pub async fn recorded(&self) -> Vec<RecordedEvent> {
        let mut sub = self.log.read_all(netraven_events::Position::start()).await.unwrap();
        let mut out = Vec::new();
        while let Some(e) = sub.next().await {
            out.push(e.unwrap());
        }
        out
    }

    /// Opens the indexer, applies everything in the log, commits, and returns a fresh searcher.
    pub async fn index_all(&self) -> Searcher {
        let dir = self.index_dir();
        let indexer = tokio::task::spawn_blocking(move || Indexer::open(&dir, IndexerSettings::default())).await.unwrap().unwrap();
        let indexer = indexer.catch_up(self.log.clone(), |_| {}).await.unwrap();
        drop(indexer);
        Searcher::open(&self.index_dir()).unwrap()
    }
}

/// A fixed base time so time filters are deterministic.
pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap() + Duration::minutes(minutes)
}

pub use netraven_test_support::fixtures::device_registered as registered;

pub fn requested(job_id: JobId, job_type: JobType, device_id: DeviceId) -> EventData {
    let kind = serde_json::to_value(job_type).unwrap();
    netraven_test_support::fixtures::job_requested(job_id, device_id, kind.as_str().unwrap(), 0)
}

pub fn logged(job_id: JobId, minute: i64, level: LogLevel, category: &str, message: &str) -> EventData {
    JobLogged {
        job_id,
        timestamp: t(minute),
        level,
        category: category.into(),
        message: message.into(),
        details: Default::default(),
        source_component: "device-agent".into(),
        correlation_id: "corr-1".into(),
        filter_version: 3,
    }
    .into()
}

pub fn output(job_id: JobId, device_id: DeviceId, command: &str, text: &str) -> EventData {
    CommandOutputCaptured { job_id, attempt: 1, device_id, command: command.into(), output: text.into(), filter_version: 3 }.into()
}

pub fn config(job_id: JobId, device_id: DeviceId, content: &str, hash: &str) -> EventData {
    netraven_test_support::fixtures::config_captured(job_id, device_id, 1, content, hash)
}

/// Searches `q` with everything else default.
pub fn q(searcher: &Searcher, q: &str) -> SearchPage {
    searcher.search(&SearchRequest { q: q.into(), ..Default::default() }).unwrap()
}
