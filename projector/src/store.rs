//! The view database as the projector writes it: batches of events applied in one SQLite
//! transaction together with the checkpoint, each event at most once (by event id).

use crate::time::to_text;
use crate::{Checkpoints, Result, apply, schema};
use netraven_events::{Position, RecordedEvent};
use rusqlite::{Connection, Transaction};
use std::path::Path;
use std::time::Duration;

/// The checkpoint name of the SQLite views.
pub const PROJECTION: &str = "views";

/// Opens a connection to the view database with the projector's settings.
pub(crate) fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    // WAL lets the query API read while the projector writes. `NORMAL` may lose the last
    // commits on power loss, but rows and checkpoint always go together, so the projector
    // simply re-applies what was lost.
    // Larger pages mean fewer page writes per event (takes effect when the file is created).
    conn.pragma_update(None, "page_size", 16_384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?; // 64 MiB
    conn.set_prepared_statement_cache_capacity(64);
    stable_plans(&conn)?;
    Ok(conn)
}

/// Keeps query plans across bound values: without it the bundled SQLite (STAT4) re-prepares a
/// statement whenever a bound value changes, which costs more than running it.
pub(crate) fn stable_plans(conn: &Connection) -> Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// The writable view database.
pub struct ViewStore {
    conn: Connection,
}

impl ViewStore {
    /// Opens (creating if needed) the view database at `path`. Blocking.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| crate::Error::Worker(format!("creating {}: {e}", dir.display())))?;
        }
        let conn = connect(path)?;
        schema::create(&conn)?;
        Ok(ViewStore { conn })
    }

    /// The log position every committed view row covers.
    pub fn position(&self) -> Result<Position> {
        Checkpoints::load(&self.conn, PROJECTION)
    }

    /// Starts a batch: one transaction, committed with its checkpoint by [`Batch::commit`].
    /// Dropping a batch without committing rolls all of it back, as a crash would.
    pub fn begin(&mut self) -> Result<Batch<'_>> {
        // Immediate: the write lock is taken before the checkpoint is read, so a batch always
        // starts from the position of the last commit, whoever made it.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let position = Checkpoints::load(&tx, PROJECTION)?;
        Ok(Batch { tx, position, applied: 0, last_event_time: None })
    }

    /// Applies `events` in one batch; returns how many were new.
    pub fn apply_all(&mut self, events: &[RecordedEvent]) -> Result<u64> {
        let mut batch = self.begin()?;
        for recorded in events {
            batch.apply(recorded)?;
        }
        batch.commit()
    }

    /// Records that everything before `head` has been read: the checkpoint moves to `head` in
    /// partitions where no event was left (so lag is exact even for partitions never written).
    /// Only what separates the last event from `head` is passed over: on Kafka, `head` is the
    /// last stable offset, so a transaction still open lies past it and is read once it commits
    /// (`tests/kafka_catch_up.rs`).
    pub fn mark_caught_up(&mut self, head: &Position) -> Result<()> {
        let mut position = self.position()?;
        for (partition, next) in head.partitions() {
            if position.next_offset(partition) < next {
                position.set(partition, next);
            }
        }
        let tx = self.conn.transaction()?;
        Checkpoints::store(&tx, PROJECTION, &position)?;
        tx.execute("UPDATE projector_status SET caught_up_at = ?1 WHERE id = 1", [to_text(&chrono::Utc::now())])?;
        tx.commit()?;
        Ok(())
    }

    /// Drops every view and the checkpoint, leaving empty views that start from the log's start
    /// and lack their read indexes until [`ViewStore::build_read_indexes`] (or the next `open`).
    pub fn reset(&mut self) -> Result<()> {
        schema::recreate(&mut self.conn)
    }

    /// Builds the read indexes that are missing (after a replay into reset views).
    pub fn build_read_indexes(&mut self) -> Result<()> {
        schema::create_read_indexes(&self.conn)
    }

    /// The underlying connection (for reads on the projector's own thread).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Events being applied in one transaction.
pub struct Batch<'a> {
    tx: Transaction<'a>,
    position: Position,
    applied: u64,
    last_event_time: Option<String>,
}

impl Batch<'_> {
    /// Applies one event unless its id was applied before; returns whether it was new.
    pub fn apply(&mut self, recorded: &RecordedEvent) -> Result<bool> {
        self.position.advance(recorded.partition, recorded.offset);
        let fresh = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO applied_events (event_id) VALUES (?1)")?
            .execute([&recorded.event.id.as_bytes()[..]])?
            == 1;
        if fresh {
            apply::event(&self.tx, recorded)?;
            self.applied += 1;
            self.last_event_time = Some(to_text(&recorded.event.time));
        }
        Ok(fresh)
    }

    /// Commits the view rows with the position after the last event; returns how many were new.
    pub fn commit(self) -> Result<u64> {
        Checkpoints::store(&self.tx, PROJECTION, &self.position)?;
        self.tx.execute(
            "UPDATE projector_status SET applied_events = applied_events + ?1,
                 last_event_time = COALESCE(?2, last_event_time), last_applied_at = ?3 WHERE id = 1",
            rusqlite::params![self.applied as i64, self.last_event_time, to_text(&chrono::Utc::now())],
        )?;
        self.tx.commit()?;
        Ok(self.applied)
    }
}
