//! Device inventory events: devices are registered, updated, identified and removed.

use super::ids::{DeviceId, JobId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// How NetRaven talks to a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// SSH (interactive shell for network CLIs, exec channel for hosts).
    Ssh,
    /// Telnet.
    Telnet,
    /// HTTP(S) device APIs.
    Http,
}

/// A device was added to the inventory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct DeviceRegistered {
    /// The new device.
    pub device_id: DeviceId,
    /// Its unique, human-chosen name.
    pub name: String,
    /// Host name or IP address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Platform profile name (`cisco_ios`, ...), or none until detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Protocol to use.
    pub protocol: Protocol,
    /// Tags, used for credential choice, fan-out and access scope.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Some of a device's attributes changed; absent fields are unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct DeviceUpdated {
    /// The device.
    pub device_id: DeviceId,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// New port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// New platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// New protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// New full tag set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// A device left the inventory (its history stays in the log).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct DeviceRemoved {
    /// The device.
    pub device_id: DeviceId,
}

/// A detect job identified a device's platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct DevicePlatformDetected {
    /// The device.
    pub device_id: DeviceId,
    /// The detect job.
    pub job_id: JobId,
    /// The platform profile that matched.
    pub platform: String,
    /// Software version read from the device, when found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
}
