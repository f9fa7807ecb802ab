//! Searches over a small network's job logs, outputs and configurations, indexed from a real
//! embedded event log into a real index in a temp dir.

mod common;

use common::*;
use netraven_events::catalog::{DeviceId, JobId, JobType, LogLevel};
use netraven_search::{Kind, SearchRequest, Searcher, Sort};
use std::collections::HashSet;

struct Net {
    _world: World,
    searcher: Searcher,
    core: DeviceId,
    edge: DeviceId,
    backup: JobId,
}

const CONFIG_V1: &str = "hostname core-sw1\ninterface Vlan10\n ip address 10.0.0.1 255.255.255.0\nrouter bgp 65001\n neighbor 192.168.1.17 remote-as 65002\n";
const CONFIG_V3: &str = "hostname core-sw1\ninterface Vlan10\n ip address 10.0.0.2 255.255.255.0\nrouter bgp 65001\n";

async fn net() -> Net {
    let world = World::new();
    let (core, edge, backup, command) = (DeviceId::new(), DeviceId::new(), JobId::new(), JobId::new());
    world
        .append(vec![
            registered(core, "core-sw1.example.net", &["core", "dc1"]),
            registered(edge, "edge-rtr2", &["edge"]),
            requested(backup, JobType::Backup, core),
            requested(command, JobType::Command, edge),
        ])
        .await;
    world
        .append(vec![
            logged(backup, 1, LogLevel::Info, "connection", "Connecting to core-sw1.example.net (10.0.0.1) via SSH"),
            logged(backup, 2, LogLevel::Warning, "execution", "Interface GigabitEthernet0/1 changed state to down"),
            logged(backup, 3, LogLevel::Error, "result", "BGP neighbor 192.168.1.17 (AS65001) went down: hold timer expired"),
            output(command, edge, "show ip interface brief", "Interface IP-Address Status\nxe-0/0/0.0 10.1.1.1/30 up\nEth1/1 unassigned down\nipv6 2001:db8::1/64"),
            output(command, edge, "show mac address-table", "vlan 10 001A.2B3C.4D5E DYNAMIC Gi0/2"),
            config(backup, core, CONFIG_V1, "h1"),
            config(backup, core, CONFIG_V1, "h1"),
            config(backup, core, CONFIG_V3, "h3"),
        ])
        .await;
    let searcher = world.index_all().await;
    Net { _world: world, searcher, core, edge, backup }
}

fn texts(page: &netraven_search::SearchPage) -> Vec<String> {
    page.hits.iter().map(|h| h.snippet.text.clone()).collect()
}

fn hits_of(s: &Searcher, query: &str, kind: Kind) -> usize {
    s.search(&SearchRequest { q: query.into(), kinds: vec![kind], ..Default::default() }).unwrap().total_hits
}

#[tokio::test]
async fn ip_addresses_and_prefixes_are_found_whole_and_by_parts() {
    let n = net().await;
    let s = &n.searcher;
    for query in ["10.1.1.1/30", "10.1.1.1", "10.1.1", "10.1.1.0/30"] {
        assert_eq!(hits_of(s, query, Kind::Output), 1, "{query}");
    }
    assert_eq!(hits_of(s, "10.0.0.1", Kind::Log), 1);
    assert_eq!(hits_of(s, "192.168.1.17", Kind::Log), 1);
    for query in ["2001:db8::1", "\"2001:db8::1/64\"", "\"2001:db8::/64\"", "2001:0db8:0:0::1"] {
        assert_eq!(hits_of(s, query, Kind::Output), 1, "{query}");
    }
    assert_eq!(hits_of(s, "10.9.9.9", Kind::Log), 0);
}

