//! The command side's running state: the event log, the registry kept current by a follower
//! task, and appends that return only once the follower has applied them (so a client reads
//! its own writes in the next command).

use crate::registry::Registry;
use netraven_api::ApiError;
use netraven_events::{AppendBatch, Cause, Event, EventData, EventLog, ExpectedVersion, Position, StreamId};
use std::sync::{Arc, RwLock};
use tokio::sync::watch;

/// Shared by the HTTP handlers, the dispatcher and the scheduler.
pub struct CommandState {
    log: Arc<dyn EventLog>,
    registry: RwLock<Registry>,
    applied: watch::Sender<Position>,
}

impl CommandState {
    /// Folds the log as it is now into the registry, then follows it in a background task.
    pub async fn start(log: Arc<dyn EventLog>) -> Result<Arc<Self>, ApiError> {
        let state = Arc::new(CommandState { log: log.clone(), registry: RwLock::new(Registry::default()), applied: watch::Sender::new(Position::start()) });
        let mut history = log.read_all(Position::start()).await?;
        while let Some(next) = history.next().await {
            state.apply(&next?, history.position());
        }
        state.applied.send_replace(history.position().clone());
        let mut sub = log.subscribe(history.position().clone()).await?;
        let follower = Arc::downgrade(&state);
        tokio::spawn(async move {
            while let Some(next) = sub.next().await {
                let Some(state) = follower.upgrade() else { return };
                match next {
                    Ok(recorded) => state.apply(&recorded, sub.position()),
                    Err(err) => {
                        tracing::error!(%err, "the command side lost its event-log subscription");
                        return;
                    }
                }
            }
        });
        Ok(state)
    }

    fn apply(&self, recorded: &netraven_events::RecordedEvent, position: &Position) {
        self.registry.write().expect("registry lock").apply(recorded);
        self.applied.send_replace(position.clone());
    }

    /// Runs `f` on the current registry.
    pub fn read<R>(&self, f: impl FnOnce(&Registry) -> R) -> R {
        f(&self.registry.read().expect("registry lock"))
    }

    /// The log.
    pub fn log(&self) -> &Arc<dyn EventLog> {
        &self.log
    }

    /// A watch of the applied position (changes after every applied event).
    pub fn applied(&self) -> watch::Receiver<Position> {
        self.applied.subscribe()
    }

    /// Appends `data` as one atomic batch caused by `cause`, each stream in `expect` checked,
    /// and returns once the registry reflects it.
    pub async fn append(&self, data: Vec<EventData>, cause: &Cause, expect: Vec<(StreamId, ExpectedVersion)>) -> Result<Vec<Event>, ApiError> {
        self.try_append(data, cause, expect).await?.map_err(|e| ApiError::Conflict(format!("the state changed while deciding; retry the request ({e})")))
    }

    /// Decides against the current registry and appends, deciding again (up to 5 times, each
    /// after the registry caught up with the log) when the state changed in between (an
    /// expected version no longer holds).
    pub async fn execute(&self, cause: &Cause, decide: impl Fn(&Registry) -> Result<Decided, ApiError>) -> Result<Vec<Event>, ApiError> {
        let mut tries = 0;
        loop {
            let (data, expect) = self.read(&decide)?;
            if data.is_empty() {
                return Ok(Vec::new());
            }
            match self.try_append(data, cause, expect).await? {
                Ok(events) => return Ok(events),
                Err(conflict) if tries >= 4 => return Err(ApiError::Conflict(format!("the state keeps changing; retry the request ({conflict})"))),
                Err(_) => {
                    tries += 1;
                    self.catch_up().await?;
                }
            }
        }
    }

    /// Waits until the registry has applied every event the log held when called: after a
    /// conflict the registry is behind the log (another writer appended), and deciding again
    /// before it catches up would only conflict again.
    async fn catch_up(&self) -> Result<(), ApiError> {
        let head = self.log.head().await.map_err(|e| ApiError::Unavailable(format!("the event log cannot be read: {e}")))?;
        self.applied
            .subscribe()
            .wait_for(|applied| applied.covers(&head))
            .await
            .map_err(|_| ApiError::Unavailable("the command side stopped following the event log".into()))?;
        Ok(())
    }

    /// Appends; the outer error is fatal, the inner one an expected-version conflict.
    async fn try_append(&self, data: Vec<EventData>, cause: &Cause, expect: Vec<(StreamId, ExpectedVersion)>) -> Result<Result<Vec<Event>, netraven_events::Error>, ApiError> {
        self.append_events(data.into_iter().map(|d| Event::new(d, cause)).collect(), expect).await
    }

