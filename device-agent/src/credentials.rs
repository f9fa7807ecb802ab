//! Credential choice (the seed's `CredentialManager` selection): candidates for a device are
//! the live credentials whose tags match it, ordered by success on that device, then priority,
//! then overall success; every recorded attempt updates the ranking. Secrets stay sealed here.

use netraven_events::EventData;
use netraven_events::catalog::{AttemptOutcome, CredentialId, DeviceId};
use std::collections::{HashMap, HashSet};

/// What is known about one credential, folded from its events.
#[derive(Clone, Debug, Default)]
struct Record {
    tags: Vec<String>,
    priority: i32,
    revoked: bool,
    successes: u32,
    failures: u32,
    worked_on: HashSet<DeviceId>,
    failed_on: HashSet<DeviceId>,
}

/// Every credential's metadata and attempt history.
#[derive(Clone, Debug, Default)]
pub struct CredentialBook {
    records: HashMap<CredentialId, Record>,
}

impl CredentialBook {
    /// Applies one event (others are ignored).
    pub fn apply(&mut self, event: &EventData) {
        match event {
            EventData::CredentialAdded(e) => {
                let record = self.records.entry(e.credential_id).or_default();
                record.tags = e.tags.clone();
                record.priority = e.priority;
            }
            EventData::CredentialRevoked(e) => self.records.entry(e.credential_id).or_default().revoked = true,
            EventData::CredentialAttempted(e) => {
                let record = self.records.entry(e.credential_id).or_default();
                match e.outcome {
                    AttemptOutcome::Success => {
                        record.successes += 1;
                        record.worked_on.insert(e.device_id);
                        record.failed_on.remove(&e.device_id);
                    }
                    AttemptOutcome::AuthenticationFailed => {
                        record.failures += 1;
                        record.worked_on.remove(&e.device_id);
                        record.failed_on.insert(e.device_id);
                    }
                    AttemptOutcome::Error => {}
                }
            }
            _ => {}
        }
    }

    /// The credentials to try on `device` (with `device_tags`), best first.
    pub fn candidates(&self, device: DeviceId, device_tags: &[String]) -> Vec<CredentialId> {
        let mut live: Vec<(&CredentialId, &Record)> = self
            .records
            .iter()
            .filter(|(_, r)| !r.revoked && (r.tags.is_empty() || r.tags.iter().any(|t| device_tags.contains(t))))
            .collect();
        live.sort_by(|(a_id, a), (b_id, b)| {
            let rank = |r: &Record| (!r.worked_on.contains(&device), r.failed_on.contains(&device), r.priority);
            let ratio = |r: &Record| f64::from(r.successes + 1) / f64::from(r.successes + r.failures + 2);
            rank(a)
                .cmp(&rank(b))
                .then(ratio(b).total_cmp(&ratio(a)))
                .then(a_id.cmp(b_id))
        });
        live.into_iter().map(|(id, _)| *id).collect()
    }
}

#[cfg(test)]
mod tests;
