//! Scale-out on Kafka: dispatches come from a consumer group (each to one member), while a
//! reader of the whole log keeps devices, credentials, host keys and jobs folded. A dispatch
//! runs once that reader has caught up with the log and folded the dispatch itself, so the job
//! table knows whether it is still current; its offset is committed once it is launched (if the
//! agent dies before `JobStarted`, the dispatcher re-dispatches after its give-up timeout).

use super::follower::{Follower, read_as_far};
use super::runner::Runner;
use super::{catch_up, stopped};
use netraven_events::log::kafka::GroupMember;
use netraven_events::{Error, EventData, EventLog, Position, RecordedEvent};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

type Shared = Arc<Mutex<Follower>>;

/// Runs the dispatches `member` is given until shutdown.
pub(super) async fn follow(runner: &mut Runner, log: Arc<dyn EventLog>, member: GroupMember, shutdown: &mut watch::Receiver<bool>) -> netraven_events::Result<()> {
    let follower: Shared = Arc::default();
    let (progress_tx, mut progress) = watch::channel(None);
    let mut reader = tokio::spawn(read(log, follower.clone(), progress_tx, shutdown.clone()));
    let result = loop {
        tokio::select! {
            biased;
            () = stopped(shutdown) => break Ok(()),
            () = runner.housekeeping() => {}
            ended = &mut reader => break ended.map_err(|e| Error::Kafka(format!("the log reader failed: {e}"))).and_then(|r| r),
            next = member.next() => {
                let recorded = match next {
                    Ok(recorded) => recorded,
                    Err(error) => break Err(error),
                };
                if matches!(recorded.event.data, EventData::JobDispatched(_)) {
                    if !folded(&mut progress, &recorded, shutdown).await {
                        break Ok(());
                    }
                    let dispatch = follower.lock().expect("follower poisoned").dispatch_for(&recorded.event);
                    if let Some(dispatch) = dispatch {
                        runner.launch(dispatch);
                    }
                }
                if let Err(error) = member.commit(&recorded) {
                    tracing::warn!(%error, "cannot commit the group's offset; the dispatch may be delivered again");
                }
            }
        }
    };
    reader.abort();
    result
}

/// Waits until the reader has caught up, folded `recorded` and read as far as the dispatcher
/// had when it decided; false on shutdown or when the reader is gone.
async fn folded(progress: &mut watch::Receiver<Option<Position>>, recorded: &RecordedEvent, shutdown: &mut watch::Receiver<bool>) -> bool {
    let (partition, offset) = (recorded.partition, recorded.offset);
    let read = |p: &Position| {
        p.next_offset(partition) > offset && !matches!(&recorded.event.data, EventData::JobDispatched(job) if !read_as_far(job, p))
    };
    tokio::select! {
        biased;
        () = stopped(shutdown) => false,
        seen = progress.wait_for(|p| p.as_ref().is_some_and(read)) => seen.is_ok(),
    }
}

/// Folds the whole log into `follower`, publishing its position once caught up.
async fn read(log: Arc<dyn EventLog>, follower: Shared, progress: watch::Sender<Option<Position>>, mut shutdown: watch::Receiver<bool>) -> netraven_events::Result<()> {
    let observe = |event: &netraven_events::Event| follower.lock().expect("follower poisoned").observe(event);
    let Some(caught_up) = catch_up(log.as_ref(), observe, &mut shutdown).await? else {
        return Ok(());
    };
    progress.send_replace(Some(caught_up.clone()));
    let mut subscription = log.subscribe_skipping(caught_up, super::follower::UNFOLDED).await?;
    loop {
        tokio::select! {
            biased;
            () = stopped(&mut shutdown) => return Ok(()),
            next = subscription.next() => match next {
                None => return Ok(()),
                Some(Err(error)) => return Err(error),
                Some(Ok(recorded)) => {
                    follower.lock().expect("follower poisoned").observe(&recorded.event);
                    progress.send_replace(Some(subscription.position().clone()));
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::{DeviceId, JobDispatched, JobId, JobParameters, JobType};
    use netraven_events::{Cause, Event};
    use std::time::Duration;

    #[tokio::test]
    async fn a_dispatch_waits_until_the_reader_has_read_as_far_as_the_dispatcher_had() {
        let cause = Cause { source: "/t".into(), actor: "dispatcher".into(), correlation_id: "c".into(), causation_id: None };
        let job = JobDispatched {
            job_id: JobId::new(),
            attempt: 1,
            device_id: DeviceId::new(),
            job_type: JobType::Backup,
            parameters: JobParameters::default(),
            timeout_secs: 60,
            log_position: Some("0:3,1:10".into()),
        };
        let recorded = RecordedEvent { partition: 0, offset: 5, event: Event::new(job, &cause) };
        let (tx, mut progress) = watch::channel(None);
        let (_stop, mut shutdown) = watch::channel(false);
        let waiting = tokio::spawn(async move { folded(&mut progress, &recorded, &mut shutdown).await });
        tx.send_replace(Some("0:6,1:9".parse().unwrap()));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!waiting.is_finished(), "the dispatch is read, but not partition 1 as far as the dispatcher had");
        tx.send_replace(Some("0:6,1:10".parse().unwrap()));
        assert!(tokio::time::timeout(Duration::from_secs(5), waiting).await.unwrap().unwrap());
    }
}
