//! Capturing a device's configuration on a connected session: runs the profile's backup
//! commands, drops the lines that are not configuration, redacts secrets with the built-in and
//! the profile's own patterns, and hashes the content without its volatile lines.

use crate::DeviceError;
use crate::profile::Profile;
use crate::protocol::ProtocolAdapter;
use netraven_redact::SensitiveDataFilter;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A captured configuration, ready to become a `config_captured` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedConfig {
    /// The configuration with secrets redacted.
    pub content: String,
    /// SHA-256 (hex) of the redacted content without volatile lines: equal hashes mean the
    /// configuration did not change.
    pub content_hash: String,
    /// Version of the redaction rules applied.
    pub filter_version: u32,
}

/// The filter for a profile: the built-in rules plus the profile's secret patterns.
pub fn filter_for(profile: &Profile) -> Result<SensitiveDataFilter, DeviceError> {
    SensitiveDataFilter::new()
        .with_extra_patterns(profile.secret_patterns())
        .map_err(|e| DeviceError::Protocol(format!("profile {}: {e}", profile.name())))
}

/// Each profile's filter, compiled on first use and then shared: compiling the rules costs
/// more CPU than a backup of a 64 KiB configuration, and a shared filter keeps its regexes'
/// search caches warm. Profiles are told apart by name (one `ProfileSet` per executor).
#[derive(Default)]
pub struct Filters(Mutex<HashMap<String, Arc<SensitiveDataFilter>>>);

impl Filters {
    /// The filter for `profile` (see [`filter_for`]).
    pub fn get(&self, profile: &Profile) -> Result<Arc<SensitiveDataFilter>, DeviceError> {
        let mut filters = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(filter) = filters.get(profile.name()) {
            return Ok(filter.clone());
        }
        let filter = Arc::new(filter_for(profile)?);
        filters.insert(profile.name().to_string(), filter.clone());
        Ok(filter)
    }
}

/// Runs the profile's backup commands on `session` and returns the redacted configuration.
pub async fn capture(session: &mut dyn ProtocolAdapter, profile: &Profile, filter: &Arc<SensitiveDataFilter>) -> Result<CapturedConfig, DeviceError> {
    let mut raw = String::new();
    for command in &profile.spec().backup.commands {
        raw.push_str(&session.send_command(command).await?);
    }
    let (profile, filter) = (profile.clone(), Arc::clone(filter));
    let (done, result) = tokio::sync::oneshot::channel();
    // One thread per core (rayon's pool), not the blocking pool: dozens of blocking threads
    // would each warm their own lazy-DFA caches of the same regexes, a cost paid again per thread.
    rayon::spawn(move || {
        let _ = done.send(std::panic::catch_unwind(|| process(&raw, &profile, &filter)));
    });
    match result.await {
        Ok(Ok(config)) => Ok(config),
        _ => Err(DeviceError::Protocol("processing the configuration failed: it panicked".into())),
    }
}

/// Cleans, redacts and hashes a raw configuration: CPU work linear in its size (megabytes on
/// large devices), so it runs off the async runtime.
fn process(raw: &str, profile: &Profile, filter: &SensitiveDataFilter) -> CapturedConfig {
    let content = filter.redact_text(&profile.clean_config(raw)).into_owned();
    let content_hash = hex(&Sha256::digest(profile.normalize_for_hash(&content).as_bytes()));
    CapturedConfig { content, content_hash, filter_version: filter.version() }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
