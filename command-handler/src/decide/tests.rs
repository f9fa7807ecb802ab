//! Given a registry → when a command → then events or the error that refuses it.

use super::given::{backup, device, registry, who};
use super::jobs::{self, JobCreate, Requested};
use super::schedules::{self, ScheduleCreate};
use chrono::{Duration, Utc};
use netraven_api::Role;
use netraven_events::EventData;
use netraven_events::catalog::*;

fn body(target: JobTarget) -> JobCreate {
    serde_json::from_value(serde_json::json!({ "type": "backup", "target": target })).unwrap()
}

#[test]
fn a_tag_target_fans_out_into_one_child_per_device() {
    let (a, dev_a) = device(1, &["core"]);
    let (b, dev_b) = device(2, &["core", "site-a"]);
    let (_, dev_c) = device(3, &["edge"]);
    let reg = registry(vec![dev_a, dev_b, dev_c]);
    let Requested::New(parent, events) = jobs::request(&reg, &who(Role::Operator), body(JobTarget::Tags { tags: vec!["core".into()] }), None, None).unwrap() else { panic!() };
    assert_eq!(events.len(), 3);
    let children: Vec<(Option<JobId>, JobTarget)> = events[1..].iter().map(|e| match e { EventData::JobRequested(r) => (r.parent_job_id, r.target.clone()), _ => panic!() }).collect();
    assert_eq!(children, vec![(Some(parent), JobTarget::Device { device_id: a }), (Some(parent), JobTarget::Device { device_id: b })]);
    let counts: Vec<Option<u32>> = events.iter().map(|e| match e { EventData::JobRequested(r) => r.child_count, _ => panic!() }).collect();
    assert_eq!(counts, vec![Some(2), None, None], "the parent says how many children it requested");
}

#[test]
fn the_same_idempotency_key_returns_the_same_job() {
    let (d, dev) = device(1, &[]);
    let reg = registry(vec![dev]);
    let key = Some("retry-1".to_string());
    let Requested::New(job_id, mut events) = jobs::request(&reg, &who(Role::Operator), body(JobTarget::Device { device_id: d }), key.clone(), None).unwrap() else { panic!() };
    let mut with_job = vec![device(1, &[]).1];
    if let EventData::JobRequested(r) = &mut events[0] {
        assert_eq!(r.idempotency_key, key);
    }
    with_job.append(&mut events);
    let mut reg = registry(with_job);
    // The fixture's actor is "ana": the key belongs to her.
    let ana = netraven_api::Principal { user: "ana".into(), ..who(Role::Operator) };
    assert_eq!(jobs::request(&reg, &ana, body(JobTarget::Device { device_id: d }), key.clone(), None).unwrap(), Requested::Existing(job_id));
    reg.idempotency.clear();
    assert!(matches!(jobs::request(&reg, &ana, body(JobTarget::Device { device_id: d }), key, None).unwrap(), Requested::New(..)));
}

#[test]
fn bad_requests_say_what_is_wrong() {
    let (d, dev) = device(1, &["site-a"]);
    let reg = registry(vec![dev]);
    let op = who(Role::Operator);
    let missing = jobs::request(&reg, &op, body(JobTarget::Device { device_id: DeviceId(uuid::Uuid::from_u128(99)) }), None, None).unwrap_err();
    assert_eq!(missing.code(), "INVALID_INPUT");
    let mut command = body(JobTarget::Device { device_id: d });
    command.job_type = JobType::Command;
    assert!(jobs::request(&reg, &op, command, None, None).unwrap_err().to_string().contains("commands"));
    let mut slow = body(JobTarget::Device { device_id: d });
    slow.timeout_secs = 0;
    assert!(jobs::request(&reg, &op, slow, None, None).unwrap_err().to_string().contains("timeout_secs"));
    assert_eq!(jobs::request(&reg, &who(Role::Viewer), body(JobTarget::Device { device_id: d }), None, None).unwrap_err().code(), "FORBIDDEN");
    let scoped = netraven_api::Principal { device_tags: vec!["site-b".into()], ..op };
    assert_eq!(jobs::request(&reg, &scoped, body(JobTarget::Device { device_id: d }), None, None).unwrap_err().code(), "FORBIDDEN");
}

#[test]
fn an_ended_job_cannot_be_cancelled() {
    let (d, dev) = device(1, &[]);
    let (j, job) = backup(10, d);
    let reg = registry(vec![dev, job, JobCancelled { job_id: j, reason: "first".into() }.into()]);
    assert_eq!(jobs::cancel(&reg, &who(Role::Operator), j, None).unwrap_err().code(), "CONFLICT");
}

fn schedule(spec: serde_json::Value, policy: &str, target: DeviceId) -> ScheduleCreate {
    serde_json::from_value(serde_json::json!({ "name": "nightly", "spec": spec, "missed_runs": policy, "job": { "type": "backup", "target": { "kind": "device", "device_id": target } } })).unwrap()
}

fn fired_times(reg: &crate::registry::Registry, now: chrono::DateTime<Utc>) -> usize {
    schedules::fire_due(reg, now).iter().flat_map(|(_, _, e)| e).filter(|e| matches!(e, EventData::ScheduleFired(_))).count()
}

