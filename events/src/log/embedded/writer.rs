//! The embedded log's single writer thread: group commit of concurrent appends into one
//! SQLite transaction, each append isolated by a savepoint so a conflict rejects only itself.
//! Bodies go to the bodies file, rows to SQLite. Neither is fsynced here: the syncer
//! (`durable`) does that, overlapped with the next group.

use super::bodies::Appender;
use super::durable::{Committed, Durable};
use super::store;
use crate::log::{Appended, ExpectedVersion, StreamId};
use crate::{Error, Result};
use rusqlite::Connection;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{LazyLock, mpsc};
use tokio::sync::oneshot;

/// Most events one group commit takes before it commits.
/// Small enough that the syncer's fsync of one group overlaps the writing of the next.
const GROUP_LIMIT: usize = 2_000;

/// An event already encoded by the appending task, waiting for its stream version.
pub(crate) struct Encoded {
    pub stream: StreamId,
    pub event_type: &'static str,
    /// Structured-mode JSON without `streamversion` (stored in its own column).
    pub body: Vec<u8>,
}

/// One append waiting for the writer, with the channel its result goes back on.
pub(crate) struct Request {
    pub events: Vec<Encoded>,
    pub expectations: Vec<(StreamId, ExpectedVersion)>,
    pub reply: oneshot::Sender<Result<Vec<Appended>>>,
}

/// Runs until every sender is dropped; hands each committed group to the syncer, which
/// answers its appends once the group is durable.
pub(crate) fn run(mut conn: Connection, mut bodies: Appender, durable: &Durable, requests: mpsc::Receiver<Request>, committed: mpsc::Sender<Committed>) {
    while let Ok(first) = requests.recv() {
        let mut count = first.events.len();
        let mut group = vec![first];
        while count < GROUP_LIMIT {
            let Ok(next) = requests.try_recv() else { break };
            count += next.events.len();
            group.push(next);
        }
        match commit_group(&mut conn, &mut bodies, durable.mark(), &group) {
            Ok(results) => {
                let last = results.iter().flatten().flatten().map(|a| a.offset).max().unwrap_or(0);
                let bytes = group.iter().zip(&results).filter(|(_, r)| r.is_ok()).flat_map(|(g, _)| &g.events).map(|e| e.body.len()).sum();
                let replies = group.into_iter().map(|r| r.reply).zip(results).collect();
                if committed.send(Committed { last, bytes, replies }).is_err() {
                    return;
                }
            }
            Err(err) => {
                tracing::error!(error = %err, "embedded log commit failed");
                let message = err.to_string();
                for request in group {
                    let _ = request.reply.send(Err(Error::Invalid(format!("commit failed: {message}"))));
                }
            }
        }
    }
}

/// Copies committed WAL frames into the database file whenever the syncer asks, on its own
/// connection, so the writer's path never pays for it. Ends with the syncer.
pub(crate) fn checkpointer(conn: Connection, nudges: mpsc::Receiver<()>) {
    while nudges.recv().is_ok() {
        if let Err(err) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %err, "embedded log checkpoint failed");
        }
    }
}

/// Writes every request of the group in one transaction; a request that fails is rolled back
/// to its savepoint and answered with its error while the others commit. The transaction
/// also records `durable`, the mark from before it, for recovery after a power loss.
fn commit_group(conn: &mut Connection, bodies: &mut Appender, durable: u64, group: &[Request]) -> Result<Vec<Result<Vec<Appended>>>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Under SQLite's write lock, so no other process appends bodies meanwhile.
    bodies.begin()?;
    let mut results = Vec::with_capacity(group.len());
    for request in group {
        tx.prepare_cached("SAVEPOINT append")?.execute([])?;
        let result = write_request(&tx, bodies, request);
        if result.is_err() {
            bodies.discard();
            tx.prepare_cached("ROLLBACK TO append")?.execute([])?;
        }
        tx.prepare_cached("RELEASE append")?.execute([])?;
        results.push(result);
    }
    store::record_durable(&tx, durable)?;
    tx.commit()?;
    Ok(results)
}

/// Rows one multi-row insert writes (fewer, larger statements cost less per event).
const ROWS_PER_INSERT: usize = 32;

const INSERT: &str = "INSERT INTO events (stream, version, event_type, body, body_at, body_len, body_crc) VALUES";
/// One row's values: the body itself is in the bodies file.
const ROW: &str = "(?, ?, ?, x'', ?, ?, ?)";
/// Parameters per row.
const PARAMS: usize = 6;

static SINGLE_INSERT: LazyLock<String> = LazyLock::new(|| format!("{INSERT} {ROW}"));

static MULTI_INSERT: LazyLock<String> = LazyLock::new(|| {
    format!("{INSERT} {}", vec![ROW; ROWS_PER_INSERT].join(", "))
});

fn write_request(conn: &Connection, bodies: &mut Appender, request: &Request) -> Result<Vec<Appended>> {
    let mut probe = conn.prepare_cached(store::STREAM_VERSION)?;
    let mut latest: HashMap<&StreamId, u64> = HashMap::with_capacity(request.events.len());
    for (stream, expected) in &request.expectations {
        let actual = store::stream_version(&mut probe, stream)?;
        latest.insert(stream, actual);
        expected.check(stream, actual)?;
    }
    let mut versions = Vec::with_capacity(request.events.len());
    for event in &request.events {
        let version = match latest.entry(&event.stream) {
            Entry::Occupied(mut known) => {
                *known.get_mut() += 1;
                *known.get()
            }
            Entry::Vacant(new) => *new.insert(store::stream_version(&mut probe, &event.stream)? + 1),
        };
        versions.push(version);
    }
    let mut appended = Vec::with_capacity(request.events.len());
    for (events, versions) in request.events.chunks(ROWS_PER_INSERT).zip(versions.chunks(ROWS_PER_INSERT)) {
        let multi = events.len() == ROWS_PER_INSERT;
        let mut insert = conn.prepare_cached(if multi { &MULTI_INSERT } else { &SINGLE_INSERT })?;
        for (row, (event, version)) in events.iter().zip(versions).enumerate() {
            let span = bodies.push(&event.body);
            let values: [&dyn rusqlite::ToSql; PARAMS] =
                [&event.stream.as_str(), &(*version as i64), &event.event_type, &(span.at as i64), &(span.len as i64), &(span.crc as i64)];
            if !multi {
                insert.execute(values.as_slice())?;
                continue;
            }
            for (i, value) in values.iter().enumerate() {
                insert.raw_bind_parameter(row * PARAMS + i + 1, value)?;
            }
        }
        if multi {
            insert.raw_execute()?;
        }
        // A rowid table numbers the rows of one insert consecutively after the largest rowid.
        let last = conn.last_insert_rowid() as u64;
        let first = last + 1 - events.len() as u64;
        appended.extend(versions.iter().enumerate().map(|(i, v)| Appended { stream_version: *v, partition: 0, offset: first + i as u64 }));
    }
    bodies.write()?;
    Ok(appended)
}
