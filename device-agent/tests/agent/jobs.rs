//! Each job type through the agent against simulated devices, credential fallback, and the
//! circuit breaker of a device that keeps failing.

use crate::harness::*;
use netraven_devsim::{DeviceSpec, Faults, Platform, Refusal};
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_events::job_state::JobStatus;

fn commands(list: &[&str], config_mode: bool) -> JobParameters {
    JobParameters { commands: list.iter().map(|c| c.to_string()).collect(), config_mode }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispatched_backup_ends_with_its_configuration_and_success() {
    let Lab { fleet: _fleet, h, device, .. } = lab(DeviceSpec::new("edge-1", Platform::CiscoIos), Some("cisco_ios")).await;
    let agent = h.start(config("agent-1"));
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;

    let events = h.wait_attempt_end(job, 1).await;
    let kinds: Vec<_> = types(&events).into_iter().filter(|t| *t != "netraven.job.logged.v1").collect();
    assert_eq!(
        kinds,
        [
            "netraven.job.requested.v1",
            "netraven.job.queued.v1",
            "netraven.job.dispatched.v1",
            "netraven.job.started.v1",
            "netraven.job.credential_attempted.v1",
            "netraven.job.config_captured.v1",
            "netraven.job.succeeded.v1",
        ]
    );
    let config = events.iter().find_map(|e| if let EventData::ConfigCaptured(c) = e { Some(c) } else { None }).unwrap();
    assert!(config.content.contains("hostname edge-1"));
    assert!(config.content.contains("snmp-server community <redacted>"));
    let state = fold(&events);
    assert_eq!((state.status, state.attempt), (JobStatus::Succeeded, 1));
    assert!(messages(&events).iter().any(|m| m.starts_with("attempt 1 succeeded: backup of")));
    agent.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_credential_falls_back_to_the_next_one() {
    let mut spec = DeviceSpec::new("edge-2", Platform::AristaEos);
    (spec.password, spec.enable_secret) = ("CanaryRight-4471".into(), "CanaryEnable-2290".into());
    let Lab { fleet: _fleet, info, h, device } = lab(spec, Some("arista_eos")).await;
    let wrong = h.credential(&info.username, "CanaryWrong-9982", None, 0).await;
    let agent = h.start(config("agent-1"));
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;

    let events = h.wait_attempt_end(job, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    agent.stop().await;
    let all = h.log.read_all(Default::default()).await;
    let mut all = all.unwrap();
    let mut attempts = Vec::new();
    while let Some(recorded) = all.next().await {
        if let EventData::CredentialAttempted(a) = recorded.unwrap().event.data {
            attempts.push((a.credential_id, a.outcome));
        }
    }
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(attempts[0], (wrong, AttemptOutcome::AuthenticationFailed));
    assert_ne!(attempts[1].0, wrong);
    assert_eq!(attempts[1].1, AttemptOutcome::Success);
    for secret in ["CanaryRight-4471", "CanaryEnable-2290", "CanaryWrong-9982"] {
        assert!(!h.log_files_contain(secret), "{secret} reached the event log");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_that_keeps_failing_opens_its_breaker_and_the_job_says_so() {
    let mut spec = DeviceSpec::new("down-1", Platform::CiscoIos);
    spec.faults = Faults { refuse: Refusal::StopListening, ..Faults::default() };
    let Lab { fleet: _fleet, h, device, .. } = lab(spec, Some("cisco_ios")).await;
    let agent = h.start(config("agent-1"));

    for _ in 0..5 {
        let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
        let events = h.wait_attempt_end(job, 1).await;
        let failed = events.iter().find_map(|e| if let EventData::JobAttemptFailed(f) = e { Some(f) } else { None }).unwrap();
        assert_eq!(failed.error.code, "UNREACHABLE");
        assert!(matches!(events.last(), Some(EventData::JobRetried(r)) if r.attempt == 2 && r.backoff_ms <= 500));
    }
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    let events = h.wait_attempt_end(job, 1).await;
    let Some(EventData::JobFailed(failed)) = events.last() else { panic!("{:#?}", types(&events)) };
    assert_eq!(failed.error.code, "CIRCUIT_OPEN");
    assert!(!failed.error.retryable);
    assert!(messages(&events).iter().any(|m| m.contains("circuit breaker") && m.contains("open")), "{:#?}", messages(&events));
    assert!(!events.iter().any(|e| matches!(e, EventData::CredentialAttempted(_))), "no connection was attempted");
    agent.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_job_captures_each_output_filtered_and_can_configure() {
    let Lab { fleet, h, device, .. } = lab(DeviceSpec::new("edge-3", Platform::CiscoIos), Some("cisco_ios")).await;
    let agent = h.start(config("agent-1"));

    let show = h.dispatch(device, JobType::Command, commands(&["show version", "show running-config"], false)).await;
    let events = h.wait_attempt_end(show, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    let outputs: Vec<&CommandOutputCaptured> = events.iter().filter_map(|e| if let EventData::CommandOutputCaptured(o) = e { Some(o) } else { None }).collect();
    assert_eq!(outputs.iter().map(|o| o.command.as_str()).collect::<Vec<_>>(), ["show version", "show running-config"]);
    assert!(outputs[0].output.contains("Cisco IOS Software"), "{}", outputs[0].output);
    assert!(outputs[1].output.contains("snmp-server community <redacted>"));

    let configure = h.dispatch(device, JobType::Command, commands(&["hostname core-9"], true)).await;
    let events = h.wait_attempt_end(configure, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    assert_eq!(fleet.device(0).unwrap().hostname(), "core-9");

    let rejected = h.dispatch(device, JobType::Command, commands(&["show nonsense-here"], false)).await;
    let events = h.wait_attempt_end(rejected, 1).await;
    let Some(EventData::JobFailed(failed)) = events.last() else { panic!("{:#?}", types(&events)) };
    assert_eq!(failed.error.code, "COMMAND_REJECTED");
    agent.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detect_job_names_the_platform_and_later_jobs_use_it() {
    let Lab { fleet: _fleet, h, device, .. } = lab(DeviceSpec::new("unknown-1", Platform::JuniperJunos), None).await;
    let agent = h.start(config("agent-1"));

    let detect = h.dispatch(device, JobType::Detect, JobParameters::default()).await;
    let events = h.wait_attempt_end(detect, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    let device_events = h.log.read_stream(&device.stream(), 1).await.unwrap();
    let detected = device_events.iter().find_map(|r| if let EventData::DevicePlatformDetected(d) = &r.event.data { Some(d.clone()) } else { None });
    let detected = detected.expect("the platform is recorded on the device");
    assert_eq!((detected.platform.as_str(), detected.job_id), ("juniper_junos", detect));

    let backup = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    let events = h.wait_attempt_end(backup, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "the detected profile backs it up: {:#?}", messages(&events));
    agent.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_over_telnet() {
    let mut spec = DeviceSpec::new("edge-t", Platform::CiscoIos);
    (spec.ssh, spec.telnet) = (false, true);
    let fleet = fleet(vec![spec]).await;
    let info = fleet.devices()[0].clone();
    let h = Harness::new();
    let device = h.device(info.telnet_port.unwrap(), Some("cisco_ios"), Protocol::Telnet).await;
    h.credential(&info.username, &info.password, Some(&info.enable_secret), 0).await;
    let agent = h.start(config("agent-1"));
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    let events = h.wait_attempt_end(job, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    let config = events.iter().find_map(|e| if let EventData::ConfigCaptured(c) = e { Some(c) } else { None }).unwrap();
    assert!(config.content.contains("hostname edge-t"));
    agent.stop().await;
}
