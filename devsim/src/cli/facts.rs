//! What a device knows about itself when it prints `show version`, a banner or a file.

use crate::clock::Uptime;
use crate::rng::{ALNUM, Rng};

/// A snapshot of one device's identity and clock.
pub(crate) struct Facts {
    /// Current host name.
    pub hostname: String,
    /// The logged-in user.
    pub username: String,
    /// The device seed (serial numbers, MAC addresses).
    pub seed: u64,
    /// Unix time the device "booted".
    pub boot: i64,
    /// Unix time now.
    pub now: i64,
}

impl Facts {
    /// Time since boot.
    pub(crate) fn uptime(&self) -> Uptime {
        Uptime::new(self.now - self.boot)
    }

    /// A serial number: `prefix` then upper-case letters and digits.
    pub(crate) fn serial(&self, prefix: &str, len: usize) -> String {
        let tail = Rng::new(self.seed, &[10]).string(ALNUM, len).to_uppercase();
        format!("{prefix}{tail}")
    }

    /// The base MAC address (locally administered), as bytes.
    pub(crate) fn mac(&self) -> [u8; 6] {
        let r = Rng::new(self.seed, &[11]).next_u64().to_be_bytes();
        [0x02, r[0], r[1], r[2], r[3], r[4]]
    }

    /// The base MAC address in Cisco notation, `5000.000a.0001`.
    pub(crate) fn mac_cisco(&self) -> String {
        let m = self.mac();
        format!(
            "{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }

    /// The base MAC address in colon notation, `02:5a:...`.
    pub(crate) fn mac_colons(&self) -> String {
        self.mac()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }
}
