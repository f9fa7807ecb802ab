//! The credential vault: seals secrets with AES-256-GCM under versioned keys that come from
//! configuration (environment or file, never the event log), opens them for the device-agent,
//! and re-seals old ciphertexts under the current key. Once a retired key is removed, the
//! ciphertexts it sealed cannot be opened any more (crypto-shredding), and the vault says so.
#![warn(missing_docs)]

use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use netraven_events::catalog::SealedSecret;
use std::collections::BTreeMap;
use thiserror::Error;
use zeroize::Zeroizing;

/// Errors of the vault.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VaultError {
    /// No key was configured.
    #[error("the vault has no keys: set NETRAVEN_VAULT_KEYS (e.g. `1:<base64 of 32 random bytes>`)")]
    NoKeys,
    /// A key specification could not be read.
    #[error("bad vault key specification `{entry}`: {reason}")]
    BadKeySpec {
        /// The offending entry (the key material itself is never echoed).
        entry: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The key that sealed a secret has been removed: the secret is shredded.
    #[error("key version {version} was removed from the vault: this secret can no longer be read (crypto-shredded); store it again")]
    KeyRemoved {
        /// The removed key version.
        version: u32,
    },
    /// The ciphertext does not open with its key (tampered, or bound to another credential).
    #[error("the sealed secret does not decrypt: it was altered or belongs to another credential")]
    Decrypt,
}

impl VaultError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            VaultError::NoKeys => "VAULT_NO_KEYS",
            VaultError::BadKeySpec { .. } => "VAULT_BAD_KEY_SPEC",
            VaultError::KeyRemoved { .. } => "SECRET_SHREDDED",
            VaultError::Decrypt => "SECRET_UNREADABLE",
        }
    }
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, VaultError>;

/// Versioned AES-256-GCM keys; the highest version seals, every present version opens.
pub struct Vault {
    keys: BTreeMap<u32, Aes256Gcm>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("key_versions", &self.keys.keys().collect::<Vec<_>>()).finish()
    }
}

impl Vault {
    /// A vault with the given `(version, 32-byte key)` pairs.
    pub fn from_keys(keys: impl IntoIterator<Item = (u32, [u8; 32])>) -> Result<Self> {
        let keys: BTreeMap<u32, Aes256Gcm> = keys
            .into_iter()
            .map(|(version, bytes)| (version, Aes256Gcm::new(&Key::<Aes256Gcm>::from(bytes))))
            .collect();
        if keys.is_empty() {
            return Err(VaultError::NoKeys);
        }
        Ok(Vault { keys })
    }

    /// Parses `version:base64key[,version:base64key...]`, as `NETRAVEN_VAULT_KEYS` holds it.
    pub fn from_spec(spec: &str) -> Result<Self> {
        let mut keys = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = |reason: &str| VaultError::BadKeySpec {
                entry: entry.split(':').next().unwrap_or_default().to_string() + ":…",
                reason: reason.to_string(),
            };
            let (version, key) = entry.split_once(':').ok_or_else(|| bad("expected `version:base64key`"))?;
            let version: u32 = version.trim().parse().map_err(|_| bad("the version is not a number"))?;
            let bytes = Zeroizing::new(B64.decode(key.trim()).map_err(|_| bad("the key is not base64"))?);
            let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| bad("the key must be 32 bytes"))?;
            keys.push((version, key));
        }
        Self::from_keys(keys)
    }

    /// A fresh random key as a one-entry spec (`version:base64key`), for a first start that
    /// has no configured keys.
    pub fn generate_spec(version: u32) -> String {
        let key = Key::<Aes256Gcm>::generate();
        format!("{version}:{}", B64.encode(key))
    }

    /// The version new secrets are sealed with.
    pub fn current_version(&self) -> u32 {
        *self.keys.keys().next_back().expect("a vault always has a key")
    }

    /// Seals `plaintext`, bound to `context` (e.g. the credential id) as associated data.
    pub fn seal(&self, plaintext: &str, context: &[u8]) -> SealedSecret {
        let version = self.current_version();
        let nonce = Nonce::generate();
        let ciphertext = self.keys[&version]
            .encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: context })
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        SealedSecret { key_version: version, nonce: B64.encode(nonce), ciphertext: B64.encode(ciphertext) }
    }

    /// Opens a sealed secret bound to `context`.
    pub fn open(&self, sealed: &SealedSecret, context: &[u8]) -> Result<Zeroizing<String>> {
        let key = self.keys.get(&sealed.key_version).ok_or(VaultError::KeyRemoved { version: sealed.key_version })?;
        let nonce_bytes = B64.decode(&sealed.nonce).map_err(|_| VaultError::Decrypt)?;
        let nonce: [u8; 12] = nonce_bytes.as_slice().try_into().map_err(|_| VaultError::Decrypt)?;
        let ciphertext = B64.decode(&sealed.ciphertext).map_err(|_| VaultError::Decrypt)?;
        let plaintext = key
            .decrypt(&Nonce::from(nonce), Payload { msg: &ciphertext, aad: context })
            .map_err(|_| VaultError::Decrypt)?;
        String::from_utf8(plaintext).map(Zeroizing::new).map_err(|_| VaultError::Decrypt)
    }

    /// Re-seals a secret under the current key when an older key sealed it (key rotation).
    pub fn reseal(&self, sealed: &SealedSecret, context: &[u8]) -> Result<Option<SealedSecret>> {
        if sealed.key_version == self.current_version() {
            return Ok(None);
        }
        let plaintext = self.open(sealed, context)?;
        Ok(Some(self.seal(&plaintext, context)))
    }
}

#[cfg(test)]
mod tests;
