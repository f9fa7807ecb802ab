//! Reader positions: the next offset to read in each partition, storable as a short string.

use crate::{Error, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Where a reader stands: for each partition, the offset of the next event to read.
///
/// Partitions it does not name are read from their start. Its text form (`0:42,3:7`) is what
/// readers store (a projector's checkpoint, an SSE `Last-Event-ID`) and parse back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Position {
    next: BTreeMap<u32, u64>,
}

impl Position {
    /// The start of the log.
    pub fn start() -> Self {
        Position::default()
    }

    /// The offset of the next event to read in `partition`.
    pub fn next_offset(&self, partition: u32) -> u64 {
        self.next.get(&partition).copied().unwrap_or(0)
    }

    /// Moves past the event at `offset` in `partition`.
    pub fn advance(&mut self, partition: u32, offset: u64) {
        let next = self.next.entry(partition).or_insert(0);
        *next = (*next).max(offset + 1);
    }

    /// Sets the next offset to read in `partition`.
    pub fn set(&mut self, partition: u32, next_offset: u64) {
        self.next.insert(partition, next_offset);
    }

    /// The partitions this position names, with their next offsets.
    pub fn partitions(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.next.iter().map(|(p, o)| (*p, *o))
    }

    /// Whether `self` has read at least everything `other` has, in every partition.
    pub fn covers(&self, other: &Position) -> bool {
        other.partitions().all(|(p, o)| self.next_offset(p) >= o)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.next.iter().map(|(p, o)| format!("{p}:{o}")).collect();
        f.write_str(&parts.join(","))
    }
}

impl FromStr for Position {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let mut position = Position::start();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let parsed = part
                .split_once(':')
                .and_then(|(p, o)| Some((p.parse().ok()?, o.parse().ok()?)));
            let (partition, offset) = parsed.ok_or_else(|| {
                Error::Invalid(format!("bad position `{s}`: expected `partition:offset,...`"))
            })?;
            position.set(partition, offset);
        }
        Ok(position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        let mut p = Position::start();
        p.advance(0, 41);
        p.advance(3, 6);
        assert_eq!(p.to_string(), "0:42,3:7");
        assert_eq!("0:42,3:7".parse::<Position>().unwrap(), p);
        assert_eq!("".parse::<Position>().unwrap(), Position::start());
    }

    #[test]
    fn bad_text_is_refused() {
        for bad in ["x", "0:", ":1", "0:1,abc", "-1:2"] {
            assert!(bad.parse::<Position>().is_err(), "{bad}");
        }
    }

    #[test]
    fn advance_never_goes_back() {
        let mut p = Position::start();
        p.advance(1, 10);
        p.advance(1, 3);
        assert_eq!(p.next_offset(1), 11);
        assert!(p.covers(&"1:5".parse().unwrap()));
        assert!(!p.covers(&"1:12".parse().unwrap()));
    }
}
