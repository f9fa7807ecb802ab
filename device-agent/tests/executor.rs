//! A backup attempt end to end on a simulated device: the first credential is refused and the
//! next one used, every attempt and the host key are recorded, the configuration is captured
//! redacted, and no planted secret reaches the event log file.

use netraven_device_agent::executor::{AttemptTarget, DeviceRecord, Executor, SealedCredential};
use netraven_device_agent::pool::{ConnectionManager, PoolConfig};
use netraven_device_agent::profile::ProfileSet;
use netraven_device_agent::protocol::{HostKeyPolicy, Timeouts};
use netraven_devsim::{DeviceSpec, Fleet, FleetConfig, Platform};
use netraven_events::catalog::*;
use netraven_events::joblog::JobLogger;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, Cause, EventData, EventLog};
use netraven_redact::SensitiveDataFilter;
use netraven_vault::Vault;
use std::sync::Arc;

const WRONG_PASSWORD: &str = "CanaryWrongPw-9913";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_falls_back_to_the_next_credential_and_records_everything_but_secrets() {
    let mut spec = DeviceSpec::new("edge-1", Platform::CiscoIos);
    spec.password = "CanaryRightPw-2207".into();
    spec.enable_secret = "CanaryEnable-5150".into();
    spec.config_size = 16 * 1024;
    let mut config = FleetConfig::new(0, &[]);
    config.devices = vec![spec];
    let fleet = Fleet::start(config).await.unwrap();
    let info = fleet.devices()[0].clone();

    let dir = tempfile::tempdir().unwrap();
    let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.path().join("events.db")).unwrap());
    let vault = Arc::new(Vault::from_keys([(1, [7u8; 32])]).unwrap());
    let pool = ConnectionManager::new(PoolConfig::default());
    let logger = JobLogger::new(log.clone(), Arc::new(SensitiveDataFilter::new()), "device-agent");
    let executor = Executor::new(ProfileSet::builtin(), vault.clone(), logger, Timeouts::default(), pool.clone(), "agent-1");

    let seal = |id: CredentialId, secret: &str| vault.seal(secret, id.0.as_bytes());
    let (wrong, right) = (CredentialId::new(), CredentialId::new());
    let candidates = vec![
        SealedCredential { credential_id: wrong, username: info.username.clone(), secret: seal(wrong, WRONG_PASSWORD), enable_secret: None },
        SealedCredential {
            credential_id: right,
            username: info.username.clone(),
            secret: seal(right, &info.password),
            enable_secret: Some(seal(right, &info.enable_secret)),
        },
    ];
    let device = DeviceRecord {
        device_id: DeviceId::new(),
        host: "127.0.0.1".into(),
        port: info.ssh_port.unwrap(),
        platform: Some("cisco_ios".into()),
        protocol: Protocol::Ssh,
    };
    let job = JobDispatched {
        job_id: JobId::new(),
        attempt: 1,
        device_id: device.device_id,
        job_type: JobType::Backup,
        parameters: JobParameters::default(),
        timeout_secs: 60,
        log_position: None,
    };

    let target = AttemptTarget { device, candidates, host_key: HostKeyPolicy::LearnOnFirstUse };
    let cause = Cause { source: "/test".into(), actor: "agent-1".into(), correlation_id: "corr-77".into(), causation_id: None };
    let report = executor.run(&job, &target, &cause).await;
    let summary = report.outcome.as_ref().expect("the backup succeeds");
    assert!(summary.starts_with("backup of "), "{summary}");
    assert_eq!((pool.open_sessions(), pool.idle_sessions()), (1, 1), "the session stays pooled");
    let events = report.events;
    let kinds: Vec<&str> = events.iter().map(|e| e.event_type()).filter(|t| *t != "netraven.job.logged.v1").collect();
    assert_eq!(
        kinds,
        vec![
            "netraven.job.credential_attempted.v1",
            "netraven.device.host_key_learned.v1",
            "netraven.job.credential_attempted.v1",
            "netraven.job.config_captured.v1",
        ]
    );
    let outcomes: Vec<(CredentialId, AttemptOutcome)> = events
        .iter()
        .filter_map(|e| match &e.data {
            EventData::CredentialAttempted(a) => Some((a.credential_id, a.outcome)),
            _ => None,
        })
        .collect();
    assert_eq!(outcomes, vec![(wrong, AttemptOutcome::AuthenticationFailed), (right, AttemptOutcome::Success)]);
    let captured = events.iter().find_map(|e| match &e.data {
        EventData::ConfigCaptured(c) => Some(c.clone()),
        _ => None,
    });
    let captured = captured.unwrap();
    assert!(captured.content.contains("hostname edge-1"));
    assert!(captured.content.contains("snmp-server community <redacted>"));
    assert!(events.iter().all(|e| e.correlation_id == "corr-77" && e.actor == "agent-1"));

    log.append(AppendBatch::new(events)).await.unwrap();
    drop(log);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for canary in [WRONG_PASSWORD, info.password.as_str(), info.enable_secret.as_str()] {
            assert!(!bytes.windows(canary.len()).any(|w| w == canary.as_bytes()), "{canary} reached the event log");
        }
    }
}
