//! Property: any delivery of a log (crashes before commits, restarts, redelivered events)
//! leaves the index with the same documents as one clean pass.

mod common;

use common::*;
use netraven_events::catalog::{DeviceId, JobId, JobType, LogLevel};
use netraven_events::{Cause, Event, EventData, RecordedEvent};
use netraven_search::{Indexer, IndexerSettings, Kind, SearchRequest, Searcher};
use proptest::prelude::*;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// What the log holds after the device and job: a log entry, or a configuration with one of three contents.
#[derive(Clone, Debug)]
enum Item {
    Log,
    Config(u8),
}

/// What the consumer does next.
#[derive(Clone, Copy, Debug)]
enum Step {
    ApplyNext,
    Redeliver(usize),
    Commit,
    Crash,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => Just(Step::ApplyNext),
        2 => any::<usize>().prop_map(Step::Redeliver),
        1 => Just(Step::Commit),
        1 => Just(Step::Crash),
    ]
}

fn recorded(items: &[Item]) -> Vec<RecordedEvent> {
    let (device, job) = (DeviceId::new(), JobId::new());
    let mut data: Vec<EventData> = vec![registered(device, "leaf-9", &["leaf"]), requested(job, JobType::Backup, device)];
    data.extend(items.iter().enumerate().map(|(i, item)| match item {
        Item::Log => logged(job, i as i64, LogLevel::Info, "execution", &format!("step {i}")),
        Item::Config(c) => config(job, device, &format!("hostname leaf-9\n! version {c}\n"), &format!("hash-{c}")),
    }));
    let cause = Cause { source: "/netraven/test".into(), actor: "t".into(), correlation_id: "c".into(), causation_id: None };
    data.into_iter()
        .enumerate()
        .map(|(offset, d)| RecordedEvent { partition: 0, offset: offset as u64, event: Event::new(d, &cause) })
        .collect()
}

fn settings() -> IndexerSettings {
    IndexerSettings { commit_docs: usize::MAX, commit_interval: Duration::from_secs(3600), memory_budget_bytes: 15 << 20 }
}

/// The indexed event ids (sorted) of history and of latest-only searches.
fn content(dir: &Path) -> (Vec<Uuid>, Vec<Uuid>) {
    let searcher = Searcher::open(dir).unwrap();
    let ids = |latest_only: bool| {
        let r = SearchRequest { latest_only, limit: 1000, ..Default::default() };
        let mut ids: Vec<Uuid> = searcher.search(&r).unwrap().hits.iter().map(|h| h.event_id).collect();
        ids.sort();
        ids
    };
    (ids(false), ids(true))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, max_shrink_iters: 32, ..ProptestConfig::default() })]

    #[test]
    fn any_delivery_gives_the_index_of_one_clean_pass(
        items in prop::collection::vec(prop_oneof![3 => Just(Item::Log), 2 => (0u8..3).prop_map(Item::Config)], 1..25),
        steps in prop::collection::vec(step(), 0..60),
    ) {
        let events = recorded(&items);
        let clean = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open(clean.path(), settings()).unwrap();
        for e in &events {
            indexer.apply(e).unwrap();
        }
        indexer.commit().unwrap();
        drop(indexer);

        let chaos = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open(chaos.path(), settings()).unwrap();
        // The consumer reads from its indexer's position, as a subscription would.
        let mut next = 0usize;
        for step in steps.into_iter().map(Some).chain(std::iter::repeat(None)) {
            if next >= events.len() && step.is_none() {
                break;
            }
            match step.unwrap_or(Step::ApplyNext) {
                Step::ApplyNext if next < events.len() => {
                    indexer.apply(&events[next]).unwrap();
                    next += 1;
                }
                Step::ApplyNext | Step::Commit => indexer.commit().unwrap(),
                // Only what was delivered before can be delivered again.
                Step::Redeliver(i) if next > 0 => prop_assert!(!indexer.apply(&events[i % next]).unwrap()),
                Step::Redeliver(_) => {}
                Step::Crash => {
                    drop(indexer);
                    indexer = Indexer::open(chaos.path(), settings()).unwrap();
                    next = indexer.position().next_offset(0) as usize;
                }
            }
        }
        indexer.commit().unwrap();
        drop(indexer);

        let (history, latest) = content(chaos.path());
        prop_assert_eq!((history, latest), content(clean.path()));
        let configs = items.iter().filter(|i| matches!(i, Item::Config(_))).count();
        let searcher = Searcher::open(chaos.path()).unwrap();
        let latest_configs = searcher.search(&SearchRequest { latest_only: true, kinds: vec![Kind::Config], ..Default::default() }).unwrap();
        prop_assert_eq!(latest_configs.total_hits, usize::from(configs > 0));
    }
}
