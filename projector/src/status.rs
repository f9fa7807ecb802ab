//! How far the views are behind the log: events not yet applied and when the projector last
//! committed, read from the view database so any process (the API too) can report it.

use crate::store::PROJECTION;
use crate::time::from_opt;
use crate::{Checkpoints, Result};
use chrono::{DateTime, Utc};
use netraven_events::Position;
use rusqlite::Connection;
use serde::Serialize;

/// The projector's progress as committed in the view database.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Status {
    /// The log position the views cover (text form, `0:42`).
    pub position: String,
    /// Events applied since the views were created (duplicates not counted).
    pub applied_events: u64,
    /// `time` of the last applied event.
    pub last_event_time: Option<DateTime<Utc>>,
    /// Wall-clock time of the last commit.
    pub last_applied_at: Option<DateTime<Utc>>,
    /// When the projector last finished catching up with the log.
    pub caught_up_at: Option<DateTime<Utc>>,
}

impl Status {
    /// Reads the committed status.
    pub fn read(conn: &Connection) -> Result<Status> {
        let position = Checkpoints::load(conn, PROJECTION)?;
        let (applied, event_time, applied_at, caught_up): (i64, Option<String>, Option<String>, Option<String>) = conn.query_row(
            "SELECT applied_events, last_event_time, last_applied_at, caught_up_at FROM projector_status WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(Status {
            position: position.to_string(),
            applied_events: applied as u64,
            last_event_time: from_opt(event_time)?,
            last_applied_at: from_opt(applied_at)?,
            caught_up_at: from_opt(caught_up)?,
        })
    }

    /// The committed position, parsed.
    pub fn position(&self) -> Result<Position> {
        Ok(self.position.parse()?)
    }
}

/// The views' lag behind the log.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Lag {
    /// Events in the log that the views do not cover yet.
    pub events_behind: u64,
    /// The log's head (text form).
    pub head: String,
    /// The committed status.
    pub status: Status,
}

impl Lag {
    /// The lag of `status` behind a log whose head is `head`.
    pub fn new(status: Status, head: &Position) -> Result<Lag> {
        let applied = status.position()?;
        let events_behind = head.partitions().map(|(p, next)| next.saturating_sub(applied.next_offset(p))).sum();
        Ok(Lag { events_behind, head: head.to_string(), status })
    }
}
