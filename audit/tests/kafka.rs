//! Replay and tamper evidence on a real Apache Kafka topic with several partitions: chains
//! per partition, seal and verify, timelines across partitions, and a checkpoint store that
//! does not belong to the topic it is checked against.
//!
//! Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`). Without it these tests fail, unless
//! `NETRAVEN_SKIP_KAFKA=1` says on purpose to skip them.

mod common;

use common::{append, history};
use netraven_audit::replay::{self, Filter, Format};
use netraven_audit::{AuditKey, CheckpointStore, Problem, seal, verify};
use netraven_events::catalog::DeviceRemoved;
use netraven_events::job_state::JobStatus;
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};

/// A log on a fresh 4-partition topic, or `None` when skipping was asked for explicitly.
async fn fresh_log() -> Option<KafkaLog> {
    let bootstrap = netraven_test_support::kafka_bootstrap()?;
    let mut config = KafkaConfig::new(&bootstrap, &format!("netraven-audit-test-{}", uuid::Uuid::now_v7()));
    config.partitions = 4;
    Some(KafkaLog::connect(config).await.unwrap())
}

#[tokio::test]
async fn kafka_partitions_are_chained_sealed_verified_and_replayed() {
    let Some(log) = fresh_log().await else { return };
    let ids = history(&log).await;
    let dir = tempfile::tempdir().unwrap();
    let store = CheckpointStore::in_data_dir(dir.path());
    let key = AuditKey::from_text("an audit key of more than thirty-two bytes").unwrap();

    let cp = seal(&log, &store, &key).await.unwrap();
    assert!(cp.sealed.heads.len() > 1, "several partitions are chained: {:?}", cp.sealed.heads);
    assert_eq!(cp.sealed.heads.iter().map(|h| h.count).sum::<u64>(), 13);
    let report = verify(&log, &store, &key).await.unwrap();
    assert!(report.is_intact(), "{:#?}", report.findings);

    append(&log, "dave", DeviceRemoved { device_id: ids.edge }).await;
    let cp = seal(&log, &store, &key).await.unwrap();
    assert_eq!((cp.sealed.number, cp.sealed.heads.iter().map(|h| h.count).sum::<u64>()), (2, 14));
    let report = verify(&log, &store, &key).await.unwrap();
    assert!(report.is_intact(), "{:#?}", report.findings);

    let out = Box::new(std::io::sink());
    let device = Filter { device: Some(ids.core), ..Filter::default() };
    assert_eq!(replay::timeline(&log, device, Format::Human, out).await.unwrap(), 10, "device and job streams live on different partitions");
    let state = replay::state::as_of(&log, chrono::Utc::now()).await.unwrap();
    assert_eq!(state.jobs[&ids.job].state.status, JobStatus::Succeeded);
    assert!(!state.devices.contains_key(&ids.edge), "removed");

    // Another topic with a history of the same shape is not the log that was sealed.
    let Some(other) = fresh_log().await else { return };
    history(&other).await;
    let report = verify(&other, &store, &key).await.unwrap();
    assert!(report.has(Problem::ChainMismatch) && report.has(Problem::Deleted), "{:#?}", report.findings);
}