#[tokio::test]
async fn interfaces_macs_host_names_and_as_numbers_are_found() {
    let n = net().await;
    let s = &n.searcher;
    for query in ["GigabitEthernet0/1", "gi0/1", "gigabitethernet", "gigabitethernet0/1"] {
        assert_eq!(hits_of(s, query, Kind::Log), 1, "{query}");
    }
    for query in ["xe-0/0/0.0", "0/0/0", "Eth1/1", "1/1", "GigabitEthernet0/2"] {
        assert_eq!(hits_of(s, query, Kind::Output), 1, "{query}");
    }
    for query in ["00:1a:2b:3c:4d:5e", "001A.2B3C.4D5E", "001a2b3c4d5e", "00-1A-2B-3C-4D-5E"] {
        assert_eq!(hits_of(s, query, Kind::Output), 1, "{query}");
    }
    for query in ["core-sw1.example.net", "example.net", "core-sw1"] {
        assert_eq!(hits_of(s, query, Kind::Log), 1, "{query}");
    }
    assert_eq!(hits_of(s, "AS65001", Kind::Log), 1);
    assert_eq!(hits_of(s, "65001", Kind::Log), 1);
    assert_eq!(hits_of(s, "65001", Kind::Config), 2, "both configuration versions have router bgp 65001");
}

#[tokio::test]
async fn boolean_and_phrase_queries() {
    let n = net().await;
    let s = &n.searcher;
    assert_eq!(q(s, "down").total_hits, 3);
    assert_eq!(q(s, "down AND NOT bgp").total_hits, 2);
    assert_eq!(q(s, "down -bgp").total_hits, 2);
    assert_eq!(q(s, "NOT down").total_hits, 4, "everything but the three entries saying down");
    assert_eq!(q(s, "bgp OR gi0/1").total_hits, 2 + 2, "two logs, two configurations");
    assert_eq!(q(s, "interface down").total_hits, 2, "words are joined by AND");
    assert_eq!(texts(&q(s, "\"changed state to down\"")), ["Interface GigabitEthernet0/1 changed state to down"]);
    assert_eq!(q(s, "\"state changed\"").total_hits, 0);
    assert_eq!(q(s, "\"neighbor 192.168.1.17\"").total_hits, 2, "the log entry and configuration v1");
    assert_eq!(q(s, "command:\"show mac\"").total_hits, 1);
    assert_eq!(q(s, "device_name:edge-rtr2").total_hits, 2);
}

#[tokio::test]
async fn filters_narrow_by_kind_level_job_device_tag_type_and_time() {
    let n = net().await;
    let s = &n.searcher;
    let search = |r: SearchRequest| s.search(&r).unwrap().total_hits;
    assert_eq!(search(SearchRequest::default()), 7, "3 logs, 2 outputs, 2 configuration versions");
    assert_eq!(search(SearchRequest { levels: vec![LogLevel::Error, LogLevel::Warning], ..Default::default() }), 2);
    assert_eq!(search(SearchRequest { job_ids: vec![n.backup], ..Default::default() }), 5);
    assert_eq!(search(SearchRequest { device_ids: vec![n.edge], ..Default::default() }), 2);
    assert_eq!(search(SearchRequest { device_ids: vec![n.core], kinds: vec![Kind::Log], ..Default::default() }), 3);
    assert_eq!(search(SearchRequest { tags: vec!["dc1".into()], ..Default::default() }), 5);
    assert_eq!(search(SearchRequest { tags: vec!["edge".into(), "nope".into()], ..Default::default() }), 2);
    assert_eq!(search(SearchRequest { job_types: vec![JobType::Command], ..Default::default() }), 2);
    let window = SearchRequest { from: Some(t(2)), to: Some(t(3)), kinds: vec![Kind::Log], ..Default::default() };
    assert_eq!(texts(&s.search(&window).unwrap()), ["Interface GigabitEthernet0/1 changed state to down"]);
    // The same window in the query text: time is a column, which range queries read.
    let stamp = |m: i64| t(m).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let in_text = SearchRequest { q: format!("time:[{} TO {}}}", stamp(2), stamp(3)), kinds: vec![Kind::Log], ..Default::default() };
    assert_eq!(texts(&s.search(&in_text).unwrap()), ["Interface GigabitEthernet0/1 changed state to down"]);
    let exact = s.search(&SearchRequest { q: format!("time:{}", stamp(2)), ..Default::default() }).unwrap_err();
    assert_eq!(exact.code(), "INVALID_QUERY", "a time is matched by a range, not a term: {exact}");
    let page = s.search(&SearchRequest { q: "bgp".into(), levels: vec![LogLevel::Error], ..Default::default() }).unwrap();
    let hit = &page.hits[0];
    assert_eq!((hit.kind, hit.level, hit.job_id, hit.device_id), (Kind::Log, Some(LogLevel::Error), Some(n.backup), Some(n.core)));
    assert!(hit.snippet.html.contains("<b>BGP</b>"), "{}", hit.snippet.html);
    assert_eq!(hit.time, t(3));
}

