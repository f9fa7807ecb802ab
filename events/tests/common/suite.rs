//! The backend-independent `EventLog` test suite, instantiated by `event_log_suite!`.

/// Generates the suite's tests in the calling module; `$fresh` is an async fn returning a `Harness`.
#[macro_export]
macro_rules! event_log_suite {
    ($fresh:path) => {
        use netraven_events::{AppendBatch, Error, EventData, ExpectedVersion, Position};
        use std::time::{Duration, Instant};
        use $crate::common::*;

        const WAIT: Duration = Duration::from_secs(30);

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn appends_get_consecutive_stream_versions_and_read_back_intact() {
            let h = $fresh().await;
            let job = netraven_events::catalog::JobId::new();
            let first = requested(job);
            let appended = h.log.append(AppendBatch::new(vec![first.clone()])).await.unwrap();
            assert_eq!(appended[0].stream_version, 1);
            let more: Vec<_> = (0..5).map(|i| log_event(job, &format!("line {i}"))).collect();
            let appended = h.log.append(AppendBatch::new(more.clone())).await.unwrap();
            let versions: Vec<u64> = appended.iter().map(|a| a.stream_version).collect();
            assert_eq!(versions, vec![2, 3, 4, 5, 6]);

            let stream = h.log.read_stream(&job.stream(), 1).await.unwrap();
            assert_eq!(stream.len(), 6);
            let mut expected = first.clone();
            expected.stream_version = 1;
            assert_eq!(stream[0].event, expected, "envelope and payload survive the round trip");
            for (i, recorded) in stream[1..].iter().enumerate() {
                assert_eq!(message(recorded), format!("line {i}"));
                assert_eq!(recorded.event.stream_version, i as u64 + 2);
                assert_eq!(recorded.event.id, more[i].id);
            }
            let tail = h.log.read_stream(&job.stream(), 5).await.unwrap();
            assert_eq!(tail.iter().map(|r| r.event.stream_version).collect::<Vec<_>>(), vec![5, 6]);
            let other = netraven_events::catalog::JobId::new();
            assert!(h.log.read_stream(&other.stream(), 1).await.unwrap().is_empty());

            // Where an append says its events landed is where a reader finds them.
            let many: Vec<_> = (0..70).map(|i| log_event(other, &format!("many {i}"))).collect();
            let landed = h.log.append(AppendBatch::new(many)).await.unwrap();
            let found = h.log.read_stream(&other.stream(), 1).await.unwrap();
            let places: Vec<(u32, u64, u64)> = found.iter().map(|r| (r.partition, r.offset, r.event.stream_version)).collect();
            let told: Vec<(u32, u64, u64)> = landed.iter().map(|a| (a.partition, a.offset, a.stream_version)).collect();
            assert_eq!(told, places);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_version_conflict_writes_nothing_of_the_batch() {
            let h = $fresh().await;
            let (a, b) = (netraven_events::catalog::JobId::new(), netraven_events::catalog::JobId::new());
            h.log.append(AppendBatch::new(vec![requested(a)])).await.unwrap();

            let batch = AppendBatch::new(vec![requested(b), log_event(a, "must not land")])
                .expect(b.stream(), ExpectedVersion::NoStream)
                .expect(a.stream(), ExpectedVersion::NoStream);
            let err = h.log.append(batch).await.unwrap_err();
            assert!(matches!(err, Error::Conflict { .. }), "{err}");
            assert_eq!(err.code(), "CONFLICT");
            assert!(h.log.read_stream(&b.stream(), 1).await.unwrap().is_empty());
            assert_eq!(h.log.read_stream(&a.stream(), 1).await.unwrap().len(), 1);

            let stale = AppendBatch::new(vec![log_event(a, "stale")]).expect(a.stream(), ExpectedVersion::Exact(0));
            assert!(matches!(h.log.append(stale).await, Err(Error::Conflict { .. })));
            let right = AppendBatch::new(vec![log_event(a, "right")]).expect(a.stream(), ExpectedVersion::Exact(1));
            assert_eq!(h.log.append(right).await.unwrap()[0].stream_version, 2);
            let fresh = AppendBatch::new(vec![requested(b)]).expect(b.stream(), ExpectedVersion::NoStream);
            assert_eq!(h.log.append(fresh).await.unwrap()[0].stream_version, 1);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn concurrent_writers_with_expected_versions_never_duplicate_a_version() {
            let h = $fresh().await;
            let job = netraven_events::catalog::JobId::new();
            let mut tasks = Vec::new();
            for w in 0..4 {
                let log = h.log.clone();
                tasks.push(tokio::spawn(async move {
                    let mut written = 0;
                    while written < 5 {
                        let current = log.read_stream(&job.stream(), 1).await.unwrap().len() as u64;
                        let batch = AppendBatch::new(vec![log_event(job, &format!("w{w}-{written}"))])
                            .expect(job.stream(), ExpectedVersion::Exact(current));
                        match log.append(batch).await {
                            Ok(_) => written += 1,
                            Err(Error::Conflict { .. }) => {}
                            Err(e) => panic!("{e}"),
                        }
                    }
                }));
            }
            for t in tasks {
                t.await.unwrap();
            }
            let stream = h.log.read_stream(&job.stream(), 1).await.unwrap();
            let versions: Vec<u64> = stream.iter().map(|r| r.event.stream_version).collect();
            assert_eq!(versions, (1..=20).collect::<Vec<_>>());
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn read_all_returns_everything_and_resumes_from_a_stored_position() {
            let h = $fresh().await;
            let jobs: Vec<_> = (0..4).map(|_| netraven_events::catalog::JobId::new()).collect();
            for round in 0..3 {
                let batch = jobs.iter().map(|j| log_event(*j, &format!("{j}/{round}"))).collect();
                h.log.append(AppendBatch::new(batch)).await.unwrap();
            }
            let all = read_all(h.log.as_ref(), Position::start()).await;
            assert_eq!(all.len(), 12);
            for j in &jobs {
                let mine: Vec<String> = all.iter().filter(|r| r.event.stream_id == j.stream()).map(message).collect();
                assert_eq!(mine, (0..3).map(|r| format!("{j}/{r}")).collect::<Vec<_>>(), "per-stream order");
            }
            let mut position = Position::start();
            for recorded in &all[..5] {
                position.advance(recorded.partition, recorded.offset);
            }
            let stored: Position = position.to_string().parse().unwrap();
            let rest = read_all(h.log.as_ref(), stored).await;
            let mut resumed: Vec<_> = rest.iter().map(|r| r.event.id).collect();
            let mut expected: Vec<_> = all[5..].iter().map(|r| r.event.id).collect();
            resumed.sort();
            expected.sort();
            assert_eq!(resumed, expected, "no gap and no duplicate across the resume");

            let head = h.log.head().await.unwrap();
            let mut end = Position::start();
            for r in &all {
                end.advance(r.partition, r.offset);
            }
            assert!(head.covers(&end));
            assert!(read_all(h.log.as_ref(), head).await.is_empty());
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn readers_can_skip_event_types_in_history_and_live() {
            const SKIP: netraven_events::SkipTypes = &[netraven_events::catalog::JobLogged::EVENT_TYPE];
            let h = $fresh().await;
            let job = netraven_events::catalog::JobId::new();
            let first = requested(job);
            h.log.append(AppendBatch::new(vec![log_event(job, "skipped"), first.clone(), log_event(job, "also skipped")])).await.unwrap();
            let mut history = h.log.read_all_skipping(Position::start(), SKIP).await.unwrap();
            let mut kept = Vec::new();
            while let Some(item) = history.next().await {
                kept.push(item.unwrap().event.id);
            }
            assert_eq!(kept, [first.id], "history without the skipped type");
            let mut live = h.log.subscribe_skipping(Position::start(), SKIP).await.unwrap();
            assert_eq!(take(&mut live, 1, WAIT).await[0].event.id, first.id);
            let second = requested(netraven_events::catalog::JobId::new());
            h.log.append(AppendBatch::new(vec![log_event(job, "skipped live")])).await.unwrap();
            h.log.append(AppendBatch::new(vec![log_event(job, "skipped too"), second.clone()])).await.unwrap();
            let next = take(&mut live, 1, WAIT).await;
            assert!(matches!(next[0].event.data, EventData::JobRequested(_)));
            assert_eq!(next[0].event.id, second.id, "the live tail skips too");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_subscription_catches_up_then_follows_live_appends_promptly() {
            let h = $fresh().await;
            let job = netraven_events::catalog::JobId::new();
            let old: Vec<_> = (0..3).map(|i| log_event(job, &format!("old {i}"))).collect();
            h.log.append(AppendBatch::new(old)).await.unwrap();
            let mut sub = h.log.subscribe(Position::start()).await.unwrap();
            let caught_up = take(&mut sub, 3, WAIT).await;
            assert_eq!(caught_up.iter().map(message).collect::<Vec<_>>(), vec!["old 0", "old 1", "old 2"]);

            let mut delays = Vec::new();
            for i in 0..5 {
                let started = Instant::now();
                h.log.append(AppendBatch::new(vec![log_event(job, &format!("new {i}"))])).await.unwrap();
                let got = take(&mut sub, 1, WAIT).await;
                delays.push(started.elapsed());
                assert_eq!(message(&got[0]), format!("new {i}"));
            }
            delays.sort();
            assert!(delays[2] < Duration::from_millis(400), "live events arrive without polling delay: {delays:?}");
            let resumed = read_all(h.log.as_ref(), sub.position().clone()).await;
            assert!(resumed.is_empty(), "the subscription's position is past everything it delivered");
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn a_20_mb_configuration_passes_through_intact() {
            let h = $fresh().await;
            let job = netraven_events::catalog::JobId::new();
            let content = big_config(20 * 1024 * 1024);
            let event = netraven_events::Event::new(
                netraven_events::catalog::ConfigCaptured {
                    job_id: job,
                    attempt: 1,
                    device_id: netraven_events::catalog::DeviceId::new(),
                    content: content.clone(),
                    content_hash: "h".into(),
                    size_bytes: content.len() as u64,
                    filter_version: 1,
                },
                &cause(),
            );
            h.log.append(AppendBatch::new(vec![event])).await.unwrap();
            let check = |recorded: &netraven_events::RecordedEvent| match &recorded.event.data {
                EventData::ConfigCaptured(c) => assert!(c.content == content, "content differs"),
                other => panic!("{other:?}"),
            };
            check(&h.log.read_stream(&job.stream(), 1).await.unwrap()[0]);
            let mut sub = h.log.subscribe(Position::start()).await.unwrap();
            check(&take(&mut sub, 1, WAIT).await[0]);
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn oversized_and_empty_appends_are_refused_and_write_nothing() {
            let h = $fresh().await;
            let job = netraven_events::catalog::JobId::new();
            let huge = log_event(job, &"x".repeat(netraven_events::log::DEFAULT_MAX_EVENT_BYTES + 1));
            let batch = AppendBatch::new(vec![log_event(job, "small"), huge]);
            let err = h.log.append(batch).await.unwrap_err();
            assert!(matches!(err, Error::TooLarge { .. }), "{err}");
            let err = h.log.append(AppendBatch::new(vec![])).await.unwrap_err();
            assert!(matches!(err, Error::Invalid(_)), "{err}");
            assert!(h.log.read_stream(&job.stream(), 1).await.unwrap().is_empty());
        }
    };
}

/// A config-like text of about `size` bytes whose lines all differ.
pub fn big_config(size: usize) -> String {
    let mut text = String::with_capacity(size + 100);
    let mut i: u64 = 0;
    while text.len() < size {
        use std::fmt::Write;
        let _ = writeln!(text, "interface GigabitEthernet{}/{} description link-{:016x}", i / 48, i % 48, i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        i += 1;
    }
    text
}
