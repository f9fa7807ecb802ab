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

fn segments(dir: &std::path::Path) -> usize {
    let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    meta["segments"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_rebuilt_index_is_merged_into_one_segment_per_core_with_the_same_hits() {
    let world = World::new();
    let devices: Vec<DeviceId> = (0..4).map(|_| DeviceId::new()).collect();
    let job = JobId::new();
    world.append(devices.iter().enumerate().map(|(n, d)| registered(*d, &format!("sw-{n}"), &[])).collect()).await;
    world.append(vec![requested(job, JobType::Backup, devices[0])]).await;
    for (n, device) in devices.iter().enumerate() {
        world.append(vec![config(job, *device, &format!("hostname sw-{n}\n"), &format!("a{n}"))]).await;
        world.append(vec![config(job, *device, &format!("hostname sw-{n}\nntp server 10.0.0.{n}\n"), &format!("b{n}"))]).await;
    }
    world.append((0..40).map(|i| logged(job, i, LogLevel::Info, "execution", &format!("entry {i} interface Gi1/0/{}", i % 3))).collect()).await;
    let dir = world.index_dir();
    let settings = IndexerSettings { commit_docs: 1_000_000, commit_interval: Duration::from_secs(3600), ..Default::default() };

    // A bulk load commits many small segments and merges none of them until it is compacted.
    let mut indexer = Indexer::recreate(&dir, settings).unwrap();
    for chunk in world.recorded().await.chunks(5) {
        for e in chunk {
            indexer.apply(e).unwrap();
        }
        indexer.commit().unwrap();
    }
    let before = segments(&dir);
    assert!(before > 4, "{before} segments");
    let queries = [
        SearchRequest { q: "interface".into(), limit: 100, ..Default::default() },
        SearchRequest { q: "hostname".into(), latest_only: true, ..Default::default() },
        SearchRequest { q: "hostname".into(), kinds: vec![Kind::Config], limit: 100, ..Default::default() },
    ];
    let answers = |searcher: &Searcher| -> Vec<Vec<_>> {
        queries.iter().map(|r| {
            let mut ids: Vec<_> = searcher.search(r).unwrap().hits.into_iter().map(|h| (h.event_id, h.content_hash)).collect();
            ids.sort();
            ids
        }).collect()
    };
    let unmerged = answers(&Searcher::open(&dir).unwrap());
    assert_eq!((unmerged[0].len(), unmerged[1].len(), unmerged[2].len()), (40, 4, 8));

    indexer.compact().unwrap().wait().unwrap();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    assert!(segments(&dir) <= cores, "{} segments for {cores} cores", segments(&dir));
    assert_eq!(answers(&Searcher::open(&dir).unwrap()), unmerged);
    assert_eq!(temp_stores(&dir), Vec::<String>::new());

    // Merges of small segments resume for what comes after.
    world.append(vec![config(job, devices[0], "hostname sw-0\nntp server 10.9.9.9\n", "c0")]).await;
    let events = world.recorded().await;
    indexer.apply(events.last().unwrap()).unwrap();
    indexer.commit().unwrap();
    let searcher = Searcher::open(&dir).unwrap();
    let latest = searcher.search(&SearchRequest { q: "10.9.9.9".into(), latest_only: true, ..Default::default() }).unwrap();
    assert_eq!(latest.hits.iter().map(|h| h.content_hash.clone().unwrap()).collect::<Vec<_>>(), ["c0"]);
}