#[test]
fn missed_runs_follow_the_schedule_policy() {
    let (d, dev) = device(1, &[]);
    for (policy, expected_after_5_missed) in [("catch_up", 5), ("fire_once", 1), ("skip", 0)] {
        let reg = registry(vec![dev.clone()]);
        let (_, created) = schedules::create(&reg, &who(Role::Operator), schedule(serde_json::json!({ "kind": "interval", "every_secs": 120 }), policy, d)).unwrap();
        let reg = registry(vec![dev.clone(), created]);
        let now = Utc::now();
        assert_eq!(fired_times(&reg, now + Duration::seconds(30)), 0, "{policy}: not yet due");
        assert_eq!(fired_times(&reg, now + Duration::seconds(5 * 120 + 90)), expected_after_5_missed, "{policy}");
        assert_eq!(fired_times(&reg, now + Duration::seconds(121)), 1, "{policy}: on time");
    }
}

#[test]
fn a_fired_due_time_does_not_fire_again_and_cron_needs_a_real_zone() {
    let (d, dev) = device(1, &[]);
    let reg = registry(vec![dev.clone()]);
    let (id, created) = schedules::create(&reg, &who(Role::Operator), schedule(serde_json::json!({ "kind": "interval", "every_secs": 60 }), "catch_up", d)).unwrap();
    let now = Utc::now() + Duration::seconds(61);
    let reg1 = registry(vec![dev.clone(), created.clone()]);
    let fired = schedules::fire_due(&reg1, now);
    let mut events = vec![dev.clone(), created];
    events.extend(fired[0].2.clone());
    let reg2 = registry(events);
    assert_eq!(fired_times(&reg2, now), 0);
    assert!(reg2.schedules[&id].last_due.is_some());
    let bad = schedule(serde_json::json!({ "kind": "cron", "expression": "0 2 * * *", "timezone": "Mars/Olympus" }), "skip", d);
    assert!(schedules::create(&reg, &who(Role::Operator), bad).unwrap_err().to_string().contains("time zone"));
    let bad = schedule(serde_json::json!({ "kind": "cron", "expression": "99 * * * *", "timezone": "Europe/Paris" }), "skip", d);
    assert!(schedules::create(&reg, &who(Role::Operator), bad).unwrap_err().to_string().contains("cron"));
    let good = schedule(serde_json::json!({ "kind": "cron", "expression": "0 2 * * *", "timezone": "Europe/Paris" }), "skip", d);
    assert!(schedules::create(&reg, &who(Role::Viewer), good.clone()).is_err());
    assert!(schedules::create(&reg, &who(Role::Operator), good).is_ok());
}

#[test]
fn two_schedulers_firing_the_same_due_time_request_the_same_job_which_folds_once() {
    let (d, dev) = device(1, &["core"]);
    let reg = registry(vec![dev.clone()]);
    let body = schedule(serde_json::json!({ "kind": "interval", "every_secs": 120 }), "fire_once", d);
    let (_, created) = schedules::create(&reg, &who(Role::Operator), body).unwrap();
    let reg = registry(vec![dev.clone(), created.clone()]);
    let now = Utc::now() + Duration::seconds(130);
    let first = schedules::fire_due(&reg, now);
    let second = schedules::fire_due(&reg, now);
    assert_eq!(first[0].2, second[0].2.iter().map(|e| match e {
        EventData::JobRequested(_) | EventData::ScheduleFired(_) => e.clone(),
        _ => unreachable!(),
    }).collect::<Vec<_>>());
    let mut both = vec![dev, created];
    both.extend(first[0].2.clone());
    both.extend(second[0].2.clone());
    let folded = registry(both);
    assert_eq!(folded.jobs.len(), 1, "the duplicate request is ignored");
    assert_eq!(fired_times(&folded, now), 0, "and the due time does not fire again");
}

#[test]
fn key_rotation_reseals_old_secrets_and_a_removed_key_shreds_them() {
    use netraven_vault::Vault;
    let old = Vault::from_keys([(1, [1u8; 32])]).unwrap();
    let body: super::credentials::CredentialCreate = serde_json::from_value(serde_json::json!({ "name": "c", "username": "u", "secret": "pw-1", "enable_secret": "en-1" })).unwrap();
    let (id, added) = super::credentials::add(&who(Role::Admin), &old, body).unwrap();
    let reg = registry(vec![added]);
    let both = Vault::from_keys([(1, [1u8; 32]), (2, [2u8; 32])]).unwrap();
    let decided = super::credentials::reencrypt(&reg, &who(Role::Admin), &both).unwrap();
    assert_eq!(decided.shredded, vec![]);
    let EventData::CredentialRotated(rotated) = &decided.events[0].0 else { panic!() };
    assert_eq!((rotated.secret.key_version, rotated.enable_secret.as_ref().unwrap().key_version), (2, 2));
    assert_eq!(both.open(&rotated.secret, id.0.as_bytes()).unwrap().as_str(), "pw-1");
    let rotated_reg = registry(vec![reg_event(&reg, id), decided.events[0].0.clone()]);
    assert!(super::credentials::reencrypt(&rotated_reg, &who(Role::Admin), &both).unwrap().events.is_empty(), "nothing left to re-encrypt");
    let only_new = Vault::from_keys([(2, [2u8; 32])]).unwrap();
    assert_eq!(super::credentials::reencrypt(&reg, &who(Role::Admin), &only_new).unwrap().shredded, vec![id]);
    assert_eq!(super::credentials::reencrypt(&reg, &who(Role::Operator), &both).unwrap_err().code(), "FORBIDDEN");
}

fn reg_event(reg: &crate::registry::Registry, id: CredentialId) -> EventData {
    let info = &reg.credentials[&id];
    CredentialAdded { credential_id: id, name: info.name.clone(), username: "u".into(), secret: info.secret.clone(), enable_secret: info.enable_secret.clone(), tags: vec![], priority: 0 }.into()
}
