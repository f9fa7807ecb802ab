//! What `verify` found wrong, and where.

use serde::Serialize;
use std::fmt;
use uuid::Uuid;

/// The kind of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// No checkpoint exists, so nothing can be attested.
    NotSealed,
    /// A checkpoint's signature is not the audit key's.
    BadSignature,
    /// A checkpoint is missing or does not name its predecessor.
    CheckpointMissing,
    /// The checkpoint store's record of sealed events does not match a signed checkpoint.
    StoreAltered,
    /// The chain recomputed from the log does not match a signed checkpoint.
    ChainMismatch,
    /// An event could not be read or decoded; the log after it is unchecked.
    Unreadable,
    /// A sealed event's content changed.
    Altered,
    /// A sealed event is gone.
    Deleted,
    /// An event that was never sealed stands among sealed ones.
    Inserted,
    /// A sealed event stands out of its sealed order.
    Reordered,
    /// Sealed events stand at other offsets than they were sealed at.
    Shifted,
}

impl Problem {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::NotSealed => "not sealed",
            Problem::BadSignature => "bad signature",
            Problem::CheckpointMissing => "checkpoint missing",
            Problem::StoreAltered => "checkpoint store altered",
            Problem::ChainMismatch => "chain mismatch",
            Problem::Unreadable => "unreadable",
            Problem::Altered => "altered",
            Problem::Deleted => "deleted",
            Problem::Inserted => "inserted",
            Problem::Reordered => "reordered",
            Problem::Shifted => "shifted",
        }
    }
}

/// One thing found wrong, with as much of its place as is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What is wrong.
    pub problem: Problem,
    /// The checkpoint concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<u64>,
    /// The partition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<u32>,
    /// The offset in the partition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// The event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// What exactly is wrong, in words.
    pub detail: String,
}

impl Finding {
    /// A finding with no place yet.
    pub fn new(problem: Problem, detail: impl Into<String>) -> Self {
        Finding { problem, checkpoint: None, partition: None, offset: None, event_id: None, detail: detail.into() }
    }

    /// Names the checkpoint.
    pub fn checkpoint(mut self, number: u64) -> Self {
        self.checkpoint = Some(number);
        self
    }

    /// Names the place in the log.
    pub fn at(mut self, partition: u32, offset: u64) -> Self {
        self.partition = Some(partition);
        self.offset = Some(offset);
        self
    }

    /// Names the partition only.
    pub fn in_partition(mut self, partition: u32) -> Self {
        self.partition = Some(partition);
        self
    }

    /// Names the event.
    pub fn event(mut self, id: Uuid) -> Self {
        self.event_id = Some(id);
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem.as_str().to_uppercase())?;
        if let Some(n) = self.checkpoint {
            write!(f, " [checkpoint #{n}]")?;
        }
        if let Some(p) = self.partition {
            write!(f, " partition {p}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " offset {o}")?;
        }
        if let Some(id) = self.event_id {
            write!(f, " event {id}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

/// The outcome of a verification.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Checkpoints checked.
    pub checkpoints: usize,
    /// Events read from the log.
    pub events: u64,
    /// Events in the log after the latest checkpoint (not yet sealed).
    pub unsealed: u64,
    /// Everything found wrong; empty when the log is intact.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Whether nothing was found wrong.
    pub fn is_intact(&self) -> bool {
        self.findings.is_empty()
    }

    /// Whether some finding is of this kind.
    pub fn has(&self, problem: Problem) -> bool {
        self.findings.iter().any(|f| f.problem == problem)
    }
}
