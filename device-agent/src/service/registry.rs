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
