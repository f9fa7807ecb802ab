//! SSH host key events: keys are learned on first use, pinned, and changed only by an operator.

use super::ids::DeviceId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// A device's SSH host key was seen for the first time and pinned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct HostKeyLearned {
    /// The device.
    pub device_id: DeviceId,
    /// Key algorithm (`ssh-ed25519`, ...).
    pub algorithm: String,
    /// `SHA256:` fingerprint of the key.
    pub fingerprint: String,
}

/// A device presented a host key other than the pinned one; the connection was refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct HostKeyMismatched {
    /// The device.
    pub device_id: DeviceId,
    /// The pinned fingerprint.
    pub expected: String,
    /// The fingerprint the device presented.
    pub presented: String,
}

/// An operator accepted a device's new host key, replacing the pinned one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct HostKeyAccepted {
    /// The device.
    pub device_id: DeviceId,
    /// Key algorithm.
    pub algorithm: String,
    /// The newly pinned fingerprint.
    pub fingerprint: String,
}
