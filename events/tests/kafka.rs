//! The shared event-log suite against a real Apache Kafka broker, plus Kafka-only behaviour:
//! CloudEvents headers read by `kcat`, topic retention, writer fencing, and writers of several
//! processes checking expected versions against each other's events.
//!
//! Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`). Without it these tests fail, unless
//! `NETRAVEN_SKIP_KAFKA=1` says on purpose to skip them.

mod common;

use common::Harness;
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use std::sync::Arc;

use netraven_test_support::kafka_bootstrap as bootstrap;

fn config(bootstrap: &str) -> KafkaConfig {
    let topic = format!("netraven-test-{}", uuid::Uuid::now_v7());
    let mut config = KafkaConfig::new(bootstrap, &topic);
    config.partitions = 4;
    config
}

async fn fresh() -> Harness {
    let Some(bootstrap) = bootstrap() else {
        std::process::exit(0);
    };
    let config = config(&bootstrap);
    let log = KafkaLog::connect(config.clone()).await.unwrap();
    Harness { log: Arc::new(log), keep: Box::new(config) }
}

event_log_suite!(fresh);

mod kafka_only {
    use super::*;
    use common::*;
    use netraven_events::catalog::JobId;
    use netraven_events::{AppendBatch, Error, EventLog, ExpectedVersion};
    use rdkafka::admin::{AdminClient, AdminOptions, ResourceSpecifier};
    use rdkafka::client::DefaultClientContext;
    use std::collections::{HashMap, HashSet};
    use std::time::Duration;

