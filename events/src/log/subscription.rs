//! A stream of recorded events fed by a backend task, which tracks the reader's position.

use super::{Position, RecordedEvent};
use crate::Result;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How many events a backend may read ahead of a slow subscriber.
pub(crate) const READ_AHEAD: usize = 4096;

/// Events in log order (per partition), delivered by a backend task; dropping it stops the task.
pub struct Subscription {
    rx: mpsc::Receiver<Result<RecordedEvent>>,
    position: Position,
    task: JoinHandle<()>,
    skip: super::SkipTypes,
}

impl Subscription {
    /// Starts `feed` as the backend task; it sends events until done or the reader goes away.
    pub(crate) fn spawn<F, Fut>(from: Position, feed: F) -> Self
    where
        F: FnOnce(mpsc::Sender<Result<RecordedEvent>>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        let task = tokio::spawn(feed(tx));
        Subscription { rx, position: from, task, skip: &[] }
    }

    /// The next event, or `None` when a bounded read is done (a live subscription never ends
    /// unless its backend is closed). An error ends the subscription.
    pub async fn next(&mut self) -> Option<Result<RecordedEvent>> {
        loop {
            let item = self.rx.recv().await?;
            if let Ok(recorded) = &item {
                self.position.advance(recorded.partition, recorded.offset);
                if self.skip.contains(&recorded.event.event_type()) {
                    continue;
                }
            }
            return Some(item);
        }
    }

    /// This subscription without the events of the `skip` types. The position moves past
    /// them too: it says how far the log was read, as a reader that kept them would.
    pub(crate) fn skipping(mut self, skip: super::SkipTypes) -> Subscription {
        self.skip = skip;
        self
    }

    /// The position just after the last event read by [`Subscription::next`] (returned or
    /// skipped).
    pub fn position(&self) -> &Position {
        &self.position
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}
