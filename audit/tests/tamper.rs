//! Tamper evidence on a real embedded log: seal, then alter the SQLite store directly (change,
//! delete, reorder, insert an event) and check that `verify` finds it and says where.

mod common;

use common::{Fixture, append, cause, fixture};
use netraven_audit::{AuditKey, CheckpointStore, Problem, Report, seal, verify};
use netraven_events::catalog::{DeviceId, DeviceRemoved};
use netraven_events::Event;
use rusqlite::{Connection, params};
use netraven_test_support::embedded::{replace_body, stored_body};
use uuid::Uuid;

fn key() -> AuditKey {
    AuditKey::from_text("an audit key of more than thirty-two bytes").unwrap()
}

fn store(f: &Fixture) -> CheckpointStore {
    CheckpointStore::in_data_dir(f.dir.path())
}

async fn sealed() -> Fixture {
    let f = fixture().await;
    let log = f.open();
    let cp = seal(&log, &store(&f), &key()).await.unwrap();
    assert_eq!(cp.sealed.number, 1);
    assert_eq!(cp.head(0).unwrap().count, 13);
    log.close();
    f
}

async fn check(f: &Fixture) -> Report {
    let log = f.open();
    let report = verify(&log, &store(f), &key()).await.unwrap();
    log.close();
    report
}

fn sqlite(f: &Fixture) -> Connection {
    Connection::open(f.log_path()).unwrap()
}

fn event_id(f: &Fixture, position: i64) -> Uuid {
    Event::from_json(&stored_body(&f.log_path(), position)).unwrap().id
}

/// The one finding of `problem`, which must name partition 0 and `offset`.
fn assert_found(report: &Report, problem: Problem, offset: u64, id: Uuid) {
    let found: Vec<_> = report.findings.iter().filter(|f| f.problem == problem).collect();
    assert_eq!(found.len(), 1, "{problem:?} in {:#?}", report.findings);
    assert_eq!((found[0].partition, found[0].offset, found[0].event_id), (Some(0), Some(offset), Some(id)), "{}", found[0]);
    assert!(report.has(Problem::ChainMismatch), "the chain no longer matches the checkpoint");
    assert!(!report.is_intact());
}

#[tokio::test]
async fn an_intact_log_verifies_and_new_events_are_sealed_by_the_next_checkpoint() {
    let f = sealed().await;
    let report = check(&f).await;
    assert!(report.is_intact(), "{:#?}", report.findings);
    assert_eq!((report.checkpoints, report.events, report.unsealed), (1, 13, 0));

    let log = f.open();
    append(&log, "dave", DeviceRemoved { device_id: f.edge }).await;
    let report = verify(&log, &store(&f), &key()).await.unwrap();
    assert!(report.is_intact(), "an unsealed tail is not tampering");
    assert_eq!(report.unsealed, 1);
    let cp = seal(&log, &store(&f), &key()).await.unwrap();
    assert_eq!((cp.sealed.number, cp.head(0).unwrap().count), (2, 14));
    let report = verify(&log, &store(&f), &key()).await.unwrap();
    assert!(report.is_intact(), "{:#?}", report.findings);
    assert_eq!((report.checkpoints, report.unsealed), (2, 0));
}

#[tokio::test]
async fn an_altered_event_is_found_at_its_offset() {
    let f = sealed().await;
    let mut event = Event::from_json(&stored_body(&f.log_path(), 4)).unwrap();
    event.actor = "mallory".into();
    replace_body(&f.log_path(), 4, &event.to_json().unwrap());
    assert_found(&check(&f).await, Problem::Altered, 4, event.id);
}

#[tokio::test]
async fn a_deleted_event_is_found_at_its_offset() {
    let f = sealed().await;
    let conn = sqlite(&f);
    let id = event_id(&f, 6);
    conn.execute("DELETE FROM events WHERE position = 6", []).unwrap();
    assert_found(&check(&f).await, Problem::Deleted, 6, id);
}

#[tokio::test]
async fn reordered_events_are_found() {
    let f = sealed().await;
    let conn = sqlite(&f);
    let moved = event_id(&f, 9);
    conn.execute_batch("UPDATE events SET position = -1 WHERE position = 2;
                        UPDATE events SET position = 2 WHERE position = 9;
                        UPDATE events SET position = 9 WHERE position = -1;").unwrap();
    let report = check(&f).await;
    let reordered: Vec<_> = report.findings.iter().filter(|f| f.problem == Problem::Reordered).collect();
    assert!(!reordered.is_empty(), "{:#?}", report.findings);
    assert!(reordered.iter().any(|r| r.event_id == Some(moved) && r.offset == Some(2)), "{reordered:#?}");
    assert!(report.has(Problem::ChainMismatch));
    assert!(!report.has(Problem::Altered) && !report.has(Problem::Deleted));
}

#[tokio::test]
async fn an_inserted_event_is_found_at_its_offset() {
    let f = sealed().await;
    let conn = sqlite(&f);
    conn.execute_batch("UPDATE events SET position = position + 1000000 WHERE position >= 5;
                        UPDATE events SET position = position - 999999 WHERE position >= 1000000;").unwrap();
    let mut forged = Event::new(DeviceRemoved { device_id: DeviceId::new() }, &cause("mallory"));
    forged.stream_version = 0;
    conn.execute(
        "INSERT INTO events (position, stream, version, event_type, body) VALUES (5, ?1, 1, ?2, ?3)",
        params![forged.stream_id.as_str(), forged.event_type(), forged.to_json().unwrap()],
    )
    .unwrap();
    let report = check(&f).await;
    assert_found(&report, Problem::Inserted, 5, forged.id);
    assert!(!report.has(Problem::Deleted) && !report.has(Problem::Altered), "{:#?}", report.findings);
}

#[tokio::test]
async fn a_wrong_key_a_forged_record_or_a_lost_store_fail_verification() {
    let f = sealed().await;
    let log = f.open();
    let other = AuditKey::from_text("some other key of more than thirty-two bytes").unwrap();
    let report = verify(&log, &store(&f), &other).await.unwrap();
    assert!(report.has(Problem::BadSignature));
    assert!(seal(&log, &store(&f), &other).await.is_err(), "nothing is sealed over a checkpoint the key did not sign");

    let records = Connection::open(store(&f).path()).unwrap();
    records.execute("UPDATE sealed_events SET digest = zeroblob(32) WHERE seq = 2", []).unwrap();
    let report = verify(&log, &store(&f), &key()).await.unwrap();
    assert!(report.has(Problem::StoreAltered), "{:#?}", report.findings);

    records.execute_batch("DELETE FROM sealed_events; DELETE FROM checkpoints;").unwrap();
    let report = verify(&log, &store(&f), &key()).await.unwrap();
    assert!(report.has(Problem::NotSealed));
    assert!(!report.is_intact());
}

#[tokio::test]
async fn an_undecodable_event_is_reported_and_what_follows_is_not_called_deleted() {
    let f = sealed().await;
    replace_body(&f.log_path(), 6, br#"{"garbage"}"#);
    let report = check(&f).await;
    let unreadable: Vec<_> = report.findings.iter().filter(|f| f.problem == Problem::Unreadable).collect();
    assert_eq!(unreadable.len(), 1, "{:#?}", report.findings);
    assert!(unreadable[0].detail.contains("position 6"), "{}", unreadable[0]);
    assert!(report.has(Problem::ChainMismatch));
    assert!(!report.has(Problem::Deleted), "events after it were not checked, not deleted: {:#?}", report.findings);
}
