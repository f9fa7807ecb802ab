//! Making commits durable apart from writing them: the writer commits without fsync (WAL,
//! `synchronous=NORMAL`), and the syncer thread `fdatasync`s the bodies file and the WAL for
//! each run of commits before it acknowledges them, while the writer already writes the next
//! group. Readers see no event past the durable mark; events another process wrote are made
//! durable by whoever reads them first.

use crate::log::Appended;
use crate::{Error, Result};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Duration;
use tokio::sync::{oneshot, watch};

/// Event bytes made durable between two checkpoints while appends keep coming: copying larger
/// runs writes a page changed by several commits once, and pays the checkpoint's own two fsyncs
/// less often (checkpointing after every commit cost about a fifth of the append rate).
const CHECKPOINT_BYTES: usize = 16 << 20;

/// Once appends pause this long, whatever is left in the WAL is checkpointed.
const CHECKPOINT_WHEN_IDLE: Duration = Duration::from_millis(50);

/// The highest position known to be on stable storage, and how to push it further.
pub(crate) struct Durable {
    mark: AtomicU64,
    wal: PathBuf,
    bodies: File,
    /// Serialises syncs, so one that waited behind another can find its work done.
    syncing: Mutex<()>,
    /// Set when an fsync failed: the page cache may then have dropped data, so nothing more
    /// is acknowledged or read past the mark.
    failed: AtomicBool,
}

impl Durable {
    /// The durability state of the store at `db` with its open bodies file, nothing known
    /// durable yet.
    pub(crate) fn new(db: &Path, bodies: File) -> Self {
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        Durable { mark: AtomicU64::new(0), wal: PathBuf::from(wal), bodies, syncing: Mutex::new(()), failed: AtomicBool::new(false) }
    }

    /// Positions up to this one are durable.
    pub(crate) fn mark(&self) -> u64 {
        self.mark.load(Ordering::Acquire)
    }

    /// Makes every event committed so far durable, if position `upto` is not yet: `upto` must
    /// have been read from a committed state before this call.
    pub(crate) fn ensure(&self, upto: u64) -> Result<()> {
        if upto <= self.mark() {
            return Ok(());
        }
        let _turn = self.syncing.lock().expect("sync lock poisoned");
        if upto <= self.mark() {
            return Ok(());
        }
        if self.failed.load(Ordering::Acquire) {
            return Err(Error::Invalid("the embedded log could not fsync its WAL earlier; reopen it".into()));
        }
        // Bodies first: a row made durable before its body is dropped at the next open.
        self.bodies.sync_data().inspect_err(|_| self.failed.store(true, Ordering::Release))?;
        // Without a WAL file every committed page is in the database file, which SQLite
        // fsyncs when it checkpoints.
        match File::open(&self.wal) {
            Ok(file) => file.sync_data().inspect_err(|_| self.failed.store(true, Ordering::Release))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err.into()),
        }
        self.mark.fetch_max(upto, Ordering::AcqRel);
        Ok(())
    }
}

/// One committed group waiting for its fsync: its last position, its event bytes and the
/// answers to send.
pub(crate) struct Committed {
    pub last: u64,
    pub bytes: usize,
    pub replies: Vec<(oneshot::Sender<Result<Vec<Appended>>>, Result<Vec<Appended>>)>,
}

/// Runs until the writer ends: syncs each run of queued commits at once, then publishes the
/// new head and acknowledges the appends; asks for a checkpoint every `CHECKPOINT_BYTES` and
/// when appends pause.
pub(crate) fn syncer(durable: &Durable, committed: mpsc::Receiver<Committed>, head: watch::Sender<u64>, checkpoint: mpsc::SyncSender<()>) {
    let mut unchecked = 0;
    loop {
        // With nothing left to checkpoint, sleep until the next commit.
        let next = match unchecked {
            0 => committed.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            _ => committed.recv_timeout(CHECKPOINT_WHEN_IDLE),
        };
        let first = match next {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if unchecked > 0 && checkpoint.try_send(()).is_ok() {
                    unchecked = 0;
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let mut run = vec![first];
        run.extend(committed.try_iter());
        let last = run.iter().map(|c| c.last).max().unwrap_or(0);
        let synced = durable.ensure(last).map_err(|err| {
            tracing::error!(error = %err, "embedded log fsync failed");
            err.to_string()
        });
        if synced.is_ok() {
            head.send_if_modified(|h| {
                let newer = last > *h;
                *h = (*h).max(last);
                newer
            });
            unchecked += run.iter().map(|c| c.bytes).sum::<usize>();
            if unchecked >= CHECKPOINT_BYTES && checkpoint.try_send(()).is_ok() {
                unchecked = 0;
            }
        }
        for (reply, result) in run.into_iter().flat_map(|c| c.replies) {
            let answer = match &synced {
                Ok(()) => result,
                Err(message) => Err(Error::Invalid(format!("not durable: {message}"))),
            };
            let _ = reply.send(answer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_only_moves_forward_and_a_missing_wal_needs_no_sync() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("events.db");
        let durable = Durable::new(&db, super::super::bodies::open(&db).unwrap());
        durable.ensure(5).unwrap();
        assert_eq!(durable.mark(), 5);
        std::fs::write(dir.path().join("events.db-wal"), b"frames").unwrap();
        durable.ensure(3).unwrap();
        assert_eq!(durable.mark(), 5);
        durable.ensure(9).unwrap();
        assert_eq!(durable.mark(), 9);
    }

    #[test]
    fn the_syncer_acknowledges_in_order_and_publishes_the_head() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("events.db");
        let durable = Durable::new(&db, super::super::bodies::open(&db).unwrap());
        let (tx, rx) = mpsc::channel();
        let (head_tx, head) = watch::channel(0);
        let (nudge, _nudges) = mpsc::sync_channel(1);
        let mut answers = Vec::new();
        for last in [3, 7] {
            let (reply, answer) = oneshot::channel();
            let appended = vec![Appended { stream_version: 1, partition: 0, offset: last }];
            tx.send(Committed { last, bytes: 10, replies: vec![(reply, Ok(appended))] }).unwrap();
            answers.push(answer);
        }
        drop(tx);
        syncer(&durable, rx, head_tx, nudge);
        assert_eq!((durable.mark(), *head.borrow()), (7, 7));
        let offsets: Vec<u64> = answers.into_iter().map(|a| a.blocking_recv().unwrap().unwrap()[0].offset).collect();
        assert_eq!(offsets, [3, 7]);
    }
}
