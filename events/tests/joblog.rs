//! Job logging end to end on the embedded store: entries are redacted before they become
//! events, record the filter version, read back in order, and no planted secret reaches the file.

mod common;

use netraven_events::catalog::{JobId, LogLevel};
use netraven_events::joblog::{JobLogEntry, JobLogger};
use netraven_events::EventLog;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_redact::SensitiveDataFilter;
use serde_json::json;
use std::sync::Arc;

const CANARIES: [&str; 5] = ["CanaryPw-7731", "CanaryCommunity-9", "CanaryToken-abc123", "CanaryUrlPw-55", "CanaryKey-0042"];

#[tokio::test]
async fn entries_are_redacted_versioned_and_read_back_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.db");
    let log = Arc::new(EmbeddedLog::open(&path).unwrap());
    let filter = Arc::new(SensitiveDataFilter::new());
    let logger = JobLogger::new(log.clone(), filter.clone(), "device-agent");
    let job = JobId::new();

    let entries = [
        JobLogEntry::new(job, LogLevel::Info, "connection", "connecting to 10.0.0.1:22", "corr-1"),
        JobLogEntry::new(job, LogLevel::Debug, "execution", format!("sent: enable secret 5 {}", CANARIES[0]), "corr-1")
            .detail("config_line", format!("snmp-server community {} RO", CANARIES[1]))
            .detail("password", CANARIES[4])
            .detail("nested", json!({"header": format!("Authorization: Bearer {}", CANARIES[2])})),
        JobLogEntry::new(job, LogLevel::Error, "authentication", format!("fetch https://netops:{}@10.0.0.9/cfg failed", CANARIES[3]), "corr-1"),
    ];
    for entry in entries {
        logger.log_entry(entry, "scheduler").await.unwrap();
    }

    let logs = logger.get_job_logs(job).await.unwrap();
    assert_eq!(logs.len(), 3);
    assert_eq!(logs[0].message, "connecting to 10.0.0.1:22");
    assert_eq!(logs[1].message, "sent: enable secret 5 <redacted>");
    assert_eq!(logs[1].details["config_line"], "snmp-server community <redacted> RO");
    assert_eq!(logs[1].details["password"], "<redacted>");
    assert_eq!(logs[1].details["nested"]["header"], "Authorization: Bearer <redacted>");
    assert_eq!(logs[2].message, "fetch https://netops:<redacted>@10.0.0.9/cfg failed");
    assert_eq!(logs[2].level, LogLevel::Error);
    for entry in &logs {
        assert_eq!(entry.filter_version, filter.version());
        assert_eq!(entry.source_component, "device-agent");
        assert_eq!(entry.correlation_id, "corr-1");
    }
    let raw = log.read_stream(&job.stream(), 1).await.unwrap();
    assert!(raw.iter().all(|r| r.event.actor == "scheduler" && r.event.correlation_id == "corr-1"));
    log.close();
    drop(log);

    // The canary sweep: no planted secret anywhere in the store's files.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for canary in CANARIES {
            let found = bytes.windows(canary.len()).any(|w| w == canary.as_bytes());
            assert!(!found, "canary {canary} leaked into the store");
        }
    }
}
