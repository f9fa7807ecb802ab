//! SQLite access for the embedded log: opening with durable settings, the schema, reads (bodies
//! from the bodies file, or inline in files written before it), and recovery of a torn tail.

use super::bodies::{self, Span};
use crate::log::{RecordedEvent, SkipTypes, StreamId};
use crate::{Error, Event, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Statement, params};
use std::fs::File;
use std::path::Path;
use std::time::Duration;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    position   INTEGER PRIMARY KEY,
    stream     TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    event_type TEXT    NOT NULL,
    body       BLOB    NOT NULL,
    body_at    INTEGER,
    body_len   INTEGER,
    body_crc   INTEGER,
    UNIQUE (stream, version)
);
CREATE TABLE IF NOT EXISTS marks (
    name     TEXT    PRIMARY KEY,
    position INTEGER NOT NULL
);
";

/// Columns that files written before the bodies file lack (their bodies stay in `body`).
const BODY_SPAN_COLUMNS: [&str; 3] = ["body_at", "body_len", "body_crc"];

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
        add_body_span_columns(&conn)?;
    } else if role == Role::Reader {
        conn.pragma_update(None, "query_only", true)?;
    }
    Ok(conn)
}

/// Adds the body span columns to a file from before the bodies file; its rows keep their
/// bodies inline (`body_at` NULL), new rows leave `body` empty.
fn add_body_span_columns(conn: &Connection) -> Result<()> {
    let mut columns = conn.prepare("SELECT name FROM pragma_table_info('events')")?;
    let present: Vec<String> = columns.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    for column in BODY_SPAN_COLUMNS.iter().filter(|c| !present.iter().any(|p| p == *c)) {
        conn.execute_batch(&format!("ALTER TABLE events ADD COLUMN {column} INTEGER"))?;
    }
    Ok(())
}

/// Records that positions up to `position` were durable when this transaction began.
pub(crate) fn record_durable(conn: &Connection, position: u64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO marks (name, position) VALUES ('durable', ?1)
         ON CONFLICT (name) DO UPDATE SET position = max(position, excluded.position)",
    )?
    .execute([position as i64])?;
    Ok(())
}

/// Drops the events written after the last recorded durable mark whose bodies did not reach
/// the bodies file intact (a power loss between the write and its fsync), with every event
/// after the first such one: none of them was acknowledged. Returns how many were dropped.
pub(crate) fn drop_torn_tail(conn: &Connection, bodies: &File) -> Result<usize> {
    let durable: i64 = conn
        .query_row("SELECT position FROM marks WHERE name = 'durable'", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let mut rows = conn.prepare(
        "SELECT position, body_at, body_len, body_crc FROM events
         WHERE position > ?1 AND body_at IS NOT NULL ORDER BY position",
    )?;
    let mut rows = rows.query([durable])?;
    while let Some(row) = rows.next()? {
        let span = Span { at: row.get::<_, i64>(1)? as u64, len: row.get::<_, i64>(2)? as u64, crc: row.get::<_, i64>(3)? as u32 };
        if !bodies::intact(bodies, span)? {
            let first: i64 = row.get(0)?;
            return Ok(conn.execute("DELETE FROM events WHERE position >= ?1", [first])?);
        }
    }
    Ok(0)
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

/// Up to `limit` events with position in `from..=upto`, in order, leaving out the `skip` types.
pub(crate) fn read_page(conn: &Connection, bodies: &File, from: u64, upto: u64, limit: usize, skip: SkipTypes) -> Result<Vec<RecordedEvent>> {
    let unwanted = if skip.is_empty() { String::new() } else { format!("AND event_type NOT IN ({})", vec!["?"; skip.len()].join(", ")) };
    let sql = format!(
        "SELECT position, version, body, body_at, body_len, body_crc FROM events
         WHERE position >= ? AND position <= ? {unwanted} ORDER BY position LIMIT ?"
    );
    let (from, upto, limit) = (from as i64, upto as i64, limit as i64);
    let mut args: Vec<&dyn rusqlite::ToSql> = vec![&from, &upto];
    args.extend(skip.iter().map(|t| t as &dyn rusqlite::ToSql));
    args.push(&limit);
    query_events(conn, bodies, &sql, args.as_slice())
}

/// A stream's events with version ≥ `from_version`, in order.
pub(crate) fn read_stream(conn: &Connection, bodies: &File, stream: &StreamId, from_version: u64) -> Result<Vec<RecordedEvent>> {
    query_events(
        conn,
        bodies,
        "SELECT position, version, body, body_at, body_len, body_crc FROM events
         WHERE stream = ?1 AND version >= ?2 ORDER BY version",
        params![stream.as_str(), from_version as i64],
    )
}

/// One selected row: its position and version, and its body inline or where it lies.
type Row = (i64, i64, std::result::Result<Vec<u8>, Span>);

fn query_events(conn: &Connection, bodies: &File, sql: &str, args: impl rusqlite::Params) -> Result<Vec<RecordedEvent>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows: Vec<Row> = stmt
        .query_map(args, |r| {
            let body = match r.get::<_, Option<i64>>(3)? {
                None => Ok(r.get(2)?),
                Some(at) => Err(Span { at: at as u64, len: r.get::<_, i64>(4)? as u64, crc: r.get::<_, i64>(5)? as u32 }),
            };
            Ok((r.get(0)?, r.get(1)?, body))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let spans: Vec<Span> = rows.iter().filter_map(|(_, _, body)| body.as_ref().err().copied()).collect();
    let mut from_file = bodies::read(bodies, &spans)?.into_iter();
    rows.into_iter()
        .map(|(position, version, body)| {
            let body = body.unwrap_or_else(|_| from_file.next().unwrap_or_default());
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
