//! Typed identifiers of NetRaven's aggregates, so a job id is never passed where a device id belongs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered (UUIDv7) identifier.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The event stream that holds this aggregate's history.
            pub fn stream(&self) -> crate::StreamId {
                crate::StreamId::new(format!("{}-{}", $prefix, self.0))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        #[cfg(test)]
        impl proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;
            fn arbitrary_with(_: ()) -> Self::Strategy {
                use proptest::strategy::Strategy;
                proptest::prelude::any::<u128>().prop_map(|n| Self(Uuid::from_u128(n))).boxed()
            }
        }
    };
}

id_type!(
    /// Identifies a job (one requested unit of device work, across all its attempts).
    JobId,
    "job"
);
id_type!(
    /// Identifies a registered device.
    DeviceId,
    "device"
);
id_type!(
    /// Identifies a stored credential.
    CredentialId,
    "credential"
);
id_type!(
    /// Identifies a schedule.
    ScheduleId,
    "schedule"
);
