//! Signed checkpoints: the chain heads of every partition at one moment, signed with
//! HMAC-SHA256 under the audit key, each naming its predecessor's signature.

use crate::chain::{ChainHead, Hash};
use crate::{AuditError, Result};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The shortest audit key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// The secret that signs checkpoints; it never enters the event log or the checkpoint store.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl AuditKey {
    /// A key from its text form (as in `NETRAVEN_AUDIT_KEY` or the `audit.key` file).
    pub fn from_text(text: &str) -> Result<Self> {
        let bytes = text.trim().as_bytes().to_vec();
        if bytes.len() < MIN_KEY_BYTES {
            return Err(AuditError::Key(format!("it has {} bytes; at least {MIN_KEY_BYTES} are needed", bytes.len())));
        }
        Ok(AuditKey(bytes))
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length")
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// One partition's chain head as sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionHead {
    /// The partition.
    pub partition: u32,
    /// Events of the partition covered.
    pub count: u64,
    /// Offset of the last covered event.
    pub last_offset: u64,
    /// Chain value after it, hex.
    pub chain: String,
}

impl PartitionHead {
    /// The sealed form of a chain head.
    pub fn new(partition: u32, head: &ChainHead) -> Self {
        PartitionHead { partition, count: head.count, last_offset: head.last_offset, chain: hex::encode(head.hash) }
    }

    /// Whether `head` is exactly this sealed head.
    pub fn matches(&self, head: &ChainHead) -> bool {
        self.count == head.count && self.chain == hex::encode(head.hash) && (self.count == 0 || self.last_offset == head.last_offset)
    }
}

/// What a checkpoint's signature covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    /// 1 for the first checkpoint, then one more each time.
    pub number: u64,
    /// When it was made.
    pub sealed_at: DateTime<Utc>,
    /// The chain head of every partition seen so far, by partition.
    pub heads: Vec<PartitionHead>,
    /// The previous checkpoint's signature (hex), so none can be removed unnoticed.
    pub previous: Option<String>,
}

/// A sealed checkpoint with its signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// What is signed.
    pub sealed: Sealed,
    /// HMAC-SHA256 of the canonical JSON of `sealed`.
    pub signature: Hash,
}

impl Checkpoint {
    /// Signs `sealed` with `key`.
    pub fn sign(sealed: Sealed, key: &AuditKey) -> Result<Self> {
        let mut mac = key.mac();
        mac.update(&serde_json::to_vec(&sealed)?);
        Ok(Checkpoint { sealed, signature: mac.finalize().into_bytes().into() })
    }

    /// Whether the signature is `key`'s over this content (constant-time comparison).
    pub fn is_signed_by(&self, key: &AuditKey) -> Result<bool> {
        let mut mac = key.mac();
        mac.update(&serde_json::to_vec(&self.sealed)?);
        Ok(mac.verify_slice(&self.signature).is_ok())
    }

    /// The sealed head of `partition`, if the checkpoint covers it.
    pub fn head(&self, partition: u32) -> Option<&PartitionHead> {
        self.sealed.heads.iter().find(|h| h.partition == partition)
    }

    /// The signature as hex.
    pub fn signature_hex(&self) -> String {
        hex::encode(self.signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_only_for_its_content_and_key() {
        let key = AuditKey::from_text(&"k".repeat(40)).unwrap();
        let sealed = Sealed { number: 1, sealed_at: Utc::now(), heads: vec![], previous: None };
        let cp = Checkpoint::sign(sealed, &key).unwrap();
        assert!(cp.is_signed_by(&key).unwrap());
        assert!(!cp.is_signed_by(&AuditKey::from_text(&"x".repeat(40)).unwrap()).unwrap());
        let mut changed = cp.clone();
        changed.sealed.number = 2;
        assert!(!changed.is_signed_by(&key).unwrap());
        assert!(AuditKey::from_text("short").is_err());
    }
}
