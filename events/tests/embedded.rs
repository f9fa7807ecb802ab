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

#[tokio::test]
async fn another_handle_on_the_same_file_reads_and_follows_its_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let (writer, reader) = (EmbeddedLog::open(&path).unwrap(), EmbeddedLog::open(&path).unwrap());
    let mut live = reader.subscribe(reader.head().await.unwrap()).await.unwrap();
    let job = netraven_events::catalog::JobId::new();
    writer.append(AppendBatch::new(vec![requested(job), log_event(job, "seen elsewhere")])).await.unwrap();

    assert_eq!(reader.read_stream(&job.stream(), 1).await.unwrap().len(), 2, "a stream read sees the other handle's commit");
    let mut all = reader.read_all(netraven_events::Position::start()).await.unwrap();
    let mut count = 0;
    while let Some(event) = all.next().await {
        event.unwrap();
        count += 1;
    }
    assert_eq!(count, 2, "a bounded read reaches the other handle's last event");
    let mut followed = Vec::new();
    for _ in 0..2 {
        let next = tokio::time::timeout(std::time::Duration::from_secs(5), live.next()).await.expect("the subscriber's poll finds it");
        followed.push(next.unwrap().unwrap());
    }
    assert_eq!(message(&followed[1]), "seen elsewhere");
}
