//! The shared event-log suite against the embedded (SQLite) backend, plus its durability tests.

mod common;

use common::Harness;
use netraven_events::EventLog;
use netraven_events::log::embedded::EmbeddedLog;
use std::sync::Arc;

async fn fresh() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let log = EmbeddedLog::open(dir.path().join("events.db")).unwrap();
    Harness { log: Arc::new(log), keep: Box::new(dir) }
}

event_log_suite!(fresh);

#[tokio::test]
async fn events_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let job = netraven_events::catalog::JobId::new();
    {
        let log = EmbeddedLog::open(&path).unwrap();
        log.append(AppendBatch::new(vec![requested(job), log_event(job, "kept")])).await.unwrap();
        log.close();
    }
    let log = EmbeddedLog::open(&path).unwrap();
    let stream = log.read_stream(&job.stream(), 1).await.unwrap();
    assert_eq!(stream.len(), 2);
    assert_eq!(message(&stream[1]), "kept");
    let next = log.append(AppendBatch::new(vec![log_event(job, "after")])).await.unwrap();
    assert_eq!(next[0].stream_version, 3);
}
