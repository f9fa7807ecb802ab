//! One simulated device's shared state (credentials, host name, configuration revision,
//! faults, host key) and the handle tests use to change it at run time.

use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use russh::keys::PublicKey;
use tokio::sync::{Mutex, watch};

use crate::cli::facts::Facts;
use crate::cli::platforms::{Spec, spec};
use crate::clock::unix_now;
use crate::config_gen::{self, ConfigParams};
use crate::faults::{Faults, OutputFaults};
use crate::hostkey::HostKey;
use crate::platform::Platform;

/// Fixed facts of a device, from its `DeviceSpec`.
pub(crate) struct Identity {
    /// Position in the fleet.
    pub index: usize,
    /// The fleet seed (host keys).
    pub fleet_seed: u64,
    /// The device seed (configuration, serial numbers).
    pub seed: u64,
    /// Platform.
    pub platform: Platform,
    /// Login user.
    pub username: String,
    /// Login password.
    pub password: String,
    /// Enable secret.
    pub enable_secret: String,
    /// A public key accepted for the login user.
    pub authorized_key: Option<PublicKey>,
    /// Configuration body size in bytes.
    pub config_size: usize,
    /// Delay before an authentication rejection.
    pub auth_delay: Duration,
}

/// The generated configuration body of one (revision, host name).
struct CachedBody {
    revision: u64,
    hostname: String,
    body: Arc<String>,
}

/// State shared by a device's listeners and sessions.
pub(crate) struct DeviceState {
    /// Fixed facts.
    pub id: Identity,
    /// The platform table.
    pub spec: &'static Spec,
    /// Unix time the device "booted".
    pub boot: i64,
    hostname: RwLock<String>,
    revision: AtomicU64,
    changed_at: AtomicI64,
    faults: watch::Sender<Faults>,
    host_key: RwLock<HostKey>,
    body: Mutex<Option<CachedBody>>,
    connections: AtomicUsize,
    outputs: AtomicU64,
}

impl DeviceState {
    /// A device that booted some seeded number of days ago.
    pub(crate) fn new(id: Identity, hostname: String, faults: Faults) -> Self {
        let spec = spec(id.platform);
        let now = unix_now();
        let boot = now - 86_400 - (id.seed % (400 * 86_400)) as i64;
        let host_key = HostKey::new(id.fleet_seed, id.index, 0, spec.ssh_id, id.auth_delay);
        DeviceState {
            spec,
            boot,
            hostname: RwLock::new(hostname),
            revision: AtomicU64::new(0),
            changed_at: AtomicI64::new(now),
            faults: watch::Sender::new(faults),
            host_key: RwLock::new(host_key),
            body: Mutex::new(None),
            connections: AtomicUsize::new(0),
            outputs: AtomicU64::new(0),
            id,
        }
    }

