//! Exactly-once indexing from a real embedded event log: crashes before a commit, restarts,
//! redelivered events, a live follower that resumes from its stored position, and a rebuild.

mod common;

use common::*;
use netraven_events::catalog::{DeviceId, JobId, JobType, LogLevel};
use netraven_events::{EventData, Position};
use netraven_search::{Indexer, IndexerSettings, SearchRequest, Searcher};
use std::time::Duration;

fn settings() -> IndexerSettings {
    IndexerSettings { commit_docs: 1_000_000, commit_interval: Duration::from_secs(3600), ..Default::default() }
}

fn logs(job: JobId, from: i64, n: i64) -> Vec<EventData> {
    (from..from + n).map(|i| logged(job, i, LogLevel::Info, "execution", &format!("entry {i} on Gi0/{i}"))).collect()
}

fn total(searcher: &Searcher) -> usize {
    searcher.reload().unwrap();
    searcher.search(&SearchRequest::default()).unwrap().total_hits
}

#[tokio::test]
async fn a_crash_before_commit_loses_nothing_and_a_replay_duplicates_nothing() {
    let world = World::new();
    let (device, job) = (DeviceId::new(), JobId::new());
    world.append(vec![registered(device, "leaf-1", &["leaf"]), requested(job, JobType::Command, device)]).await;
    world.append(logs(job, 0, 40)).await;
    world.append(vec![config(job, device, "hostname leaf-1\n", "h1")]).await;
    let events = world.recorded().await;
    let dir = world.index_dir();

    let mut indexer = Indexer::open(&dir, settings()).unwrap();
    for e in &events[..22] {
        indexer.apply(e).unwrap();
    }
    indexer.commit().unwrap();
    let committed = indexer.position().clone();
    for e in &events[22..] {
        indexer.apply(e).unwrap();
    }
    drop(indexer); // crash: the rest was never committed

    let searcher = Searcher::open(&dir).unwrap();
    assert_eq!(total(&searcher), 20);
    let mut indexer = Indexer::open(&dir, settings()).unwrap();
    assert_eq!(indexer.committed_position(), &committed);
    // The log redelivers everything: what was committed is skipped, the rest is indexed once.
    let added = events.iter().map(|e| indexer.apply(e).unwrap()).filter(|a| *a).count();
    assert_eq!(added, 21, "20 entries and the configuration");
    indexer.commit().unwrap();
    assert_eq!(total(&searcher), 41);
    for e in &events {
        assert!(!indexer.apply(e).unwrap());
    }
    indexer.commit().unwrap();
    assert_eq!(total(&searcher), 41);
    assert_eq!(indexer.committed_position().next_offset(0), events.last().unwrap().offset + 1);
}

#[tokio::test]
async fn an_event_id_seen_before_is_not_indexed_again_at_another_offset() {
    let world = World::new();
    let job = JobId::new();
    world.append(logs(job, 0, 3)).await;
    let events = world.recorded().await;
    let dir = world.index_dir();
    let mut indexer = Indexer::open(&dir, settings()).unwrap();
    for e in &events {
        assert!(indexer.apply(e).unwrap());
    }
    indexer.commit().unwrap();
    drop(indexer);
    // After a restart the id is found in the committed index.
    let mut indexer = Indexer::open(&dir, settings()).unwrap();
    let mut redelivered = events[1].clone();
    redelivered.offset = 1_000;
    assert!(!indexer.apply(&redelivered).unwrap());
    assert_eq!(indexer.position().next_offset(0), 1_001);
    indexer.commit().unwrap();
    assert_eq!(total(&Searcher::open(&dir).unwrap()), 3);
}

#[tokio::test]
async fn run_follows_the_log_and_resumes_from_its_commit_with_job_and_device_context() {
    let world = World::new();
    let (device, job) = (DeviceId::new(), JobId::new());
    world.append(vec![registered(device, "spine-1", &["spine"]), requested(job, JobType::Backup, device)]).await;
    let dir = world.index_dir();
    let searcher = Searcher::open(&dir).unwrap();
    let live = IndexerSettings { commit_docs: 5, commit_interval: Duration::from_millis(50), ..Default::default() };

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let indexer = Indexer::open(&dir, live.clone()).unwrap();
    let task = tokio::spawn(indexer.run(world.log.clone(), async { stopped.await.unwrap_or(()) }));
    world.append(logs(job, 0, 12)).await;
    wait_for(&searcher, 12).await;
    stop.send(()).unwrap();
    let indexer = task.await.unwrap().unwrap();
    assert_eq!(indexer.committed_position(), &world.log.head().await.unwrap());
    drop(indexer);

    // New entries of the same job, after the stored position: a fresh indexer only sees them,
    // so it reads the job's and the device's streams to know their type and tags.
    world.append(logs(job, 100, 3)).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let indexer = Indexer::open(&dir, live).unwrap();
    let task = tokio::spawn(indexer.run(world.log.clone(), async { stopped.await.unwrap_or(()) }));
    wait_for(&searcher, 15).await;
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
    let resumed = SearchRequest { q: "entry".into(), tags: vec!["spine".into()], job_types: vec![JobType::Backup], from: Some(t(100)), ..Default::default() };
    assert_eq!(searcher.search(&resumed).unwrap().total_hits, 3);
    assert_eq!(searcher.search(&SearchRequest { tags: vec!["spine".into()], ..Default::default() }).unwrap().total_hits, 15);

    // A rebuild replays the whole log into a new index with the same content, with the settings
    // of `netraven projector --rebuild`.
    let mut positions = Vec::new();
    let (rebuilt, merge) = netraven_search::rebuild(dir.clone(), IndexerSettings::bulk(), world.log.clone(), |p: &Position| positions.push(p.clone())).await.unwrap();
    assert_eq!(rebuilt.committed_position(), &world.log.head().await.unwrap());
    assert!(!positions.is_empty());
    merge.wait().unwrap();
    drop(rebuilt);
    assert_eq!(total(&Searcher::open(&dir).unwrap()), 15);
}

/// Polls until the searcher sees `n` documents (10 s at most).
async fn wait_for(searcher: &Searcher, n: usize) {
    for _ in 0..200 {
        if total(searcher) == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the index never reached {n} documents (has {})", total(searcher));
}
