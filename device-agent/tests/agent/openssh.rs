//! Backups through the agent of a real OpenSSH server with the `linux` profile (exec channels),
//! the second on the pooled connection.

use crate::harness::*;
use crate::sshd::{PASSWORD, USER, start_sshd};
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_events::job_state::JobStatus;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_real_openssh_host() {
    let sshd = start_sshd();
    let h = Harness::new();
    let device = h.device(sshd.port, Some("linux"), Protocol::Ssh).await;
    h.credential(USER, PASSWORD, None, 0).await;
    let agent = h.start(config("agent-1"));
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    let events = h.wait_attempt_end(job, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    let config = events.iter().find_map(|e| if let EventData::ConfigCaptured(c) = e { Some(c) } else { None }).unwrap();
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap();
    assert!(config.content.starts_with(hostname.trim()), "{}", &config.content[..config.content.len().min(200)]);
    assert!(config.content.contains("127.0.0.1"), "the hosts file and addresses are in it");
    let device_events = h.log.read_stream(&device.stream(), 1).await.unwrap();
    let learned = device_events.iter().find_map(|r| if let EventData::HostKeyLearned(k) = &r.event.data { Some(k.fingerprint.clone()) } else { None });
    assert_eq!(learned.as_deref(), Some(sshd.fingerprint.as_str()));

    let again = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    let events = h.wait_attempt_end(again, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    assert!(messages(&events).iter().any(|m| m.starts_with("reusing the pooled session")), "the exec connection is reused");
    agent.stop().await;
}
