//! The index on disk: entries kept in device order leave no unsorted copy of the document
//! store behind once their segments are committed, even when deletes touch those segments.

mod common;

use common::*;
use netraven_events::catalog::{DeviceId, JobId, JobType, LogLevel};
use netraven_search::{Indexer, IndexerSettings, Kind, SearchRequest, Searcher};
use std::time::Duration;

fn temp_stores(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".store.temp"))
        .collect()
}

#[tokio::test]
async fn committed_segments_keep_no_unsorted_store_copy() {
    let world = World::new();
    let (core, leaf, job) = (DeviceId::new(), DeviceId::new(), JobId::new());
    world.append(vec![registered(core, "core-1", &[]), registered(leaf, "leaf-1", &[]), requested(job, JobType::Backup, core)]).await;
    world.append(vec![config(job, core, "hostname core-1\n", "h1"), config(job, leaf, "hostname leaf-1\n", "l1")]).await;
    world.append((0..30).map(|i| logged(job, i, LogLevel::Info, "execution", &format!("entry {i}"))).collect()).await;
    // The new configuration retires the latest copy of the first one: a delete in the new segment.
    world.append(vec![config(job, core, "hostname core-1\nntp server 10.0.0.1\n", "h2")]).await;
    let events = world.recorded().await;
    let dir = world.index_dir();
    let settings = IndexerSettings { commit_docs: 1_000_000, commit_interval: Duration::from_secs(3600), ..Default::default() };

    let mut indexer = Indexer::open(&dir, settings).unwrap();
    for e in &events {
        indexer.apply(e).unwrap();
    }
    indexer.commit().unwrap();
    assert_eq!(temp_stores(&dir), Vec::<String>::new());

    let searcher = Searcher::open(&dir).unwrap();
    let latest = SearchRequest { q: "hostname".into(), latest_only: true, ..Default::default() };
    let hashes: Vec<_> = searcher.search(&latest).unwrap().hits.into_iter().filter_map(|h| h.content_hash).collect();
    assert_eq!(hashes.len(), 2);
    assert!(hashes.contains(&"h2".to_string()) && hashes.contains(&"l1".to_string()), "{hashes:?}");
    let core_logs = SearchRequest { q: "entry".into(), device_ids: vec![core], kinds: vec![Kind::Log], limit: 100, ..Default::default() };
    assert_eq!(searcher.search(&core_logs).unwrap().total_hits, 30);
    drop(indexer);
}
