//! What the agent knows about devices, credentials and host keys, folded from their events in
//! the whole log: enough to turn a dispatch into the device, credentials and host-key policy of
//! an attempt.

use crate::credentials::CredentialBook;
use crate::executor::{AttemptTarget, DeviceRecord, SealedCredential};
use crate::protocol::HostKeyPolicy;
use crate::{DeviceError, host_keys};
use netraven_events::EventData;
use netraven_events::catalog::{CredentialId, DeviceId};
use std::collections::HashMap;

struct Device {
    record: DeviceRecord,
    tags: Vec<String>,
}

/// Devices, sealed credentials with their ranking, and pinned host keys.
#[derive(Default)]
pub struct Registry {
    devices: HashMap<DeviceId, Device>,
    credentials: HashMap<CredentialId, SealedCredential>,
    book: CredentialBook,
    host_keys: HashMap<DeviceId, HostKeyPolicy>,
}

impl Registry {
    /// Applies one event (others are ignored).
    pub fn apply(&mut self, event: &EventData) {
        self.book.apply(event);
        match event {
            EventData::DeviceRegistered(e) => {
                let record = DeviceRecord { device_id: e.device_id, host: e.host.clone(), port: e.port, platform: e.platform.clone(), protocol: e.protocol };
                self.devices.insert(e.device_id, Device { record, tags: e.tags.clone() });
            }
            EventData::DeviceUpdated(e) => {
                let Some(device) = self.devices.get_mut(&e.device_id) else { return };
                let record = &mut device.record;
                record.host = e.host.clone().unwrap_or_else(|| record.host.clone());
                record.port = e.port.unwrap_or(record.port);
                record.platform = e.platform.clone().or_else(|| record.platform.clone());
                record.protocol = e.protocol.unwrap_or(record.protocol);
                device.tags = e.tags.clone().unwrap_or_else(|| device.tags.clone());
            }
            EventData::DeviceRemoved(e) => {
                self.devices.remove(&e.device_id);
            }
            EventData::DevicePlatformDetected(e) => {
                if let Some(device) = self.devices.get_mut(&e.device_id) {
                    device.record.platform = Some(e.platform.clone());
                }
            }
            EventData::CredentialAdded(e) => {
                let credential = SealedCredential {
                    credential_id: e.credential_id,
                    username: e.username.clone(),
                    secret: e.secret.clone(),
                    enable_secret: e.enable_secret.clone(),
                };
                self.credentials.insert(e.credential_id, credential);
            }
            EventData::CredentialRotated(e) => {
                if let Some(credential) = self.credentials.get_mut(&e.credential_id) {
                    credential.secret = e.secret.clone();
                    credential.enable_secret = e.enable_secret.clone();
                }
            }
            EventData::HostKeyLearned(e) => self.pin(e.device_id, event),
            EventData::HostKeyAccepted(e) => self.pin(e.device_id, event),
            _ => {}
        }
    }

    fn pin(&mut self, device: DeviceId, event: &EventData) {
        let policy = self.host_keys.remove(&device).unwrap_or(HostKeyPolicy::LearnOnFirstUse);
        self.host_keys.insert(device, host_keys::step(policy, event));
    }

    /// The device, its credential candidates (best first) and host-key policy.
    pub fn target(&self, device_id: DeviceId) -> Result<AttemptTarget, DeviceError> {
        let device = self.devices.get(&device_id).ok_or_else(|| DeviceError::UnknownDevice(device_id.to_string()))?;
        let candidates = self
            .book
            .candidates(device_id, &device.tags)
            .into_iter()
            .filter_map(|id| self.credentials.get(&id).cloned())
            .collect();
        let host_key = self.host_keys.get(&device_id).cloned().unwrap_or(HostKeyPolicy::LearnOnFirstUse);
        Ok(AttemptTarget { device: device.record.clone(), candidates, host_key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::*;

    fn sealed(tag: &str) -> SealedSecret {
        SealedSecret { key_version: 1, nonce: "n".into(), ciphertext: tag.into() }
    }

    #[test]
    fn a_target_follows_the_device_credential_and_host_key_events() {
        let (device_id, credential_id) = (DeviceId::new(), CredentialId::new());
        let mut registry = Registry::default();
        let events: Vec<EventData> = vec![
            DeviceRegistered { device_id, name: "r1".into(), host: "10.0.0.1".into(), port: 22, platform: None, protocol: Protocol::Ssh, tags: vec!["core".into()] }.into(),
            CredentialAdded { credential_id, name: "c".into(), username: "ops".into(), secret: sealed("v1"), enable_secret: None, tags: vec!["core".into()], priority: 0 }.into(),
            DeviceUpdated { device_id, name: None, host: Some("10.0.0.2".into()), port: None, platform: None, protocol: None, tags: None }.into(),
            DevicePlatformDetected { device_id, job_id: JobId::new(), platform: "cisco_ios".into(), software_version: None }.into(),
            CredentialRotated { credential_id, secret: sealed("v2"), enable_secret: None }.into(),
            HostKeyLearned { device_id, algorithm: "ssh-ed25519".into(), fingerprint: "SHA256:a".into() }.into(),
        ];
        events.iter().for_each(|e| registry.apply(e));
        let target = registry.target(device_id).unwrap();
        assert_eq!((target.device.endpoint(), target.device.platform.as_deref()), ("10.0.0.2:22".into(), Some("cisco_ios")));
        assert_eq!(target.candidates.len(), 1);
        assert_eq!(target.candidates[0].secret.ciphertext, "v2", "the rotated secret is used");
        assert_eq!(target.host_key, HostKeyPolicy::Pinned("SHA256:a".into()));

        registry.apply(&CredentialRevoked { credential_id }.into());
        assert!(registry.target(device_id).unwrap().candidates.is_empty(), "a revoked credential is never a candidate");
        registry.apply(&DeviceRemoved { device_id }.into());
        assert_eq!(registry.target(device_id).unwrap_err().code(), "UNKNOWN_DEVICE");
    }
}
