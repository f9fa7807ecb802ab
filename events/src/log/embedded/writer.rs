//! The embedded log's single writer thread: group commit of concurrent appends into one
//! SQLite transaction, each append isolated by a savepoint so a conflict rejects only itself.

use super::store;
use crate::log::{AppendBatch, Appended, StreamId};
use crate::{Error, Result};
use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::sync::mpsc;
use tokio::sync::{oneshot, watch};

/// Most events one group commit takes before it commits.
const GROUP_LIMIT: usize = 20_000;

/// One append waiting for the writer, with the channel its result goes back on.
pub(crate) struct Request {
    pub batch: AppendBatch,
    pub reply: oneshot::Sender<Result<Vec<Appended>>>,
}

/// Runs until every sender is dropped; publishes the last committed position on `head`.
pub(crate) fn run(mut conn: Connection, requests: mpsc::Receiver<Request>, head: watch::Sender<u64>, max_event_bytes: usize) {
    while let Ok(first) = requests.recv() {
        let mut group = vec![first];
        let mut events = group[0].batch.events.len();
        while events < GROUP_LIMIT {
            match requests.try_recv() {
                Ok(next) => {
                    events += next.batch.events.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        let results = commit_group(&mut conn, &group, max_event_bytes);
        match results {
            Ok(results) => {
                if let Ok(last) = store::last_position(&conn) {
                    head.send_replace(last);
                }
                for (request, result) in group.into_iter().zip(results) {
                    let _ = request.reply.send(result);
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

/// Writes every request of the group in one transaction; a request that fails is rolled back
/// to its savepoint and answered with its error while the others commit.
fn commit_group(conn: &mut Connection, group: &[Request], max_event_bytes: usize) -> Result<Vec<Result<Vec<Appended>>>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(group.len());
    for request in group {
        tx.execute_batch("SAVEPOINT append")?;
        let result = write_batch(&tx, &request.batch, max_event_bytes);
        if result.is_err() {
            tx.execute_batch("ROLLBACK TO append")?;
        }
        tx.execute_batch("RELEASE append")?;
        results.push(result);
    }
    tx.commit()?;
    Ok(results)
}

fn write_batch(conn: &Connection, batch: &AppendBatch, max_event_bytes: usize) -> Result<Vec<Appended>> {
    if batch.events.is_empty() {
        return Err(Error::Invalid("an append needs at least one event".into()));
    }
    let mut versions: HashMap<StreamId, u64> = HashMap::new();
    let current = |stream: &StreamId, versions: &mut HashMap<StreamId, u64>| -> Result<u64> {
        if let Some(v) = versions.get(stream) {
            return Ok(*v);
        }
        let v = store::stream_version(conn, stream)?;
        versions.insert(stream.clone(), v);
        Ok(v)
    };
    for (stream, expected) in &batch.expectations {
        expected.check(stream, current(stream, &mut versions)?)?;
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (stream, version, id, event_type, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut appended = Vec::with_capacity(batch.events.len());
    for event in &batch.events {
        let version = current(&event.stream_id, &mut versions)? + 1;
        versions.insert(event.stream_id.clone(), version);
        let mut event = event.clone();
        event.stream_version = version;
        let body = event.to_json()?;
        if body.len() > max_event_bytes {
            return Err(Error::TooLarge { size: body.len(), limit: max_event_bytes });
        }
        insert.execute(params![
            event.stream_id.as_str(),
            version as i64,
            event.id.as_bytes().as_slice(),
            event.event_type(),
            body
        ])?;
        appended.push(Appended { stream_version: version, partition: 0, offset: conn.last_insert_rowid() as u64 });
    }
    Ok(appended)
}
