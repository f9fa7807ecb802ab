//! Given jobs → when the dispatcher decides at a time → then the events it appends.

use super::*;
use crate::decide::given::{backup, device, registry};
use chrono::Duration;

fn types(decisions: &[Decision]) -> Vec<(JobId, Vec<&'static str>)> {
    let mut out: Vec<_> = decisions.iter().map(|(id, _, events)| (*id, events.iter().map(|e| e.event_type()).collect())).collect();
    out.sort();
    out
}

const QUEUED: &str = "netraven.job.queued.v1";
const DISPATCHED: &str = "netraven.job.dispatched.v1";

#[test]
fn a_requested_job_is_queued_and_dispatched_in_one_pass() {
    let (d, dev) = device(1, &[]);
    let (j, job) = backup(10, d);
    let reg = registry(vec![dev, job]);
    let decided = decide(&reg, Utc::now(), &DispatchConfig::default(), true);
    assert_eq!(types(&decided), vec![(j, vec![QUEUED, DISPATCHED])]);
    let EventData::JobDispatched(dispatch) = &decided[0].2[1] else { panic!("{decided:?}") };
    assert_eq!(dispatch.log_position.as_deref(), Some("0:1"), "the dispatch says how far its decision read the device's events");
}

#[test]
fn one_backup_per_device_runs_at_a_time_unless_forced_and_higher_priority_goes_first() {
    let (d, dev) = device(1, &[]);
    let (low, mut low_req) = backup(10, d);
    let (high, mut high_req) = backup(11, d);
    if let EventData::JobRequested(r) = &mut high_req {
        r.priority = 50;
    }
    let reg = registry(vec![dev.clone(), low_req.clone(), high_req.clone()]);
    let decided = types(&decide(&reg, Utc::now(), &DispatchConfig::default(), true));
    assert_eq!(decided, vec![(low, vec![QUEUED]), (high, vec![QUEUED, DISPATCHED])]);
    if let EventData::JobRequested(r) = &mut low_req {
        r.force = true;
    }
    let forced = registry(vec![dev, low_req, high_req]);
    let decided = types(&decide(&forced, Utc::now(), &DispatchConfig::default(), true));
    assert_eq!(decided, vec![(low, vec![QUEUED, DISPATCHED]), (high, vec![QUEUED, DISPATCHED])]);
}

#[test]
fn the_in_flight_limit_holds_jobs_back() {
    let (a, dev_a) = device(1, &[]);
    let (b, dev_b) = device(2, &[]);
    let reg = registry(vec![dev_a, dev_b, backup(10, a).1, backup(11, b).1]);
    let config = DispatchConfig { max_in_flight: 1, ..DispatchConfig::default() };
    let dispatched: usize = decide(&reg, Utc::now(), &config, true).iter().map(|(_, _, e)| e.iter().filter(|e| e.event_type() == DISPATCHED).count()).sum();
    assert_eq!(dispatched, 1);
}

#[test]
fn with_no_room_to_dispatch_new_jobs_are_still_queued_and_the_rest_left_alone() {
    let (a, dev_a) = device(1, &[]);
    let (b, dev_b) = device(2, &[]);
    let (running, running_req) = backup(10, a);
    let (new, new_req) = backup(11, b);
    let flying = vec![JobQueued { job_id: running, priority: 0 }.into(), JobDispatched { job_id: running, attempt: 1, device_id: a, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 60, log_position: None }.into()];
    let config = DispatchConfig { max_in_flight: 1, ..DispatchConfig::default() };
    let reg = registry([vec![dev_a.clone(), dev_b.clone(), running_req.clone()], flying.clone(), vec![new_req.clone()]].concat());
    assert_eq!(types(&decide(&reg, Utc::now(), &config, false)), vec![(new, vec![QUEUED])]);
    let queued = registry([vec![dev_a, dev_b, running_req], flying, vec![new_req, JobQueued { job_id: new, priority: 0 }.into()]].concat());
    assert!(decide(&queued, Utc::now(), &config, false).is_empty(), "a queued job waits for room");
    assert!(queued.must_check.is_empty() && queued.waiting.contains(&new));
}

#[test]
fn a_job_waits_for_its_dependency_and_fails_when_it_fails() {
    let (d, dev) = device(1, &[]);
    let (first, first_req) = backup(10, d);
    let (second, mut second_req) = backup(11, d);
    if let EventData::JobRequested(r) = &mut second_req {
        r.depends_on = vec![first];
        r.force = true;
    }
    let reg = registry(vec![dev.clone(), first_req.clone(), second_req.clone()]);
    assert_eq!(types(&decide(&reg, Utc::now(), &DispatchConfig::default(), true)), vec![(first, vec![QUEUED, DISPATCHED]), (second, vec![QUEUED])]);
    let failed = JobFailed { job_id: first, attempt: 0, error: failure("X", "no".into()) };
    let reg = registry(vec![dev, first_req, second_req, failed.into(), JobQueued { job_id: second, priority: 0 }.into()]);
    assert_eq!(types(&decide(&reg, Utc::now(), &DispatchConfig::default(), true)), vec![(second, vec!["netraven.job.failed.v1"])]);
}

