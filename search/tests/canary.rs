//! Secrets are kept out of events upstream (redaction); this checks the index adds nothing of
//! its own: every stored document holds only the text it was given and the listed fields.

mod common;

use common::*;
use netraven_events::catalog::{DeviceId, JobId, JobLogged, JobType, LogLevel};
use netraven_events::{AppendBatch, Cause, Event};
use std::collections::BTreeSet;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::document::Document;
use tantivy::{Index, TantivyDocument};

const CANARIES: [&str; 3] = ["CANARY-DETAIL-7f3e", "CANARY-ACTOR-91ab", "CANARY-CORRELATION-5d20"];

#[tokio::test]
async fn the_index_stores_only_the_text_it_is_given() {
    let world = World::new();
    let (device, job) = (DeviceId::new(), JobId::new());
    world.append(vec![registered(device, "core-sw1", &["core"]), requested(job, JobType::Backup, device)]).await;
    let mut details = serde_json::Map::new();
    details.insert("password_hint".into(), CANARIES[0].into());
    let entry = JobLogged {
        job_id: job,
        timestamp: t(0),
        level: LogLevel::Info,
        category: "authentication".into(),
        message: "login accepted for admin".into(),
        details,
        source_component: "device-agent".into(),
        correlation_id: CANARIES[2].into(),
        filter_version: 3,
    };
    let cause = Cause { source: "/netraven/device-agent".into(), actor: CANARIES[1].into(), correlation_id: CANARIES[2].into(), causation_id: None };
    let events = vec![
        Event::new(entry, &cause),
        Event::new(output(job, device, "show clock", "12:00:00.000 UTC Fri Nov 27 2026"), &cause),
        Event::new(config(job, device, "hostname core-sw1\n enable secret <redacted>\n", "h1"), &cause),
    ];
    world.log.append(AppendBatch::new(events)).await.unwrap();
    world.index_all().await;

    let index = Index::open_in_dir(world.index_dir()).unwrap();
    let schema = index.schema();
    let searcher = index.reader().unwrap().searcher();
    let text = schema.get_field("text").unwrap();
    let mut texts = Vec::new();
    let mut names = BTreeSet::new();
    for address in searcher.search(&AllQuery, &DocSetCollector).unwrap() {
        let doc: TantivyDocument = searcher.doc(address).unwrap();
        let json = doc.to_json(&schema);
        for canary in CANARIES {
            assert!(!json.contains(canary), "{canary} leaked into {json}");
        }
        texts.extend(doc.get_all(text).filter_map(|v| tantivy::schema::Value::as_str(&v).map(str::to_string)));
        names.extend(doc.iter_fields_and_values().map(|(f, _)| schema.get_field_name(f).to_string()));
    }
    texts.sort();
    let mut given = vec![
        "login accepted for admin".to_string(),
        "12:00:00.000 UTC Fri Nov 27 2026".to_string(),
        "hostname core-sw1\n enable secret <redacted>\n".to_string(),
        "hostname core-sw1\n enable secret <redacted>\n".to_string(), // the latest copy
    ];
    given.sort();
    assert_eq!(texts, given);
    let expected: BTreeSet<String> = [
        "text", "command", "device_name", "event_id", "job_id", "device_id", "tags", "level", "category", "job_type", "kind",
        "source", "content_hash", "time", "partition", "offset", "stream_version",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert!(names.is_subset(&expected), "unexpected stored fields: {:?}", names.difference(&expected).collect::<Vec<_>>());
}
