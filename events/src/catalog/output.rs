//! Captured device text: command outputs and configurations, always filtered before they become events.

use super::ids::{DeviceId, JobId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// The output of one command run by a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct CommandOutputCaptured {
    /// The job.
    pub job_id: JobId,
    /// The attempt that ran the command.
    pub attempt: u32,
    /// The device.
    pub device_id: DeviceId,
    /// The command as sent.
    pub command: String,
    /// The output, cleaned of prompts and escapes, with secrets redacted.
    pub output: String,
    /// Version of the redaction rules applied to `output`.
    pub filter_version: u32,
}

/// A device's configuration as captured by a backup job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct ConfigCaptured {
    /// The job.
    pub job_id: JobId,
    /// The attempt that captured it.
    pub attempt: u32,
    /// The device.
    pub device_id: DeviceId,
    /// The configuration text with secrets redacted.
    pub content: String,
    /// SHA-256 (hex) of `content` without the platform's volatile lines.
    pub content_hash: String,
    /// Size of `content` in bytes.
    pub size_bytes: u64,
    /// Version of the redaction rules applied to `content`.
    pub filter_version: u32,
}

/// A captured configuration differs from the device's previous one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct ConfigChanged {
    /// The device.
    pub device_id: DeviceId,
    /// The job that captured the new configuration.
    pub job_id: JobId,
    /// Hash of the previous configuration (none for the first capture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_hash: Option<String>,
    /// Hash of the new configuration.
    pub content_hash: String,
    /// Size of the new configuration in bytes.
    pub size_bytes: u64,
}
