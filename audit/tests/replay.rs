//! Replay on a real embedded log: timelines by job, device, actor and time range, the state as
//! of a moment, and a canary plaintext that never shows in anything replay writes.

mod common;

use common::{CANARY, fixture};
use netraven_audit::replay::{self, Filter, Format};
use netraven_events::job_state::JobStatus;
use netraven_events::{EventLog, Position};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// An output that the test can read after the writer is done.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn run(log: &dyn EventLog, filter: Filter, format: Format) -> (u64, String) {
    let out = Captured::default();
    let written = replay::timeline(log, filter, format, Box::new(out.clone())).await.unwrap();
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    assert_eq!(text.lines().count() as u64, written);
    (written, text)
}

/// Every event's time, in log order.
async fn times(log: &dyn EventLog) -> Vec<chrono::DateTime<chrono::Utc>> {
    let mut sub = log.read_all(Position::start()).await.unwrap();
    let mut times = Vec::new();
    while let Some(r) = sub.next().await {
        times.push(r.unwrap().event.time);
    }
    times
}

#[tokio::test]
async fn timelines_select_by_job_device_actor_and_time() {
    let f = fixture().await;
    let log = f.open();
    let (all, human) = run(&log, Filter::default(), Format::Human).await;
    assert_eq!(all, 13);
    assert!(human.lines().next().unwrap().contains("0:1  device-"), "{human}");
    let job = |job| Filter { job: Some(job), ..Filter::default() };
    assert_eq!(run(&log, job(f.job), Format::Human).await.0, 8);
    assert_eq!(run(&log, job(f.other_job), Format::Human).await.0, 1);
    let device = |device| Filter { device: Some(device), ..Filter::default() };
    assert_eq!(run(&log, device(f.core), Format::Human).await.0, 10, "two own events and the job's eight");
    assert_eq!(run(&log, device(f.edge), Format::Human).await.0, 2);
    let actor = Filter { actor: Some("carol".into()), ..Filter::default() };
    let (n, carol) = run(&log, actor, Format::Human).await;
    assert_eq!(n, 2);
    assert!(carol.lines().all(|l| l.contains("by carol")));

    let times = times(&log).await;
    let range = Filter { since: Some(times[3]), until: Some(times[6]), ..Filter::default() };
    let (n, jsonl) = run(&log, range, Format::Jsonl).await;
    assert_eq!(n, 4);
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "netraven.job.requested.v1");
    assert_eq!(first["actor"], "bob");
}

#[tokio::test]
async fn the_state_as_of_a_moment_and_no_secret_anywhere() {
    let f = fixture().await;
    let log = f.open();
    let times = times(&log).await;
    let early = replay::state::as_of(&log, times[7]).await.unwrap();
    assert_eq!(early.devices.len(), 2);
    assert_eq!(early.devices[&f.core].tags, ["core"]);
    assert_eq!(early.jobs[&f.job].state.status, JobStatus::Running);
    assert!(!early.jobs.contains_key(&f.other_job));
    assert_eq!(early.configs[&f.core].len(), 1);

    let late = replay::state::as_of(&log, *times.last().unwrap()).await.unwrap();
    assert_eq!(late.devices[&f.core].tags, ["core", "dc1"]);
    assert_eq!(late.devices[&f.core].platform.as_deref(), Some("cisco_ios"));
    assert_eq!(late.jobs[&f.job].state.status, JobStatus::Succeeded);
    assert_eq!(late.jobs[&f.job].actor, "bob");
    assert_eq!(late.jobs[&f.other_job].state.status, JobStatus::Requested);
    let versions = &late.configs[&f.core];
    assert_eq!(versions.len(), 2, "an unchanged hash is not a new version");
    assert_ne!(versions[0].content_hash, versions[1].content_hash);
    assert_eq!(late.refused, 0);

    let mut rendered = Vec::new();
    late.render(&mut rendered).unwrap();
    let rendered = String::from_utf8(rendered).unwrap();
    assert!(rendered.contains("Inventory (2 devices)") && rendered.contains("succeeded"), "{rendered}");
    let (_, human) = run(&log, Filter::default(), Format::Human).await;
    let (_, jsonl) = run(&log, Filter::default(), Format::Jsonl).await;
    assert!(jsonl.contains("netraven.credential.added.v1") && jsonl.contains("ciphertext"));
    for text in [&human, &jsonl, &rendered] {
        assert!(!text.contains(CANARY), "a credential's plaintext never appears");
    }
}
