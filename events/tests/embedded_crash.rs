//! Durability of the embedded store under SIGKILL: a child process appends concurrently and
//! prints each acknowledged batch; the parent kills it at random moments, reopens the file and
//! checks that every acknowledged event is there, in order, and that no batch is partial.

mod common;

use netraven_events::catalog::JobId;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, EventLog, Position};
use rand::Rng;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "NETRAVEN_CRASH_CHILD";
const WRITERS: usize = 4;
const KILLS: usize = 20;
/// A full check after every this many kills (and after the last).
const CHECK_EVERY: usize = 5;

/// Entry point of the child process (does nothing in a normal test run).
#[test]
fn crash_child_entry_point() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let (path, run) = spec.split_once('|').expect("path|run");
    let run: u32 = run.parse().expect("run number");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async move {
        let log = EmbeddedLog::open(path).unwrap();
        let mut tasks = Vec::new();
        for writer in 0..WRITERS {
            let log = log.clone();
            tasks.push(tokio::spawn(async move {
                let job = JobId::new();
                for batch in 0u64.. {
                    let n = rand::rng().random_range(1..=40);
                    let events = (0..n)
                        .map(|i| common::log_event(job, &format!("{run}:{writer}:{batch}:{i}/{n}")))
                        .collect();
                    log.append(AppendBatch::new(events)).await.unwrap();
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ack {run}:{writer}:{batch} {n}").unwrap();
                    out.flush().unwrap();
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_events_survive_sigkill_in_order_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let mut acked: BTreeMap<String, usize> = BTreeMap::new();
    for run in 0..KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child_entry_point", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, format!("{}|{run}", path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ack ").map(str::to_string))
                .collect::<Vec<_>>()
        });
        let delay = rand::rng().random_range(150..600);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            let (batch, n) = line.split_once(' ').unwrap();
            acked.insert(batch.to_string(), n.parse().unwrap());
        }
        if (run + 1) % CHECK_EVERY == 0 {
            verify(&path, &acked).await;
        }
    }
    assert!(acked.len() > KILLS * WRITERS, "the children acknowledged too little to prove anything: {}", acked.len());
}

/// Reopens the store and checks every acknowledged batch is present, whole and in order.
async fn verify(path: &std::path::Path, acked: &BTreeMap<String, usize>) {
    let log = EmbeddedLog::open(path).unwrap();
    let all = common::read_all(&log, Position::start()).await;
    let mut found: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut last_batch: BTreeMap<String, u64> = BTreeMap::new();
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for recorded in &all {
        let text = common::message(recorded);
        let (id, rest) = text.rsplit_once(':').unwrap();
        let (i, n) = rest.split_once('/').unwrap();
        let (writer, batch) = id.rsplit_once(':').unwrap();
        let batch: u64 = batch.parse().unwrap();
        let previous = last_batch.insert(writer.to_string(), batch);
        assert!(previous.is_none_or(|p| p <= batch), "batches of {writer} out of order");
        found.entry(id.to_string()).or_default().push(i.parse().unwrap());
        sizes.insert(id.to_string(), n.parse().unwrap());
    }
    for (batch, indexes) in &found {
        let n = sizes[batch];
        assert_eq!(indexes, &(0..n).collect::<Vec<_>>(), "batch {batch} is partial or out of order");
    }
    for (batch, n) in acked {
        assert_eq!(found.get(batch).map(Vec::len), Some(*n), "acknowledged batch {batch} lost");
    }
    let ids: HashSet<_> = all.iter().map(|r| r.event.id).collect();
    assert_eq!(ids.len(), all.len(), "no event is stored twice");
    log.close();
}
