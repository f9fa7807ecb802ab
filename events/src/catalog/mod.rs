//! The event catalog: every event type NetRaven emits, its versioned type name and its stream.
//!
//! Type names are past-tense facts with a version suffix (`netraven.job.requested.v1`). A
//! published version never changes incompatibly: a breaking change adds a `v2` payload beside it.

mod credential;
mod device;
mod hostkey;
mod ids;
mod job;
mod log;
mod output;
mod schedule;

#[cfg(test)]
pub(crate) mod arb;

pub use credential::*;
pub use device::*;
pub use hostkey::*;
pub use ids::*;
pub use job::*;
pub use log::*;
pub use output::*;
pub use schedule::*;

use crate::{Error, Result, StreamId};

/// One catalog entry: a type name and a generator of its payload's JSON Schema.
#[derive(Clone, Copy, Debug)]
pub struct CatalogEntry {
    /// The versioned type name.
    pub event_type: &'static str,
    /// Generates the payload's JSON Schema.
    pub schema: fn() -> schemars::Schema,
}

macro_rules! catalog {
    ($( $variant:ident = $name:literal, stream = $field:ident; )*) => {
        /// The payload of an event; the variant decides the CloudEvents `type`.
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[cfg_attr(test, derive(proptest_derive::Arbitrary))]
        pub enum EventData {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant($variant),
            )*
        }

        impl EventData {
            /// The versioned type name (CloudEvents `type`).
            pub fn event_type(&self) -> &'static str {
                match self { $( EventData::$variant(_) => $name, )* }
            }

            /// The stream (aggregate) this event belongs to: its ordering and partitioning key.
            pub fn stream(&self) -> StreamId {
                match self { $( EventData::$variant(p) => p.$field.stream(), )* }
            }

            /// The payload as JSON bytes (CloudEvents `data`).
            pub fn to_json(&self) -> Result<Vec<u8>> {
                Ok(match self { $( EventData::$variant(p) => serde_json::to_vec(p)?, )* })
            }

            /// The payload as a JSON value.
            pub fn to_value(&self) -> Result<serde_json::Value> {
                Ok(match self { $( EventData::$variant(p) => serde_json::to_value(p)?, )* })
            }

            /// Decodes a payload of the given type from JSON bytes.
            pub fn from_json(event_type: &str, data: &[u8]) -> Result<Self> {
                match event_type {
                    $( $name => Ok(EventData::$variant(serde_json::from_slice(data)?)), )*
                    other => Err(Error::Invalid(format!("unknown event type `{other}`"))),
                }
            }

            /// Decodes a payload of the given type from a JSON value.
            pub fn from_value(event_type: &str, data: serde_json::Value) -> Result<Self> {
                match event_type {
                    $( $name => Ok(EventData::$variant(serde_json::from_value(data)?)), )*
                    other => Err(Error::Invalid(format!("unknown event type `{other}`"))),
                }
            }

            /// Every event type of the catalog, in declaration order.
            pub fn catalog() -> &'static [CatalogEntry] {
                &[ $( CatalogEntry { event_type: $name, schema: || schemars::schema_for!($variant) }, )* ]
            }
        }

        $(
            impl $variant {
                /// The versioned type name (CloudEvents `type`).
                pub const EVENT_TYPE: &'static str = $name;
            }

            impl From<$variant> for EventData {
                fn from(p: $variant) -> Self { EventData::$variant(p) }
            }
        )*
    };
}

