//! Property: any sequence of job, device, config, credential and schedule events, applied with random crashes
//! (a batch dropped before its commit), restarts and duplicated deliveries, gives exactly the
//! views of one clean pass.

mod common;

use netraven_events::catalog::{
    AttemptOutcome, CredentialAttempted, CredentialId, CredentialRevoked, DeviceId, DeviceRemoved, DeviceUpdated, JobAttemptFailed,
    JobError, JobId, JobQueued, JobRetried, JobType, LogLevel, MissedRunPolicy, ScheduleCreated, ScheduleFired, ScheduleId,
    SchedulePaused, ScheduleSpec,
};
use netraven_events::{Event, EventData, RecordedEvent};
use netraven_projector::ViewStore;
use netraven_test_support::fixtures::*;
use proptest::prelude::*;
use serde_json::json;

/// Small id pools so that random events hit the same jobs and devices.
fn ids() -> (Vec<JobId>, Vec<DeviceId>) {
    ((0..3).map(|i| JobId(uuid::Uuid::from_u128(100 + i))).collect(), (0..2).map(|i| DeviceId(uuid::Uuid::from_u128(200 + i))).collect())
}

/// One random event from a template: (kind, job, device, attempt, variant).
fn event_of((kind, j, d, attempt, variant): (u8, usize, usize, u32, u8)) -> EventData {
    let (jobs, devices) = ids();
    let (job, device) = (jobs[j], devices[d]);
    let (credential, schedule) = (CredentialId(uuid::Uuid::from_u128(300)), ScheduleId(uuid::Uuid::from_u128(400)));
    let hash = format!("h{variant}");
    match kind {
        0 => job_requested(job, device, "backup", variant as i32),
        1 => JobQueued { job_id: job, priority: 0 }.into(),
        2 => dispatched(job, device, attempt),
        3 => started(job, attempt),
        4 => succeeded(job, attempt),
        5 => failed(job, attempt, "TIMEOUT"),
        6 => JobAttemptFailed { job_id: job, attempt, error: JobError { code: "AUTH".into(), message: "refused".into(), retryable: true } }.into(),
        7 => JobRetried { job_id: job, attempt, backoff_ms: 10 }.into(),
        8 => config_captured(job, device, attempt, &format!("hostname r{d}\nversion {variant}\n"), &hash),
        9 => logged(job, LogLevel::Info, "step", json!({ "n": variant })),
        10 => device_registered(device, &format!("r{d}"), &["core"]),
        13 => credential_added(credential, "lab", "c2VhbGVk"),
        14 => CredentialAttempted { credential_id: credential, device_id: device, job_id: job, outcome: if variant == 0 { AttemptOutcome::Success } else { AttemptOutcome::AuthenticationFailed } }.into(),
        15 => CredentialRevoked { credential_id: credential }.into(),
        16 => ScheduleCreated {
            schedule_id: schedule,
            name: "nightly".into(),
            spec: ScheduleSpec::Interval { every_secs: 3600 },
            missed_runs: MissedRunPolicy::FireOnce,
            job_type: JobType::Backup,
            target: netraven_events::catalog::JobTarget::Tags { tags: vec!["core".into()] },
            parameters: Default::default(),
        }
        .into(),
        17 => SchedulePaused { schedule_id: schedule }.into(),
        18 => ScheduleFired { schedule_id: schedule, due_at: chrono::DateTime::from_timestamp(1_800_000_000 + variant as i64, 0).unwrap(), job_id: job }.into(),
        11 => DeviceUpdated { device_id: device, name: None, host: None, port: None, platform: None, protocol: None, tags: Some(vec![format!("t{variant}")]) }.into(),
        12 => DeviceRemoved { device_id: device }.into(),
        _ => unreachable!("kinds are 0..19"),
    }
}

fn arb_log() -> impl Strategy<Value = Vec<RecordedEvent>> {
    let template = (0u8..19, 0usize..3, 0usize..2, 1u32..3, 0u8..3);
    (prop::collection::vec(template, 1..60), prop::collection::vec(any::<prop::sample::Index>(), 0..8)).prop_map(|(templates, copies)| {
        let cause = cause("ana", "corr-1");
        let mut events: Vec<Event> = templates.into_iter().map(|t| Event::new(event_of(t), &cause)).collect();
        // A producer that retried an acknowledged append: the same event again, later in the log.
        let again: Vec<Event> = copies.iter().map(|i| events[i.index(events.len())].clone()).collect();
        events.extend(again);
        events.into_iter().enumerate().map(|(i, event)| RecordedEvent { partition: 0, offset: i as u64 + 1, event }).collect()
    })
}

/// How one delivery goes: batch size, crash after this many events (if any), and how many
/// already-applied events the log delivers again first.
fn arb_plan() -> impl Strategy<Value = Vec<(usize, Option<usize>, usize)>> {
    prop::collection::vec((1usize..12, prop::option::of(0usize..12), 0usize..4), 0..20)
}

fn clean_pass(records: &[RecordedEvent]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = ViewStore::open(dir.path().join("views.db")).unwrap();
    store.apply_all(records).unwrap();
    common::dump(store.connection())
}

fn crashy_pass(records: &[RecordedEvent], plan: &[(usize, Option<usize>, usize)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("views.db");
    let mut store = ViewStore::open(&path).unwrap();
    let mut steps = plan.iter();
    loop {
        let next = store.position().unwrap().next_offset(0);
        let start = records.iter().position(|r| r.offset >= next).unwrap_or(records.len());
        if start == records.len() {
            break;
        }
        let (size, crash, redeliver) = steps.next().copied().unwrap_or((7, None, 0));
        let from = start.saturating_sub(redeliver);
        let delivery = &records[from..(start + size).min(records.len())];
        let mut batch = store.begin().unwrap();
        match crash {
            Some(k) => {
                for r in delivery.iter().take(k) {
                    batch.apply(r).unwrap();
                }
                drop(batch);
                drop(store);
                store = ViewStore::open(&path).unwrap();
            }
            None => {
                for r in delivery {
                    batch.apply(r).unwrap();
                }
                batch.commit().unwrap();
            }
        }
    }
    // Everything delivered once more after the end (a consumer group rebalance) changes nothing.
    store.apply_all(records).unwrap();
    common::dump(store.connection())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn crashes_restarts_and_duplicates_give_the_views_of_one_clean_pass(records in arb_log(), plan in arb_plan()) {
        prop_assert_eq!(crashy_pass(&records, &plan), clean_pass(&records));
    }
}
