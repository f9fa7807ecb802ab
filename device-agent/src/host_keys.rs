//! Host keys as events: the pinning policy for a device is folded from its stream (learned on
//! first use, replaced only when an operator accepts a new key), and each connection's outcome
//! becomes `host_key_learned` or `host_key_mismatched`.

use crate::DeviceError;
use crate::protocol::{HostKey, HostKeyPolicy};
use netraven_events::EventData;
use netraven_events::catalog::{DeviceId, HostKeyLearned, HostKeyMismatched};

/// The policy for a device given its events in order: the last learned or accepted key is
/// pinned; with none, the first key seen is learned.
pub fn policy<'a>(device_events: impl IntoIterator<Item = &'a EventData>) -> HostKeyPolicy {
    device_events.into_iter().fold(HostKeyPolicy::LearnOnFirstUse, step)
}

/// The policy after one more of the device's events.
pub fn step(policy: HostKeyPolicy, event: &EventData) -> HostKeyPolicy {
    match event {
        EventData::HostKeyLearned(e) => HostKeyPolicy::Pinned(e.fingerprint.clone()),
        EventData::HostKeyAccepted(e) => HostKeyPolicy::Pinned(e.fingerprint.clone()),
        _ => policy,
    }
}

/// The event recording what a connection attempt showed about the device's host key, if any:
/// a key seen under `LearnOnFirstUse` is learned; a refused key is a mismatch.
pub fn event(device_id: DeviceId, policy: &HostKeyPolicy, outcome: Result<&HostKey, &DeviceError>) -> Option<EventData> {
    match (policy, outcome) {
        (HostKeyPolicy::LearnOnFirstUse, Ok(key)) => Some(
            HostKeyLearned { device_id, algorithm: key.algorithm.clone(), fingerprint: key.fingerprint.clone() }.into(),
        ),
        (_, Err(DeviceError::HostKey { expected, presented })) => {
            Some(HostKeyMismatched { device_id, expected: expected.clone(), presented: presented.clone() }.into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::HostKeyAccepted;

    fn key(fp: &str) -> HostKey {
        HostKey { algorithm: "ssh-ed25519".into(), fingerprint: fp.into() }
    }

    #[test]
    fn first_use_learns_then_pins_and_only_an_operator_changes_the_pin() {
        let device = DeviceId::new();
        assert_eq!(policy([]), HostKeyPolicy::LearnOnFirstUse);
        let learned = event(device, &HostKeyPolicy::LearnOnFirstUse, Ok(&key("SHA256:a"))).unwrap();
        assert_eq!(learned.event_type(), "netraven.device.host_key_learned.v1");
        let pinned = policy([&learned]);
        assert_eq!(pinned, HostKeyPolicy::Pinned("SHA256:a".into()));
        assert_eq!(event(device, &pinned, Ok(&key("SHA256:a"))), None, "a known key records nothing");

        let refused = DeviceError::HostKey { expected: "SHA256:a".into(), presented: "SHA256:b".into() };
        let mismatch = event(device, &pinned, Err(&refused)).unwrap();
        assert_eq!(mismatch.event_type(), "netraven.device.host_key_mismatched.v1");
        assert_eq!(policy([&learned, &mismatch]), pinned, "a mismatch does not move the pin");

        let accepted: EventData = HostKeyAccepted { device_id: device, algorithm: "ssh-ed25519".into(), fingerprint: "SHA256:b".into() }.into();
        assert_eq!(policy([&learned, &mismatch, &accepted]), HostKeyPolicy::Pinned("SHA256:b".into()));
    }

    #[test]
    fn other_failures_record_nothing() {
        let err = DeviceError::Timeout { what: "login".into(), secs: 30 };
        assert_eq!(event(DeviceId::new(), &HostKeyPolicy::LearnOnFirstUse, Err(&err)), None);
    }
}
