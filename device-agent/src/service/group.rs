//! Scale-out on Kafka: dispatches come from a consumer group (each to one member), while a
//! reader of the whole log keeps devices, credentials, host keys and jobs folded. A dispatch
//! runs once that reader has caught up with the log and folded the dispatch itself, so the job
//! table knows whether it is still current; its offset is committed once it is launched (if the
//! agent dies before `JobStarted`, the dispatcher re-dispatches after its give-up timeout).

use super::follower::Follower;
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

/// Waits until the reader has caught up and folded `recorded`; false on shutdown or when the
/// reader is gone.
async fn folded(progress: &mut watch::Receiver<Option<Position>>, recorded: &RecordedEvent, shutdown: &mut watch::Receiver<bool>) -> bool {
    let (partition, offset) = (recorded.partition, recorded.offset);
    tokio::select! {
        biased;
        () = stopped(shutdown) => false,
        seen = progress.wait_for(|p| p.as_ref().is_some_and(|p| p.next_offset(partition) > offset)) => seen.is_ok(),
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