    async fn connect() -> Option<(KafkaLog, String)> {
        let bootstrap = bootstrap()?;
        let log = KafkaLog::connect(config(&bootstrap)).await.unwrap();
        Some((log, bootstrap))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn kcat_reads_cloudevents_headers_keyed_by_stream() {
        let Some((log, bootstrap)) = connect().await else { return };
        let job = JobId::new();
        let event = requested(job);
        log.append(AppendBatch::new(vec![event.clone()])).await.unwrap();
        let out = tokio::process::Command::new("kcat")
            .args(["-b", &bootstrap, "-C", "-t", &log.config().topic, "-o", "beginning", "-e", "-q"])
            .args(["-X", "isolation.level=read_committed", "-f", "%k|%h|%s\\n"])
            .output()
            .await
            .expect("kcat is installed (scripts/setup installs it)");
        assert!(out.status.success(), "kcat failed: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let line = text.lines().find(|l| !l.is_empty()).expect("one record");
        let mut parts = line.splitn(3, '|');
        let (key, headers, value) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert_eq!(key, job.stream().as_str());
        let headers: HashMap<&str, &str> = headers.split(',').filter_map(|h| h.split_once('=')).collect();
        assert_eq!(headers["ce_specversion"], "1.0");
        assert_eq!(headers["ce_id"], event.id.to_string());
        assert_eq!(headers["ce_type"], "netraven.job.requested.v1");
        assert_eq!(headers["ce_source"], "/netraven/tests");
        assert_eq!(headers["ce_streamid"], job.stream().as_str());
        assert_eq!(headers["ce_streamversion"], "1");
        assert_eq!(headers["ce_actor"], "tester");
        assert_eq!(headers["ce_correlationid"], "corr-test");
        assert_eq!(headers["ce_dataschema"], "urn:netraven:schema:netraven.job.requested.v1");
        assert_eq!(headers["content-type"], "application/json");
        assert!(headers["ce_time"].ends_with('Z'));
        let data: serde_json::Value = serde_json::from_str(value).unwrap();
        assert_eq!(data["job_id"], job.to_string());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_topic_keeps_events_forever_and_accepts_large_ones() {
        let Some((log, bootstrap)) = connect().await else { return };
        let admin: AdminClient<DefaultClientContext> =
            rdkafka::ClientConfig::new().set("bootstrap.servers", &bootstrap).create().unwrap();
        let topic = log.config().topic.clone();
        let described = admin
            .describe_configs([&ResourceSpecifier::Topic(&topic)], &AdminOptions::new())
            .await
            .unwrap();
        let resource = described.into_iter().next().unwrap().unwrap();
        let value = |name: &str| resource.get(name).and_then(|e| e.value.clone()).unwrap_or_default();
        assert_eq!(value("retention.ms"), "-1");
        assert_eq!(value("retention.bytes"), "-1");
        assert_eq!(value("cleanup.policy"), "delete");
        assert!(value("max.message.bytes").parse::<u64>().unwrap() > 20 * 1024 * 1024);
        assert_eq!(log.config().partitions, 4);
    }

    /// The broker acknowledges a commit before its markers make the records readable; a read
    /// right after the append must still find them (seen once in CI with a 20 MB event: the
    /// stream read came back empty).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_right_after_an_append_see_it() {
        let Some((log, _)) = connect().await else { return };
        for round in 0..10 {
            let job = JobId::new();
            let events: Vec<_> = (0..3).map(|i| log_event(job, &format!("line {i}"))).collect();
            log.append(AppendBatch::new(events)).await.unwrap();
            let read = log.read_stream(&job.stream(), 1).await.unwrap();
            assert_eq!(read.len(), 3, "round {round}: the stream read found {} of 3 events", read.len());
            let mut all = log.read_all(netraven_events::Position::start()).await.unwrap();
            let mut count = 0;
            while let Some(item) = all.next().await {
                item.unwrap();
                count += 1;
            }
            assert_eq!(count, 3 * (round + 1), "round {round}: read_all found {count} events");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_newer_writer_fences_the_older_and_sees_its_events() {
        let Some((old, bootstrap)) = connect().await else { return };
        let job = JobId::new();
        old.append(AppendBatch::new(vec![requested(job)])).await.unwrap();

        let mut same_id = old.config().clone();
        same_id.bootstrap = bootstrap;
        let new = KafkaLog::connect(same_id).await.unwrap();
        let err = old.append(AppendBatch::new(vec![log_event(job, "from the fenced writer")])).await.unwrap_err();
        assert!(matches!(err, Error::Fenced(_)), "{err}");
        assert_eq!(err.code(), "WRITER_FENCED");

        let stale = AppendBatch::new(vec![log_event(job, "stale")]).expect(job.stream(), ExpectedVersion::NoStream);
        assert!(matches!(new.append(stale).await, Err(Error::Conflict { .. })));
        let right = AppendBatch::new(vec![log_event(job, "next")]).expect(job.stream(), ExpectedVersion::Exact(1));
        assert_eq!(new.append(right).await.unwrap()[0].stream_version, 2);
        let stream = new.read_stream(&job.stream(), 1).await.unwrap();
        assert_eq!(stream.len(), 2, "the fenced writer's refused event is not in the log");
    }

    /// Waits until `log` reads `count` events of `stream`: another process's commit becomes
    /// readable when the broker has written its markers, a moment after it was acknowledged.
    async fn until_visible(log: &KafkaLog, stream: &netraven_events::StreamId, count: usize) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while log.read_stream(stream, 1).await.unwrap().len() < count {
            assert!(std::time::Instant::now() < deadline, "{count} events of {stream} never became visible");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writers_of_different_processes_see_each_others_versions() {
        let Some((first, bootstrap)) = connect().await else { return };
        let mut other = first.config().clone();
        (other.bootstrap, other.writer_id) = (bootstrap, format!("{}-other", other.writer_id));
        let second = KafkaLog::connect(other).await.unwrap();
        let job = JobId::new();
        first.append(AppendBatch::new(vec![requested(job)]).expect(job.stream(), ExpectedVersion::NoStream)).await.unwrap();
        until_visible(&second, &job.stream(), 1).await;
        let next = AppendBatch::new(vec![log_event(job, "from the second writer")]).expect(job.stream(), ExpectedVersion::Exact(1));
        assert_eq!(second.append(next).await.unwrap()[0].stream_version, 2);
        until_visible(&first, &job.stream(), 2).await;
        let stale = AppendBatch::new(vec![log_event(job, "stale")]).expect(job.stream(), ExpectedVersion::Exact(1));
        assert!(matches!(first.append(stale).await, Err(Error::Conflict { .. })), "the first writer knows of the second's event");
        let right = AppendBatch::new(vec![log_event(job, "from the first again")]).expect(job.stream(), ExpectedVersion::Exact(2));
        assert_eq!(first.append(right).await.unwrap()[0].stream_version, 3);
        let versions: Vec<u64> = second.read_stream(&job.stream(), 1).await.unwrap().iter().map(|r| r.event.stream_version).collect();
        assert_eq!(versions, vec![1, 2, 3]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn group_members_share_partitions_and_the_group_resumes_from_commits() {
        let Some((log, _)) = connect().await else { return };
        let log = Arc::new(log);
        let group = format!("test-group-{}", uuid::Uuid::now_v7());
        let (a, b) = (log.join_group(&group).unwrap(), log.join_group(&group).unwrap());
        const EVENTS: usize = 60;
        let jobs: Vec<_> = (0..EVENTS).map(|_| JobId::new()).collect();
        let producer = {
            let (log, jobs) = (log.clone(), jobs.clone());
            tokio::spawn(async move {
                for job in jobs {
                    log.append(AppendBatch::new(vec![log_event(job, "shared")])).await.unwrap();
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            })
        };
        let mut seen = HashSet::new();
        let mut per_member = [0usize; 2];
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        while seen.len() < EVENTS && tokio::time::Instant::now() < deadline {
            let (member, recorded) = tokio::select! {
                r = a.next() => (0, r.unwrap()),
                r = b.next() => (1, r.unwrap()),
                _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
            };
            seen.insert(recorded.event.id);
            per_member[member] += 1;
            [&a, &b][member].commit(&recorded).unwrap();
        }
        producer.await.unwrap();
        assert_eq!(seen.len(), EVENTS, "every event reached the group");
        assert!(per_member.iter().all(|n| *n > 0), "both members got a share: {per_member:?}");
        let assigned: Vec<u32> = a.assignment().unwrap().into_iter().chain(b.assignment().unwrap()).collect();
        assert_eq!(assigned.iter().collect::<HashSet<_>>().len(), assigned.len(), "no partition has two owners");
        drop((a, b));

        log.append(AppendBatch::new(vec![log_event(jobs[0], "after the commit")])).await.unwrap();
        let c = log.join_group(&group).unwrap();
        let next = tokio::time::timeout(Duration::from_secs(60), c.next()).await.unwrap().unwrap();
        assert_eq!(message(&next), "after the commit", "the group resumes after its committed offsets");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_that_skips_event_types_moves_past_them() {
        let Some((log, _)) = connect().await else { return };
        let job = JobId::new();
        let events = vec![requested(job), log_event(job, "skipped 1"), log_event(job, "skipped 2")];
        let landed = log.append(AppendBatch::new(events)).await.unwrap();
        let skip: netraven_events::SkipTypes = &[netraven_events::catalog::JobLogged::EVENT_TYPE];
        let mut read = log.read_all_skipping(netraven_events::Position::start(), skip).await.unwrap();
        let mut delivered = Vec::new();
        while let Some(next) = read.next().await {
            delivered.push(next.unwrap());
        }
        assert_eq!(delivered.len(), 1, "only the request is delivered");
        let last = landed.last().unwrap();
        assert!(read.position().next_offset(last.partition) > last.offset, "the position {} is past the skipped events", read.position());
    }
}
