//! The hash chain: each event's digest is SHA-256 of its canonical structured-mode JSON (as
//! `Event::to_json` writes it, stream version included), and each partition's chain value is
//! `h_n = SHA-256(h_(n-1) || partition || offset || digest_n)`, starting from 32 zero bytes.

use netraven_events::RecordedEvent;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A SHA-256 value.
pub type Hash = [u8; 32];

/// The chain value before the first event of a partition.
pub const GENESIS: Hash = [0; 32];

/// One event as the chain sees it: where it stood, which event it was, and its digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// Partition (0 on the embedded store).
    pub partition: u32,
    /// Offset within the partition.
    pub offset: u64,
    /// The event's id.
    pub event_id: Uuid,
    /// SHA-256 of the event's canonical JSON.
    pub digest: Hash,
}

impl Link {
    /// The link of a recorded event.
    pub fn of(recorded: &RecordedEvent) -> crate::Result<Self> {
        let json = recorded.event.to_json()?;
        Ok(Link {
            partition: recorded.partition,
            offset: recorded.offset,
            event_id: recorded.event.id,
            digest: Sha256::digest(&json).into(),
        })
    }

    /// The chain value after this link, given the value before it.
    pub fn extend(&self, previous: &Hash) -> Hash {
        let mut h = Sha256::new();
        h.update(previous);
        h.update(self.partition.to_be_bytes());
        h.update(self.offset.to_be_bytes());
        h.update(self.digest);
        h.finalize().into()
    }
}

/// Where a partition's chain stands: how many events it covers, the last one's offset, and
/// the chain value after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainHead {
    /// Events chained so far.
    pub count: u64,
    /// Offset of the last chained event (meaningless when `count` is 0).
    pub last_offset: u64,
    /// The chain value after the last event.
    pub hash: Hash,
}

impl Default for ChainHead {
    fn default() -> Self {
        ChainHead { count: 0, last_offset: 0, hash: GENESIS }
    }
}

impl ChainHead {
    /// Moves the head past `link`.
    pub fn push(&mut self, link: &Link) {
        self.hash = link.extend(&self.hash);
        self.count += 1;
        self.last_offset = link.offset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(offset: u64, byte: u8) -> Link {
        Link { partition: 0, offset, event_id: Uuid::nil(), digest: [byte; 32] }
    }

    #[test]
    fn the_chain_depends_on_content_order_and_place() {
        let chain = |links: &[Link]| {
            let mut head = ChainHead::default();
            links.iter().for_each(|l| head.push(l));
            head.hash
        };
        let base = chain(&[link(1, 1), link(2, 2)]);
        assert_ne!(base, chain(&[link(1, 1), link(2, 3)]), "content");
        assert_ne!(base, chain(&[link(1, 2), link(2, 1)]), "order");
        assert_ne!(base, chain(&[link(1, 1), link(3, 2)]), "offset");
        assert_ne!(base, chain(&[link(1, 1)]), "length");
        assert_eq!(base, chain(&[link(1, 1), link(2, 2)]));
    }
}
