//! Two scheduler instances on one Kafka topic, each with its own writer, both firing the same
//! due time at the same moment: one job results, not two (its id derives from the schedule and
//! the due time, and the second firing is refused or collapses into the first). Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`); without it this test
//! fails, unless `NETRAVEN_SKIP_KAFKA=1` says on purpose to skip it.

use netraven_api::{Principal, Role};
use netraven_command_handler::decide::devices::{self, DeviceCreate};
use netraven_command_handler::decide::schedules::{self, ScheduleCreate};
use netraven_command_handler::runner;
use netraven_command_handler::state::{CommandState, cause};
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use netraven_events::{EventData, EventLog, Position};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_schedulers_fire_a_due_time_once() {
    let Some(bootstrap) = netraven_test_support::kafka_bootstrap() else { return };
    let topic = format!("netraven-scheduler-test-{}", uuid::Uuid::now_v7());
    let connect = |writer: &str| {
        let mut config = KafkaConfig::new(&bootstrap, &topic);
        config.partitions = 4;
        config.writer_id = format!("{topic}-{writer}");
        KafkaLog::connect(config)
    };
    let a: Arc<dyn EventLog> = Arc::new(connect("a").await.unwrap());
    let state_a = CommandState::start(a.clone()).await.unwrap();
    let admin = Principal { user: "ops".into(), role: Role::Admin, device_tags: vec![] };
    let c = cause("ops", "corr-sched");
    let device = DeviceCreate { name: "r1".into(), host: Some("192.0.2.1".into()), tags: vec!["core".into()], ..DeviceCreate::default() };
    state_a.execute(&c, |reg| Ok((devices::register(reg, &admin, vec![device.clone()])?, vec![]))).await.unwrap();
    let at = chrono::Utc::now() + chrono::Duration::seconds(3);
    let body: ScheduleCreate = serde_json::from_value(serde_json::json!({
        "name": "once", "spec": { "kind": "once", "at": at }, "missed_runs": "fire_once",
        "job": { "type": "backup", "target": { "kind": "tags", "tags": ["core"] } }
    }))
    .unwrap();
    state_a.execute(&c, |reg| Ok((vec![schedules::create(reg, &admin, body.clone())?.1], vec![]))).await.unwrap();
    let b: Arc<dyn EventLog> = Arc::new(connect("b").await.unwrap());
    let state_b = CommandState::start(b.clone()).await.unwrap();
    for state in [&state_a, &state_b] {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !state.read(|reg| reg.schedules.len() == 1) {
            assert!(std::time::Instant::now() < deadline, "an instance never saw the schedule");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let now = at + chrono::Duration::seconds(1);
    let (tried_a, tried_b) = tokio::join!(runner::fire_due(&state_a, now), runner::fire_due(&state_b, now));
    assert_eq!((tried_a, tried_b), (1, 1), "both instances fire the same due time at once");
    let mut all = a.read_all(Position::start()).await.unwrap();
    let mut requested = HashSet::new();
    let mut fired = 0;
    while let Some(next) = all.next().await {
        match next.unwrap().event.data {
            EventData::JobRequested(r) => {
                requested.insert(r.job_id);
            }
            EventData::ScheduleFired(_) => fired += 1,
            _ => {}
        }
    }
    assert!((1..=2).contains(&fired), "the due time fired ({fired} firing events)");
    assert_eq!(requested.len(), 2, "one job and its one child, whichever instances fired: {requested:?}");
    for state in [&state_a, &state_b] {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !state.read(|reg| reg.jobs.len() == 2) {
            assert!(std::time::Instant::now() < deadline, "the registry holds one job and its child");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(runner::fire_due(state, now).await, 0, "a fired due time does not fire again");
    }
}