#[tokio::test]
async fn latest_only_searches_each_devices_current_configuration() {
    let n = net().await;
    let s = &n.searcher;
    let configs = |query: &str, latest_only: bool| {
        let r = SearchRequest { q: query.into(), kinds: vec![Kind::Config], latest_only, ..Default::default() };
        s.search(&r).unwrap()
    };
    assert_eq!(configs("", false).total_hits, 2, "an unchanged capture adds no version");
    assert_eq!(configs("10.0.0.1", false).total_hits, 1);
    assert_eq!(configs("10.0.0.1", true).total_hits, 0, "the current version no longer has it");
    let latest = configs("10.0.0.2", true);
    assert_eq!(latest.total_hits, 1);
    assert_eq!(latest.hits[0].content_hash.as_deref(), Some("h3"));
    assert_eq!(configs("", true).total_hits, 1);
    let bad = SearchRequest { latest_only: true, kinds: vec![Kind::Log], ..Default::default() };
    assert_eq!(s.search(&bad).unwrap_err().code(), "INVALID_INPUT");
}

#[tokio::test]
async fn pages_have_no_duplicates_or_gaps_in_every_sort() {
    let world = World::new();
    let (device, job) = (DeviceId::new(), JobId::new());
    let mut events = vec![registered(device, "leaf-1", &["leaf"]), requested(job, JobType::Command, device)];
    // Same minute for many entries: ties must still page cleanly.
    events.extend((0..95).map(|i| logged(job, i / 10, LogLevel::Info, "execution", &format!("pagination entry {i} on Gi0/{}", i % 7))));
    world.append(events).await;
    let s = world.index_all().await;
    for sort in [Sort::Relevance, Sort::TimeDesc, Sort::TimeAsc] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = s.search(&SearchRequest { q: "pagination".into(), sort, limit: 10, cursor, ..Default::default() }).unwrap();
            assert_eq!(page.total_hits, 95);
            seen.extend(page.hits.iter().map(|h| (h.event_id, h.time)));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        let ids: HashSet<_> = seen.iter().map(|(id, _)| *id).collect();
        assert_eq!((seen.len(), ids.len()), (95, 95), "{sort:?}");
        let times: Vec<_> = seen.iter().map(|(_, t)| *t).collect();
        match sort {
            Sort::TimeAsc => assert!(times.windows(2).all(|w| w[0] <= w[1])),
            Sort::TimeDesc => assert!(times.windows(2).all(|w| w[0] >= w[1])),
            Sort::Relevance => {}
        }
    }
    let first = s.search(&SearchRequest { q: "pagination".into(), limit: 5, ..Default::default() }).unwrap();
    let wrong_sort = SearchRequest { q: "pagination".into(), sort: Sort::TimeAsc, cursor: first.next_cursor, ..Default::default() };
    assert_eq!(s.search(&wrong_sort).unwrap_err().code(), "INVALID_CURSOR");
}

#[tokio::test]
async fn a_malformed_query_is_an_error_that_says_where() {
    let n = net().await;
    let s = &n.searcher;
    let err = |query: &str| s.search(&SearchRequest { q: query.into(), ..Default::default() }).unwrap_err();
    let e = err("interface AND (down");
    assert_eq!(e.code(), "INVALID_QUERY");
    assert!(e.to_string().contains("position"), "{e}");
    match err("down AND nosuchfield:foo") {
        netraven_search::Error::InvalidQuery { position, message } => {
            assert_eq!(position, 9, "{message}");
            assert!(message.contains("nosuchfield"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err("\"unclosed phrase").code(), "INVALID_QUERY");
    assert_eq!(s.search(&SearchRequest { limit: 100_000, ..Default::default() }).unwrap_err().code(), "INVALID_INPUT");
}

