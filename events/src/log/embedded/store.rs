//! SQLite access for the embedded log: opening with durable settings, the schema, and reads.

use crate::log::{RecordedEvent, StreamId};
use crate::{Error, Event, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Statement, params};
use std::path::Path;
use std::time::Duration;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    position   INTEGER PRIMARY KEY,
    stream     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    event_type TEXT    NOT NULL,
    body       BLOB    NOT NULL,
    UNIQUE (stream, version)
);
";

/// What a connection is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The one writer: creates the schema, WAL without fsync on commit, never checkpoints.
    Writer,
    /// Checkpoints the WAL into the database file (fsyncing the WAL before, the file after).
    Checkpointer,
    /// Reads only.
    Reader,
}

/// Opens (creating if needed) the store file for `role`.
pub(crate) fn open(path: &Path, role: Role) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    // Query-planner stability: without it the bundled SQLite (built with STAT4) re-prepares a
    // statement every time a bound stream name changes, which costs more than the query.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    if role == Role::Writer {
        // Larger pages mean fewer page writes per event (takes effect when the file is created).
        conn.pragma_update(None, "page_size", 16_384)?;
        // WAL + synchronous=NORMAL: a commit does not wait for the disk; the syncer thread
        // fsyncs the WAL before anything is acknowledged or read (`durable`).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 64 MiB of page cache keeps the hot end of both b-trees in memory.
        conn.pragma_update(None, "cache_size", -65_536)?;
        // The writer never checkpoints: the checkpointer thread does, off the append path.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.execute_batch(SCHEMA)?;
    } else if role == Role::Reader {
        conn.pragma_update(None, "query_only", true)?;
    }
    Ok(conn)
}

/// The query behind `stream_version`, prepared once per append by the writer.
pub(crate) const STREAM_VERSION: &str = "SELECT max(version) FROM events WHERE stream = ?1";

/// The current version of a stream (0 when it has no events), with `probe` prepared from
/// `STREAM_VERSION`.
pub(crate) fn stream_version(probe: &mut Statement, stream: &StreamId) -> Result<u64> {
    let v: Option<i64> = probe.query_row([stream.as_str()], |r| r.get(0)).optional()?.flatten();
    Ok(v.unwrap_or(0) as u64)
}

/// The position of the last event (0 when the log is empty).
pub(crate) fn last_position(conn: &Connection) -> Result<u64> {
    let p: Option<i64> = conn.query_row("SELECT max(position) FROM events", [], |r| r.get(0))?;
    Ok(p.unwrap_or(0) as u64)
}

/// Up to `limit` events with position in `from..=upto`, in order.
pub(crate) fn read_page(conn: &Connection, from: u64, upto: u64, limit: usize) -> Result<Vec<RecordedEvent>> {
    query_events(
        conn,
        "SELECT position, version, body FROM events WHERE position >= ?1 AND position <= ?2 ORDER BY position LIMIT ?3",
        params![from as i64, upto as i64, limit as i64],
    )
}

/// A stream's events with version ≥ `from_version`, in order.
pub(crate) fn read_stream(conn: &Connection, stream: &StreamId, from_version: u64) -> Result<Vec<RecordedEvent>> {
    query_events(
        conn,
        "SELECT position, version, body FROM events WHERE stream = ?1 AND version >= ?2 ORDER BY version",
        params![stream.as_str(), from_version as i64],
    )
}

fn query_events(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<RecordedEvent>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(args, |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Vec<u8>>(2)?)))?;
    rows.map(|row| {
        let (position, version, body) = row?;
        decode(position as u64, version as u64, &body)
    })
    .collect()
}

fn decode(position: u64, version: u64, body: &[u8]) -> Result<RecordedEvent> {
    let mut event = Event::from_json(body).map_err(|e| Error::Corrupt {
        at: format!("embedded position {position}"),
        reason: e.to_string(),
    })?;
    event.stream_version = version;
    Ok(RecordedEvent { partition: 0, offset: position, event })
}