catalog! {
    JobRequested = "netraven.job.requested.v1", stream = job_id;
    JobQueued = "netraven.job.queued.v1", stream = job_id;
    JobDispatched = "netraven.job.dispatched.v1", stream = job_id;
    JobStarted = "netraven.job.started.v1", stream = job_id;
    JobAttemptFailed = "netraven.job.attempt_failed.v1", stream = job_id;
    JobRetried = "netraven.job.retried.v1", stream = job_id;
    JobSucceeded = "netraven.job.succeeded.v1", stream = job_id;
    JobFailed = "netraven.job.failed.v1", stream = job_id;
    JobCancelled = "netraven.job.cancelled.v1", stream = job_id;
    JobTimedOut = "netraven.job.timed_out.v1", stream = job_id;
    JobLogged = "netraven.job.logged.v1", stream = job_id;
    CommandOutputCaptured = "netraven.job.command_output_captured.v1", stream = job_id;
    ConfigCaptured = "netraven.job.config_captured.v1", stream = job_id;
    ConfigChanged = "netraven.device.config_changed.v1", stream = device_id;
    DeviceRegistered = "netraven.device.registered.v1", stream = device_id;
    DeviceUpdated = "netraven.device.updated.v1", stream = device_id;
    DeviceRemoved = "netraven.device.removed.v1", stream = device_id;
    DevicePlatformDetected = "netraven.device.platform_detected.v1", stream = device_id;
    HostKeyLearned = "netraven.device.host_key_learned.v1", stream = device_id;
    HostKeyMismatched = "netraven.device.host_key_mismatched.v1", stream = device_id;
    HostKeyAccepted = "netraven.device.host_key_accepted.v1", stream = device_id;
    CredentialAdded = "netraven.credential.added.v1", stream = credential_id;
    CredentialRotated = "netraven.credential.rotated.v1", stream = credential_id;
    CredentialRevoked = "netraven.credential.revoked.v1", stream = credential_id;
    CredentialAttempted = "netraven.job.credential_attempted.v1", stream = job_id;
    ScheduleCreated = "netraven.schedule.created.v1", stream = schedule_id;
    SchedulePaused = "netraven.schedule.paused.v1", stream = schedule_id;
    ScheduleResumed = "netraven.schedule.resumed.v1", stream = schedule_id;
    ScheduleRemoved = "netraven.schedule.removed.v1", stream = schedule_id;
    ScheduleFired = "netraven.schedule.fired.v1", stream = schedule_id;
}

/// The event types a device-agent needs to have read before it runs an attempt: the device,
/// its credentials and its host key. A dispatch's `log_position` counts these only, so an agent
/// that skips other types (large outputs) still reaches it.
pub const DEVICE_FACTS: &[&str] = &[
    DeviceRegistered::EVENT_TYPE,
    DeviceUpdated::EVENT_TYPE,
    DeviceRemoved::EVENT_TYPE,
    DevicePlatformDetected::EVENT_TYPE,
    HostKeyLearned::EVENT_TYPE,
    HostKeyMismatched::EVENT_TYPE,
    HostKeyAccepted::EVENT_TYPE,
    CredentialAdded::EVENT_TYPE,
    CredentialRotated::EVENT_TYPE,
    CredentialRevoked::EVENT_TYPE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn type_names_are_unique_versioned_and_past_tense_shaped() {
        let mut seen = std::collections::HashSet::new();
        for entry in EventData::catalog() {
            assert!(seen.insert(entry.event_type), "duplicate {}", entry.event_type);
            let parts: Vec<_> = entry.event_type.split('.').collect();
            assert_eq!(parts.len(), 4, "{}", entry.event_type);
            assert_eq!(parts[0], "netraven");
            assert!(parts[3].starts_with('v') && parts[3][1..].parse::<u32>().is_ok());
        }
    }

    #[test]
    fn unknown_type_is_an_error() {
        let err = EventData::from_json("netraven.nothing.happened.v1", b"{}").unwrap_err();
        assert_eq!(err.code(), "INVALID_INPUT");
    }

    proptest! {
        #[test]
        fn any_payload_round_trips_through_json(data in any::<EventData>()) {
            let bytes = data.to_json().unwrap();
            let back = EventData::from_json(data.event_type(), &bytes).unwrap();
            prop_assert_eq!(back, data);
        }
    }
}