    /// Current host name.
    pub(crate) fn hostname(&self) -> String {
        self.hostname
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Changes the host name (the prompt and the configuration follow).
    pub(crate) fn set_hostname(&self, name: &str) {
        *self
            .hostname
            .write()
            .unwrap_or_else(PoisonError::into_inner) = name.to_string();
    }

    /// What `show version` and friends print about the device now.
    pub(crate) fn facts(&self, username: &str) -> Facts {
        Facts {
            hostname: self.hostname(),
            username: username.to_string(),
            seed: self.id.seed,
            boot: self.boot,
            now: unix_now(),
        }
    }

    /// The generator parameters of the configuration as shown now.
    pub(crate) fn config_params(&self) -> ConfigParams {
        ConfigParams {
            platform: self.id.platform,
            hostname: self.hostname(),
            username: self.id.username.clone(),
            seed: self.id.seed,
            size: self.id.config_size,
            revision: self.revision.load(Ordering::SeqCst),
            changed_at: self.changed_at.load(Ordering::SeqCst),
            now: unix_now(),
        }
    }

    /// The configuration as the device prints it now: the volatile head and the (cached)
    /// body. Generation runs on the blocking pool.
    pub(crate) async fn config_text(&self) -> (String, Arc<String>) {
        let params = self.config_params();
        let mut cache = self.body.lock().await;
        let body = match cache.as_ref() {
            Some(c) if c.revision == params.revision && c.hostname == params.hostname => {
                c.body.clone()
            }
            _ => {
                let p = params.clone();
                let body = match tokio::task::spawn_blocking(move || config_gen::body(&p)).await {
                    Ok(body) => Arc::new(body),
                    Err(_) => Arc::new(String::new()),
                };
                *cache = Some(CachedBody {
                    revision: params.revision,
                    hostname: params.hostname.clone(),
                    body: body.clone(),
                });
                body
            }
        };
        drop(cache);
        (config_gen::head(&params, &body), body)
    }

    /// Makes the next configuration differ from the current one.
    pub(crate) fn change_config(&self) -> u64 {
        self.changed_at.store(unix_now(), Ordering::SeqCst);
        self.revision.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Checks a login; an `auth_failures` fault rejects it and counts down.
    pub(crate) fn check_login(&self, user: &str, password: &str) -> bool {
        !self.auth_fault() && user == self.id.username && password == self.id.password
    }

    /// Checks a public key login.
    pub(crate) fn check_key(&self, user: &str, key: &PublicKey) -> bool {
        let known = self
            .id
            .authorized_key
            .as_ref()
            .is_some_and(|k| k.key_data() == key.key_data());
        known && user == self.id.username && !self.auth_fault()
    }

    /// Whether a public key could log in (no attempt is counted).
    pub(crate) fn knows_key(&self, key: &PublicKey) -> bool {
        self.id
            .authorized_key
            .as_ref()
            .is_some_and(|k| k.key_data() == key.key_data())
    }

    /// Consumes one injected authentication failure, if any are left.
    fn auth_fault(&self) -> bool {
        self.faults.send_if_modified(|f| {
            let failed = f.auth_failures > 0;
            f.auth_failures = f.auth_failures.saturating_sub(1);
            failed
        })
    }

    /// Current faults.
    pub(crate) fn faults(&self) -> Faults {
        self.faults.borrow().clone()
    }

    /// Replaces the faults.
    pub(crate) fn set_faults(&self, faults: Faults) {
        self.faults.send_replace(faults);
    }

    /// Watches fault changes (the listener reacts to `refuse`).
    pub(crate) fn watch_faults(&self) -> watch::Receiver<Faults> {
        self.faults.subscribe()
    }

    /// Fault state for one command's output.
    pub(crate) fn output_faults(&self) -> OutputFaults {
        let n = self.outputs.fetch_add(1, Ordering::Relaxed);
        OutputFaults::new(self.faults(), self.id.seed ^ n)
    }

    /// The SSH server configuration for a new connection.
    pub(crate) fn ssh_config(&self) -> Arc<russh::server::Config> {
        self.host_key
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .config
            .clone()
    }

    /// Current host key fingerprint.
    pub(crate) fn fingerprint(&self) -> String {
        self.host_key
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .fingerprint
            .clone()
    }

    /// Switches to the next host key; returns its fingerprint.
    pub(crate) fn rotate_host_key(&self) -> String {
        let mut key = self
            .host_key
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *key = HostKey::new(
            self.id.fleet_seed,
            self.id.index,
            key.generation + 1,
            self.spec.ssh_id,
            self.id.auth_delay,
        );
        key.fingerprint.clone()
    }

    /// Open connections.
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Counts a connection for as long as the guard lives.
    pub(crate) fn connection(self: &Arc<Self>) -> ConnectionGuard {
        self.connections.fetch_add(1, Ordering::SeqCst);
        ConnectionGuard(self.clone())
    }
}

/// Counts one open connection; dropping it uncounts it.
pub(crate) struct ConnectionGuard(Arc<DeviceState>);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::SeqCst);
    }
}
