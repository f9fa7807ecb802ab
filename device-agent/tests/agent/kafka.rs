//! Agents in one Kafka consumer group: each dispatch is run by one member and every job ends
//! once. Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`); without it this test fails,
//! unless `NETRAVEN_SKIP_KAFKA=1` says on purpose to skip it.

use crate::harness::*;
use netraven_devsim::{DeviceSpec, Platform};
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_events::job_state::JobStatus;
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_in_a_consumer_group_run_each_dispatch_once() {
    let Some(bootstrap) = netraven_test_support::kafka_bootstrap() else { return };
    let mut kafka_config = KafkaConfig::new(&bootstrap, &format!("netraven-agent-test-{}", uuid::Uuid::now_v7()));
    kafka_config.partitions = 4;
    let kafka = Arc::new(KafkaLog::connect(kafka_config).await.unwrap());
    let h = Harness::with_log(kafka.clone(), tempfile::tempdir().unwrap());
    let fleet = fleet(vec![DeviceSpec::new("g-1", Platform::CiscoIos), DeviceSpec::new("g-2", Platform::AristaEos)]).await;
    let mut devices = Vec::new();
    for (info, platform) in fleet.devices().iter().zip(["cisco_ios", "arista_eos"]) {
        devices.push(h.device(info.ssh_port.unwrap(), Some(platform), Protocol::Ssh).await);
    }
    let info = &fleet.devices()[0]; // every simulated device has the same default login
    h.credential(&info.username, &info.password, Some(&info.enable_secret), 0).await;

    let group = format!("netraven-agents-{}", uuid::Uuid::now_v7());
    let agents: Vec<Running> = ["agent-1", "agent-2"]
        .into_iter()
        .map(|id| h.start_agent(h.agent(config(id)).with_group(kafka.join_group(&group).unwrap())))
        .collect();
    let mut jobs = Vec::new();
    for round in 0..3 {
        for device in &devices {
            let job_type = if round == 1 { JobType::Detect } else { JobType::Backup };
            jobs.push(h.dispatch(*device, job_type, JobParameters::default()).await);
        }
    }
    for job in &jobs {
        let events = h.wait_attempt_end(*job, 1).await;
        assert_eq!(fold(&events).status, JobStatus::Succeeded, "{:#?}", messages(&events));
    }
    for agent in agents {
        agent.stop().await;
    }
    for job in jobs {
        let events = h.job_events(job).await;
        let started = events.iter().filter(|e| matches!(e, EventData::JobStarted(_))).count();
        let ended = events.iter().filter(|e| matches!(e, EventData::JobSucceeded(_) | EventData::JobAttemptFailed(_))).count();
        assert_eq!((started, ended), (1, 1), "job {job}: {:#?}", types(&events));
    }
    kafka.close();
}
