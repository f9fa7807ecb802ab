//! The checkpoint store, kept outside the event log: one SQLite file (`audit-checkpoints.db`
//! in the data folder) with the signed checkpoints and the link (offset, event id, digest) of
//! every sealed event, which lets `verify` say exactly where the log differs.
//!
//! Every method does blocking I/O; callers run them on the blocking pool.

use crate::checkpoint::{Checkpoint, Sealed};
use crate::chain::Link;
use crate::{AuditError, Result};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS checkpoints (
    number    INTEGER PRIMARY KEY,
    body      TEXT    NOT NULL,
    signature BLOB    NOT NULL
);
CREATE TABLE IF NOT EXISTS sealed_events (
    partition INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    offset    INTEGER NOT NULL,
    event_id  TEXT    NOT NULL,
    digest    BLOB    NOT NULL,
    PRIMARY KEY (partition, seq)
);
";

/// The file name of the checkpoint store in a data folder.
pub const FILE_NAME: &str = "audit-checkpoints.db";

/// Where checkpoints are kept.
#[derive(Clone, Debug)]
pub struct CheckpointStore {
    path: PathBuf,
}

impl CheckpointStore {
    /// The store at `path` (created on first write; nothing is opened yet).
    pub fn new(path: impl AsRef<Path>) -> Self {
        CheckpointStore { path: path.as_ref().to_path_buf() }
    }

    /// The store in a data folder.
    pub fn in_data_dir(dir: impl AsRef<Path>) -> Self {
        Self::new(dir.as_ref().join(FILE_NAME))
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn connect(&self) -> Result<Connection> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(conn)
    }

    /// Every checkpoint, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<Checkpoint>> {
        let conn = self.connect()?;
        let mut stmt = conn.prepare("SELECT number, body, signature FROM checkpoints ORDER BY number")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?)))?;
        rows.map(|row| {
            let (number, body, signature) = row?;
            let malformed = |reason: String| AuditError::Malformed { number: number as u64, reason };
            let sealed: Sealed = serde_json::from_str(&body).map_err(|e| malformed(e.to_string()))?;
            if sealed.number != number as u64 {
                return Err(malformed(format!("it is stored as #{number} but says #{}", sealed.number)));
            }
            let signature = signature.try_into().map_err(|_| malformed("the signature is not 32 bytes".into()))?;
            Ok(Checkpoint { sealed, signature })
        })
        .collect()
    }

    /// The latest checkpoint, if any.
    pub fn latest(&self) -> Result<Option<Checkpoint>> {
        Ok(self.checkpoints()?.pop())
    }

    /// The links of every sealed event, by partition, in chain order.
    pub fn links(&self) -> Result<BTreeMap<u32, Vec<Link>>> {
        let conn = self.connect()?;
        let mut stmt = conn.prepare("SELECT partition, offset, event_id, digest FROM sealed_events ORDER BY partition, seq")?;
        let mut rows = stmt.query([])?;
        let mut links: BTreeMap<u32, Vec<Link>> = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let partition = r.get::<_, i64>(0)? as u32;
            let offset = r.get::<_, i64>(1)? as u64;
            let bad = |what: &str| AuditError::Malformed { number: 0, reason: format!("sealed event at partition {partition} offset {offset}: bad {what}") };
            let event_id = r.get::<_, String>(2)?.parse().map_err(|_| bad("event id"))?;
            let digest = r.get::<_, Vec<u8>>(3)?.try_into().map_err(|_| bad("digest"))?;
            links.entry(partition).or_default().push(Link { partition, offset, event_id, digest });
        }
        Ok(links)
    }

    /// Writes a checkpoint and the links it newly covers (`(seq, link)`, seq counting the
    /// partition's sealed events from 0) in one transaction.
    pub fn save(&self, checkpoint: &Checkpoint, links: &[(u64, Link)]) -> Result<()> {
        let mut conn = self.connect()?;
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare("INSERT INTO sealed_events (partition, seq, offset, event_id, digest) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for (seq, l) in links {
                insert.execute(params![l.partition, *seq as i64, l.offset as i64, l.event_id.to_string(), &l.digest[..]])?;
            }
        }
        tx.execute(
            "INSERT INTO checkpoints (number, body, signature) VALUES (?1, ?2, ?3)",
            params![checkpoint.sealed.number as i64, serde_json::to_string(&checkpoint.sealed)?, &checkpoint.signature[..]],
        )?;
        tx.commit()?;
        Ok(())
    }
}
