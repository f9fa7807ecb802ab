//! The connection pool through the agent: a second job to a device reuses the first job's
//! session, a session the network killed is replaced without failing the job, and idle
//! sessions expire.

use crate::harness::*;
use crate::proxy::Proxy;
use netraven_device_agent::AgentConfig;
use netraven_device_agent::pool::PoolConfig;
use netraven_devsim::{DeviceSpec, Platform};
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_events::job_state::JobStatus;

async fn backup_succeeds(h: &Harness, device: DeviceId) -> Vec<EventData> {
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    let events = h.wait_attempt_end(job, 1).await;
    assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_reuse_the_pooled_session_and_a_dead_one_is_replaced_without_failing_the_job() {
    let fleet = fleet(vec![DeviceSpec::new("edge-p", Platform::CiscoIos)]).await;
    let (info, handle) = (fleet.devices()[0].clone(), fleet.device(0).unwrap().clone());
    let proxy = Proxy::start(info.ssh_port.unwrap()).await;
    let h = Harness::new();
    let device = h.device(proxy.port, Some("cisco_ios"), Protocol::Ssh).await;
    h.credential(&info.username, &info.password, Some(&info.enable_secret), 0).await;
    let agent = h.start(config("agent-1"));

    backup_succeeds(&h, device).await;
    assert_eq!((proxy.accepted(), handle.connections()), (1, 1), "the session stays open in the pool");
    let second = backup_succeeds(&h, device).await;
    assert_eq!((proxy.accepted(), handle.connections()), (1, 1), "the second job reused it");
    assert!(messages(&second).iter().any(|m| m.starts_with("reusing the pooled session")));
    assert!(!second.iter().any(|e| matches!(e, EventData::CredentialAttempted(_))), "no new login");

    proxy.sever();
    connections_become(&handle, 0).await;
    let third = backup_succeeds(&h, device).await;
    assert_eq!(proxy.accepted(), 2, "a new connection replaced the dead one");
    assert!(messages(&third).iter().any(|m| m.contains("no longer answered; replacing")), "{:#?}", messages(&third));
    assert!(!third.iter().any(|e| matches!(e, EventData::JobAttemptFailed(_))));
    assert_eq!(handle.connections(), 1);
    agent.stop().await;
    connections_become(&handle, 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_expire() {
    let fleet = fleet(vec![DeviceSpec::new("edge-i", Platform::CiscoIos)]).await;
    let (info, handle) = (fleet.devices()[0].clone(), fleet.device(0).unwrap().clone());
    let h = Harness::new();
    let device = h.device(info.ssh_port.unwrap(), Some("cisco_ios"), Protocol::Ssh).await;
    h.credential(&info.username, &info.password, Some(&info.enable_secret), 0).await;
    let pool = PoolConfig { idle_timeout_secs: 3, min_idle: 0, ..PoolConfig::default() };
    let agent = h.start(AgentConfig { pool, ..config("agent-1") });
    backup_succeeds(&h, device).await;
    assert_eq!(handle.connections(), 1, "pooled after the job");
    connections_become(&handle, 0).await;
    agent.stop().await;
}
