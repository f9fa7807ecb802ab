//! The public face of one running device: what clients need to connect to it, and the
//! controls that change its behaviour at run time.

use std::sync::Arc;

use serde::Serialize;

use crate::config_gen::{self, ConfigParams};
use crate::device::DeviceState;
use crate::faults::Faults;
use crate::platform::Platform;

/// How to reach and log in to a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    /// Device name (also its initial host name).
    pub name: String,
    /// Platform.
    pub platform: Platform,
    /// SSH port on 127.0.0.1, if the device listens for SSH.
    pub ssh_port: Option<u16>,
    /// Telnet port on 127.0.0.1, if the device listens for Telnet.
    pub telnet_port: Option<u16>,
    /// Host key fingerprint, `SHA256:...` as OpenSSH prints it.
    pub host_key_fingerprint: String,
    /// Login user.
    pub username: String,
    /// Login password.
    pub password: String,
    /// Enable secret.
    pub enable_secret: String,
}

/// Controls one running device. Cheap to clone.
#[derive(Clone)]
pub struct DeviceHandle {
    pub(crate) state: Arc<DeviceState>,
    pub(crate) ssh_port: Option<u16>,
    pub(crate) telnet_port: Option<u16>,
    pub(crate) name: String,
}

impl DeviceHandle {
    /// Connection details as they are now (the fingerprint follows key rotations).
    pub fn info(&self) -> DeviceInfo {
        let id = &self.state.id;
        DeviceInfo {
            name: self.name.clone(),
            platform: id.platform,
            ssh_port: self.ssh_port,
            telnet_port: self.telnet_port,
            host_key_fingerprint: self.state.fingerprint(),
            username: id.username.clone(),
            password: id.password.clone(),
            enable_secret: id.enable_secret.clone(),
        }
    }

    /// Current faults (`auth_failures` counts down as logins fail).
    pub fn faults(&self) -> Faults {
        self.state.faults()
    }

    /// Replaces the faults. Output faults apply from the next command; `refuse` at once.
    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    /// Changes one configuration line (and the last-change time stamp) so the next backup
    /// differs. Returns the new configuration revision.
    pub fn change_config(&self) -> u64 {
        self.state.change_config()
    }

    /// Switches to the next host key, as after a device replacement. New connections see it;
    /// returns its fingerprint.
    pub fn rotate_host_key(&self) -> String {
        self.state.rotate_host_key()
    }

    /// Current host key fingerprint.
    pub fn host_key_fingerprint(&self) -> String {
        self.state.fingerprint()
    }

    /// Current host name (changed by `hostname X` in configuration mode).
    pub fn hostname(&self) -> String {
        self.state.hostname()
    }

    /// The generator parameters of the configuration as the device would print it now;
    /// [`config_gen::generate`] with them gives the exact text.
    pub fn config_params(&self) -> ConfigParams {
        self.state.config_params()
    }

    /// The configuration exactly as the device would print it now (with `\n` line endings).
    /// Generates the whole text on the calling thread: from async code with large sizes, call
    /// it through `tokio::task::spawn_blocking`.
    pub fn running_config(&self) -> String {
        config_gen::generate(&self.config_params())
    }

    /// Open connections (SSH and Telnet), to check that clients do not leak them.
    pub fn connections(&self) -> usize {
        self.state.connections()
    }
}
