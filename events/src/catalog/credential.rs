//! Credential events: secrets appear only as AES-256-GCM ciphertext with their key version.

use super::ids::{CredentialId, DeviceId, JobId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// A secret sealed by the credential vault; the key itself never enters the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct SealedSecret {
    /// Version of the vault key that sealed it.
    pub key_version: u32,
    /// 96-bit nonce, base64.
    pub nonce: String,
    /// AES-256-GCM ciphertext with its tag, base64.
    pub ciphertext: String,
}

/// A credential was stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct CredentialAdded {
    /// The new credential.
    pub credential_id: CredentialId,
    /// Its name.
    pub name: String,
    /// Login name (not secret).
    pub username: String,
    /// The password or key, sealed.
    pub secret: SealedSecret,
    /// The enable/privilege password, sealed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_secret: Option<SealedSecret>,
    /// Devices with any of these tags are candidates for it (empty: all devices).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Lower is tried first.
    pub priority: i32,
}

/// A credential's secret was replaced, or re-sealed under a newer key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct CredentialRotated {
    /// The credential.
    pub credential_id: CredentialId,
    /// The new sealed secret.
    pub secret: SealedSecret,
    /// The new sealed enable secret, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_secret: Option<SealedSecret>,
}

/// A credential may no longer be used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct CredentialRevoked {
    /// The credential.
    pub credential_id: CredentialId,
}

/// How a login with a credential went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// Logged in.
    Success,
    /// The device refused the credential.
    AuthenticationFailed,
    /// The attempt failed for another reason (timeout, unreachable...).
    Error,
}

/// A device-agent tried a credential on a device (never the secret itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct CredentialAttempted {
    /// The credential tried.
    pub credential_id: CredentialId,
    /// The device.
    pub device_id: DeviceId,
    /// The job during which it was tried.
    pub job_id: JobId,
    /// The outcome.
    pub outcome: AttemptOutcome,
}