    /// Appends ready-made events atomically and waits until the registry reflects them; the
    /// outer error is fatal, the inner one an expected-version conflict.
    pub async fn append_events(&self, events: Vec<Event>, expect: Vec<(StreamId, ExpectedVersion)>) -> Result<Result<Vec<Event>, netraven_events::Error>, ApiError> {
        let mut outcomes = self.append_each(vec![(events.clone(), expect)]).await?;
        Ok(outcomes.pop().expect("one outcome per batch").map(|_| events))
    }

    /// Appends each batch atomically on its own, all at once (the log commits them together),
    /// and waits once until the registry reflects every batch that landed. A conflict or error
    /// rejects only its own batch; the outer error is fatal.
    pub async fn append_each(&self, batches: Vec<(Vec<Event>, Vec<(StreamId, ExpectedVersion)>)>) -> Result<Vec<Result<(), netraven_events::Error>>, ApiError> {
        let appends = batches.into_iter().map(|(events, expect)| {
            let batch = expect.into_iter().fold(AppendBatch::new(events), |batch, (stream, version)| batch.expect(stream, version));
            self.log.append(batch)
        });
        let results = futures::future::join_all(appends).await;
        let landed: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).flatten().map(|a| (a.partition, a.offset)).collect();
        self.applied
            .subscribe()
            .wait_for(|pos| landed.iter().all(|(partition, offset)| pos.next_offset(*partition) > *offset))
            .await
            .map_err(|_| ApiError::Unavailable("the command side stopped following the event log".into()))?;
        Ok(results.into_iter().map(|r| r.map(|_| ())).collect())
    }
}

/// Events decided for one command, with the stream versions they were decided at.
pub type Decided = (Vec<EventData>, Vec<(StreamId, ExpectedVersion)>);

/// The cause of events a request by `actor` makes.
pub fn cause(actor: &str, correlation_id: &str) -> Cause {
    Cause { source: "/netraven/command-handler".into(), actor: actor.into(), correlation_id: correlation_id.into(), causation_id: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::{DeviceId, JobId};
    use netraven_events::log::embedded::EmbeddedLog;
    use netraven_test_support::fixtures::{cause as fixture_cause, job_requested};

    #[tokio::test]
    async fn a_conflicting_batch_is_refused_alone() {
        let dir = tempfile::tempdir().unwrap();
        let state = CommandState::start(Arc::new(EmbeddedLog::open(dir.path().join("events.db")).unwrap())).await.unwrap();
        let (taken, fresh, device) = (JobId::new(), JobId::new(), DeviceId::new());
        let cause = fixture_cause("ops", "corr");
        let event = |job| vec![Event::new(job_requested(job, device, "backup", 0), &cause)];
        state.append_events(event(taken), vec![]).await.unwrap().unwrap();
        let outcomes = state
            .append_each(vec![(event(taken), vec![(taken.stream(), ExpectedVersion::NoStream)]), (event(fresh), vec![(fresh.stream(), ExpectedVersion::NoStream)])])
            .await
            .unwrap();
        assert!(matches!(outcomes[0], Err(netraven_events::Error::Conflict { .. })), "{outcomes:?}");
        assert!(outcomes[1].is_ok(), "{outcomes:?}");
        state.read(|reg| assert!(reg.jobs.contains_key(&fresh), "the registry reflects the batch that landed before append_each returns"));
    }

    #[tokio::test]
    async fn a_decision_on_a_stale_registry_is_made_again_once_it_caught_up() {
        let dir = tempfile::tempdir().unwrap();
        let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.path().join("events.db")).unwrap());
        // Another writer on the same file, as another process would be: the command side
        // learns of its appends only at its next poll of the file.
        let other = EmbeddedLog::open(dir.path().join("events.db")).unwrap();
        let state = CommandState::start(log.clone()).await.unwrap();
        let cause = fixture_cause("ops", "corr");
        for _ in 0..3 {
            let job = JobId::new();
            other.append(AppendBatch::new(vec![Event::new(job_requested(job, DeviceId::new(), "backup", 0), &cause)])).await.unwrap();
            let decided = state
                .execute(&cause, |reg| {
                    let version = reg.jobs.get(&job).map_or(0, |j| j.version);
                    let cancel = netraven_events::catalog::JobCancelled { job_id: job, reason: "stale".into() };
                    Ok((vec![cancel.into()], vec![(job.stream(), ExpectedVersion::Exact(version))]))
                })
                .await
                .unwrap();
            assert_eq!(decided.len(), 1);
            assert_eq!(log.read_stream(&job.stream(), 1).await.unwrap().len(), 2, "decided at version 1");
        }
    }
}
