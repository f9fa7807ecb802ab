//! The view tables: created on open, dropped whole by a rebuild.

use crate::{Checkpoints, Result};
use rusqlite::Connection;

/// Every table the projector owns, in the order a rebuild drops them.
const TABLES: &[&str] = &[
    "applied_events",
    "projector_status",
    "projection_checkpoints",
    "jobs",
    "job_logs",
    "devices",
    "device_tags",
    "config_versions",
    "credentials",
    "schedules",
    "audit",
];

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS applied_events (event_id BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projector_status (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    applied_events INTEGER NOT NULL DEFAULT 0,
    last_event_time TEXT,
    last_applied_at TEXT,
    caught_up_at TEXT
);
INSERT OR IGNORE INTO projector_status (id) VALUES (1);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    job_type TEXT NOT NULL,
    target TEXT NOT NULL,
    device_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    priority INTEGER NOT NULL,
    timeout_secs INTEGER NOT NULL,
    parent_job_id TEXT,
    schedule_id TEXT,
    created_at TEXT NOT NULL,
    queued_at TEXT,
    dispatched_at TEXT,
    started_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS job_logs (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    level TEXT NOT NULL,
    category TEXT NOT NULL,
    message TEXT NOT NULL,
    details TEXT NOT NULL,
    source_component TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    filter_version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    platform TEXT,
    software_version TEXT,
    tags TEXT NOT NULL,
    host_key_fingerprint TEXT,
    registered_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    removed_at TEXT,
    last_backup_job_id TEXT,
    last_backup_status TEXT,
    last_backup_at TEXT
);
CREATE TABLE IF NOT EXISTS device_tags (
    device_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    PRIMARY KEY (device_id, tag)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS config_versions (
    device_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    job_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    captured_at TEXT NOT NULL,
    event_id TEXT NOT NULL,
    filter_version INTEGER NOT NULL,
    UNIQUE (device_id, version)
);
CREATE TABLE IF NOT EXISTS credentials (
    credential_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    username TEXT NOT NULL,
    tags TEXT NOT NULL,
    priority INTEGER NOT NULL,
    key_version INTEGER NOT NULL,
    enable_key_version INTEGER,
    revoked INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    rotated_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT,
    last_outcome TEXT,
    last_device_id TEXT,
    last_job_id TEXT,
    successes INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS schedules (
    schedule_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    missed_runs TEXT NOT NULL,
    job_type TEXT NOT NULL,
    target TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_fired_at TEXT,
    last_due_at TEXT,
    last_job_id TEXT,
    fired_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    position TEXT NOT NULL,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    event_type TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    job_id TEXT,
    device_id TEXT,
    correlation_id TEXT NOT NULL,
    source TEXT NOT NULL,
    ignored INTEGER NOT NULL
);
";

/// The indexes that serve reads only: a replay builds them once at its end, which is much
/// cheaper than keeping them up to date event by event.
const READ_INDEXES: &str = "
CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs (created_at, job_id);
CREATE INDEX IF NOT EXISTS jobs_by_device ON jobs (device_id, created_at);
CREATE INDEX IF NOT EXISTS jobs_by_parent ON jobs (parent_job_id);
CREATE INDEX IF NOT EXISTS job_logs_by_job ON job_logs (job_id, seq);
CREATE INDEX IF NOT EXISTS devices_by_name ON devices (name, device_id);
CREATE INDEX IF NOT EXISTS device_tags_by_tag ON device_tags (tag, device_id);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (actor, seq);
CREATE INDEX IF NOT EXISTS audit_by_job ON audit (job_id, seq);
CREATE INDEX IF NOT EXISTS audit_by_device ON audit (device_id, seq);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (time, seq);
";

/// Creates every view table and index that does not exist yet.
pub(crate) fn create(conn: &Connection) -> Result<()> {
    Checkpoints::init(conn)?;
    conn.execute_batch(SCHEMA)?;
    create_read_indexes(conn)
}

/// Creates the read indexes that do not exist yet.
pub(crate) fn create_read_indexes(conn: &Connection) -> Result<()> {
    conn.execute_batch(READ_INDEXES)?;
    Ok(())
}

/// Drops every view table and creates them empty without their read indexes (see
/// [`create_read_indexes`]), in one transaction.
pub(crate) fn recreate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    for table in TABLES {
        tx.execute_batch(&format!("DROP TABLE IF EXISTS {table}"))?;
    }
    Checkpoints::init(&tx)?;
    tx.execute_batch(SCHEMA)?;
    tx.commit()?;
    Ok(())
}
