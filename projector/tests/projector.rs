//! The projector against a real embedded event log: exactly-once through restarts, stale
//! results of a job executed twice, config versions only on change, lag and rebuild.

mod common;

use netraven_events::catalog::{DeviceId, JobId};
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, EventLog};
use netraven_test_support::fixtures::*;
use netraven_projector::read::{self, JobQuery};
use netraven_projector::{Projector, Status, rebuild};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

async fn append(log: &EmbeddedLog, data: Vec<netraven_events::EventData>) {
    log.append(AppendBatch::new(events(&cause("ana", "corr-1"), data))).await.unwrap();
}

/// Waits until the projector has applied everything in the log.
async fn caught_up(views: &Path, log: &EmbeddedLog) -> Status {
    for _ in 0..200 {
        if let Ok(lag) = netraven_projector::lag(views, log).await
            && lag.events_behind == 0
        {
            return lag.status;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the projector never caught up");
}

fn spawn(views: &Path, log: &EmbeddedLog) -> (tokio::task::JoinHandle<()>, tokio::sync::oneshot::Sender<()>) {
    let projector = Projector::open(views).unwrap().with_batch_size(3);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let log: Arc<dyn EventLog> = Arc::new(log.clone());
    let task = tokio::spawn(async move {
        projector.run(log, async { stopped.await.ok(); }).await.unwrap();
    });
    (task, stop)
}

#[tokio::test]
async fn a_job_executed_twice_ends_once_and_a_same_hash_capture_adds_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let log = EmbeddedLog::open(dir.path().join("log.db")).unwrap();
    let views = dir.path().join("views.db");
    let (device, job, second) = (DeviceId::new(), JobId::new(), JobId::new());
    append(&log, vec![device_registered(device, "r1", &["core"])]).await;
    append(&log, backup_flow(job, device, "hostname r1\n! Last configuration change at 10:00\n", "hash-a")).await;
    // A second agent ran the same dispatch: its results are stale.
    append(&log, vec![started(job, 1), config_captured(job, device, 1, "hostname other\n", "hash-x"), failed(job, 1, "TIMEOUT")]).await;
    // A later backup whose configuration differs only in volatile lines (same hash).
    append(&log, backup_flow(second, device, "hostname r1\n! Last configuration change at 11:00\n", "hash-a")).await;

    let (task, stop) = spawn(&views, &log);
    caught_up(&views, &log).await;
    stop.send(()).unwrap();
    task.await.unwrap();

    let conn = read::open(&views).unwrap();
    let first = read::job(&conn, &job.to_string()).unwrap().unwrap();
    assert_eq!(first.status, "succeeded");
    assert_eq!(first.summary.as_deref(), Some("attempt 1 done"));
    assert!(first.error.is_none());
    let versions = read::config_versions(&conn, &device.to_string(), 10, None).unwrap();
    assert_eq!(versions.items.len(), 1, "stale and same-hash captures add no version");
    let v1 = read::config_version(&conn, &device.to_string(), 1).unwrap().unwrap();
    assert!(v1.content.contains("! Last configuration change at 10:00"), "volatile lines are kept");
    let device_view = read::device(&conn, &device.to_string()).unwrap().unwrap();
    let last = device_view.last_backup.unwrap();
    assert_eq!((last.job_id, last.status), (second.to_string(), "succeeded".to_string()));
    let history = read::jobs(&conn, &JobQuery { device_id: Some(device.to_string()), limit: 10, ..JobQuery::default() }).unwrap();
    assert_eq!(history.items.len(), 2);
    let audit = read::audit_timeline(&conn, &read::AuditQuery { job_id: Some(job.to_string()), limit: 100, ..Default::default() }).unwrap();
    assert_eq!(audit.items.iter().filter(|e| e.ignored).count(), 3, "the stale results are on the timeline, marked ignored");
}

#[tokio::test]
async fn restarts_mid_stream_apply_every_event_once_and_rebuild_gives_the_same_views() {
    let dir = tempfile::tempdir().unwrap();
    let log = EmbeddedLog::open(dir.path().join("log.db")).unwrap();
    let views = dir.path().join("views.db");
    let device = DeviceId::new();
    append(&log, vec![device_registered(device, "r1", &["core"])]).await;
    let mut appended = 1;
    for round in 0..4 {
        let (task, stop) = spawn(&views, &log);
        for i in 0..5 {
            let flow = backup_flow(JobId::new(), device, &format!("hostname r1\nround {round} {i}\n"), &format!("h{round}-{i}"));
            appended += flow.len() as u64;
            append(&log, flow).await;
        }
        if round % 2 == 0 {
            task.abort(); // a crash: whatever batch was open never commits
            let _ = task.await;
            drop(stop);
        } else {
            caught_up(&views, &log).await;
            stop.send(()).unwrap();
            task.await.unwrap();
        }
    }
    let (task, stop) = spawn(&views, &log);
    let status = caught_up(&views, &log).await;
    stop.send(()).unwrap();
    task.await.unwrap();
    assert_eq!(status.applied_events, appended);
    let before = common::dump(&read::open(&views).unwrap());

    let log: Arc<dyn EventLog> = Arc::new(log);
    let mut reports = Vec::new();
    let done = rebuild(&views, log.clone(), |p| reports.push(p)).await.unwrap();
    assert_eq!(done.done, appended);
    assert!(!reports.is_empty() && reports.iter().all(|p| p.done <= p.total));
    assert_eq!(common::dump(&read::open(&views).unwrap()), before);
    assert_eq!(netraven_projector::lag(&views, &*log).await.unwrap().events_behind, 0);
    let conn = read::open(&views).unwrap();
    assert_eq!(read::config_versions(&conn, &device.to_string(), 100, None).unwrap().items.len(), 20);
}
