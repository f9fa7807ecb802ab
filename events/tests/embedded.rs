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

/// Every event of `log`, from the start to its head.
async fn everything(log: &EmbeddedLog) -> Vec<netraven_events::RecordedEvent> {
    let mut all = log.read_all(netraven_events::Position::start()).await.unwrap();
    let mut events = Vec::new();
    while let Some(event) = all.next().await {
        events.push(event.unwrap());
    }
    events
}

#[tokio::test]
async fn two_handles_appending_to_one_file_keep_each_others_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let (first, second) = (EmbeddedLog::open(&path).unwrap(), EmbeddedLog::open(&path).unwrap());
    let job = netraven_events::catalog::JobId::new();
    for round in 0..3 {
        first.append(AppendBatch::new(vec![log_event(job, &format!("first {round}"))])).await.unwrap();
        second.append(AppendBatch::new(vec![log_event(job, &format!("second {round} is longer"))])).await.unwrap();
    }
    let messages: Vec<String> = everything(&first).await.iter().map(message).collect();
    assert_eq!(messages, ["first 0", "second 0 is longer", "first 1", "second 1 is longer", "first 2", "second 2 is longer"]);
}

#[tokio::test]
async fn a_body_a_crash_tore_drops_its_unacknowledged_event_and_only_that() {
    for tear in ["cut short", "other bytes"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        let job = netraven_events::catalog::JobId::new();
        {
            let log = EmbeddedLog::open(&path).unwrap();
            for text in ["one", "two", "three"] {
                log.append(AppendBatch::new(vec![log_event(job, text)])).await.unwrap();
            }
            log.close();
        }
        // As if the power failed after the third event's row reached the disk but before its
        // body did (and so before it was acknowledged).
        let bodies = std::fs::OpenOptions::new().write(true).open(dir.path().join("events.db-bodies")).unwrap();
        let len = bodies.metadata().unwrap().len();
        match tear {
            "cut short" => bodies.set_len(len - 10).unwrap(),
            _ => std::os::unix::fs::FileExt::write_all_at(&bodies, b"??", len - 40).unwrap(),
        }
        let log = EmbeddedLog::open(&path).unwrap();
        let kept: Vec<String> = everything(&log).await.iter().map(message).collect();
        assert_eq!(kept, ["one", "two"], "{tear}: the earlier events were durable before the third was written");
        let appended = log.append(AppendBatch::new(vec![log_event(job, "four")])).await.unwrap();
        assert_eq!((appended[0].offset, appended[0].stream_version), (3, 3), "{tear}");
        let after: Vec<String> = everything(&log).await.iter().map(message).collect();
        assert_eq!(after, ["one", "two", "four"], "{tear}");
    }
}

#[tokio::test]
async fn a_file_from_before_the_bodies_file_is_read_and_appended_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let job = netraven_events::catalog::JobId::new();
    let old = rusqlite::Connection::open(&path).unwrap();
    old.execute_batch(
        "CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL,
         event_type TEXT NOT NULL, body BLOB NOT NULL, UNIQUE (stream, version));",
    )
    .unwrap();
    let earlier = log_event(job, "stored inline");
    old.execute(
        "INSERT INTO events (stream, version, event_type, body) VALUES (?1, 1, ?2, ?3)",
        rusqlite::params![job.stream().as_str(), earlier.event_type(), earlier.to_json().unwrap()],
    )
    .unwrap();
    drop(old);
    let log = EmbeddedLog::open(&path).unwrap();
    log.append(AppendBatch::new(vec![log_event(job, "in the bodies file")])).await.unwrap();
    let stream = log.read_stream(&job.stream(), 1).await.unwrap();
    let messages: Vec<String> = stream.iter().map(message).collect();
    assert_eq!(messages, ["stored inline", "in the bodies file"]);
    assert_eq!(stream[1].event.stream_version, 2);
}
