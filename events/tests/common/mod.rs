//! Shared helpers and the one generic test suite every `EventLog` backend must pass.

#![allow(dead_code)]

#[macro_use]
pub mod suite;
#[allow(unused_imports)]
pub use suite::big_config;

use netraven_events::catalog::*;
use netraven_events::{Cause, Event, EventLog, Position, RecordedEvent, Subscription};
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

/// A fresh, empty log plus whatever must live as long as it (a temp dir, a topic name).
pub struct Harness {
    pub log: Arc<dyn EventLog>,
    pub keep: Box<dyn Any + Send>,
}

/// The cause stamped on test events.
pub fn cause() -> Cause {
    Cause {
        source: "/netraven/tests".into(),
        actor: "tester".into(),
        correlation_id: "corr-test".into(),
        causation_id: None,
    }
}

/// A `job.logged` event on `job`'s stream carrying `message`.
pub fn log_event(job: JobId, message: &str) -> Event {
    Event::new(
        JobLogged {
            job_id: job,
            timestamp: chrono::Utc::now(),
            level: LogLevel::Info,
            category: "test".into(),
            message: message.into(),
            details: Default::default(),
            source_component: "tests".into(),
            correlation_id: "corr-test".into(),
            filter_version: 1,
        },
        &cause(),
    )
}

/// A `job.requested` event opening `job`'s stream.
pub fn requested(job: JobId) -> Event {
    Event::new(
        JobRequested {
            job_id: job,
            job_type: JobType::Backup,
            target: JobTarget::Device { device_id: DeviceId::new() },
            parameters: JobParameters::default(),
            priority: 0,
            depends_on: vec![],
            timeout_secs: 30,
            force: false,
            parent_job_id: None,
            schedule_id: None,
            idempotency_key: None,
            child_count: None,
        },
        &cause(),
    )
}

/// The message of a `job.logged` event.
pub fn message(recorded: &RecordedEvent) -> String {
    match &recorded.event.data {
        EventData::JobLogged(entry) => entry.message.clone(),
        other => panic!("unexpected event {other:?}"),
    }
}

/// Takes `n` events from a subscription, failing after `timeout`.
pub async fn take(sub: &mut Subscription, n: usize, timeout: Duration) -> Vec<RecordedEvent> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        match tokio::time::timeout(timeout, sub.next()).await {
            Ok(Some(Ok(recorded))) => out.push(recorded),
            Ok(Some(Err(err))) => panic!("subscription failed: {err}"),
            Ok(None) => panic!("subscription ended after {} of {n} events", out.len()),
            Err(_) => panic!("timed out after {} of {n} events", out.len()),
        }
    }
    out
}

/// Every event after `from`, through a bounded read.
pub async fn read_all(log: &dyn EventLog, from: Position) -> Vec<RecordedEvent> {
    let mut sub = log.read_all(from).await.expect("read_all");
    let mut out = Vec::new();
    while let Some(item) = sub.next().await {
        out.push(item.expect("read_all item"));
    }
    out
}