#[test]
fn a_silent_attempt_is_retried_and_finally_times_out() {
    let (d, dev) = device(1, &[]);
    let (j, job) = backup(10, d);
    let dispatched = |attempt| JobDispatched { job_id: j, attempt, device_id: d, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 60, log_position: None }.into();
    let reg = registry(vec![dev.clone(), job.clone(), JobQueued { job_id: j, priority: 0 }.into(), dispatched(1)]);
    let config = DispatchConfig::default();
    assert!(decide(&reg, Utc::now() + Duration::seconds(60), &config, true).is_empty());
    assert_eq!(types(&decide(&reg, Utc::now() + Duration::seconds(120), &config, true)), vec![(j, vec!["netraven.job.retried.v1"])]);
    let last = registry(vec![dev, job, JobQueued { job_id: j, priority: 0 }.into(), dispatched(1),
        JobRetried { job_id: j, attempt: 2, backoff_ms: 0 }.into(), dispatched(2),
        JobRetried { job_id: j, attempt: 3, backoff_ms: 0 }.into(), dispatched(3)]);
    assert_eq!(types(&decide(&last, Utc::now() + Duration::seconds(120), &config, true)), vec![(j, vec!["netraven.job.timed_out.v1"])]);
}

#[test]
fn a_retry_waits_for_its_back_off() {
    let (d, dev) = device(1, &[]);
    let (j, job) = backup(10, d);
    let reg = registry(vec![dev, job, JobQueued { job_id: j, priority: 0 }.into(),
        JobDispatched { job_id: j, attempt: 1, device_id: d, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 60, log_position: None }.into(),
        JobRetried { job_id: j, attempt: 2, backoff_ms: 5_000 }.into()]);
    assert!(decide(&reg, Utc::now(), &DispatchConfig::default(), true).is_empty());
    let later = decide(&reg, Utc::now() + Duration::seconds(6), &DispatchConfig::default(), true);
    assert!(matches!(&later[0].2[0], EventData::JobDispatched(d) if d.attempt == 2));
}

#[test]
fn a_parent_ends_when_all_its_children_ended() {
    let (d, dev) = device(1, &[]);
    let parent = JobId(uuid::Uuid::from_u128(9));
    let (child, mut child_req) = backup(10, d);
    if let EventData::JobRequested(r) = &mut child_req {
        r.parent_job_id = Some(parent);
    }
    let mut parent_req = backup(9, d).1;
    if let EventData::JobRequested(r) = &mut parent_req {
        r.target = JobTarget::Tags { tags: vec!["core".into()] };
    }
    let running = registry(vec![dev.clone(), parent_req.clone(), child_req.clone(), JobQueued { job_id: parent, priority: 0 }.into()]);
    assert_eq!(types(&decide(&running, Utc::now(), &DispatchConfig::default(), true)), vec![(parent, vec![]), (child, vec![QUEUED, DISPATCHED])].into_iter().filter(|(_, e)| !e.is_empty()).collect::<Vec<_>>());
    let done = registry(vec![dev, parent_req, child_req, JobQueued { job_id: parent, priority: 0 }.into(), JobCancelled { job_id: child, reason: "x".into() }.into()]);
    assert_eq!(types(&decide(&done, Utc::now(), &DispatchConfig::default(), true)), vec![(parent, vec!["netraven.job.failed.v1"])]);
}

#[test]
fn a_parent_waits_for_every_child_it_requested_whatever_order_their_requests_are_read_in() {
    let parent = JobId(uuid::Uuid::from_u128(9));
    let (mut devices, mut children, mut requests) = (Vec::new(), Vec::new(), Vec::new());
    for n in 1..=3 {
        let (d, dev) = device(n, &[]);
        let (id, mut req) = backup(10 + n, d);
        if let EventData::JobRequested(r) = &mut req {
            r.parent_job_id = Some(parent);
        }
        devices.push(dev);
        children.push(id);
        requests.push(req);
    }
    let mut parent_req = backup(9, DeviceId(uuid::Uuid::from_u128(1))).1;
    if let EventData::JobRequested(r) = &mut parent_req {
        r.target = JobTarget::Tags { tags: vec!["core".into()] };
        r.child_count = Some(3);
    }
    let ended = |job_id| -> EventData { JobCancelled { job_id, reason: "x".into() }.into() };
    let parent_ends = |events: Vec<EventData>| {
        let reg = registry([devices.clone(), events].concat());
        decide(&reg, Utc::now(), &DispatchConfig::default(), false).into_iter().any(|(id, _, _)| id == parent)
    };
    // The first child's partition was read before the parent's; the third's not yet.
    let (first, second, third) = (children[0], children[1], children[2]);
    let read = vec![requests[0].clone(), parent_req, requests[1].clone(), JobQueued { job_id: parent, priority: 0 }.into(), ended(first), ended(second)];
    assert_eq!(registry(read.clone()).jobs[&parent].children, vec![first, second]);
    assert!(!parent_ends(read.clone()), "the third child's request is not read yet");
    assert!(!parent_ends([read.clone(), vec![requests[2].clone()]].concat()), "the third child is still open");
    let all = registry([devices.clone(), read, vec![requests[2].clone(), ended(third)]].concat());
    assert_eq!(all.jobs[&parent].children, children);
    assert_eq!(types(&decide(&all, Utc::now(), &DispatchConfig::default(), false)), vec![(parent, vec!["netraven.job.failed.v1"])]);
}
