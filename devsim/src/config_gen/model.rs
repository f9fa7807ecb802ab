//! The device data every configuration style renders: interfaces with descriptions and
//! addresses, fake secrets and community strings, all derived from the device seed.

use crate::rng::{ALNUM, CRYPT, Rng};

/// Physical ports per device; interfaces past these are sub-interfaces (VLANs) on them.
pub(crate) const PORTS: usize = 48;

/// Interfaces the change counter cycles through (`change_config` rewrites one of them).
pub(crate) const CHANGE_SLOTS: usize = 8;

/// One interface.
pub(crate) struct Iface {
    /// Position in the configuration.
    pub index: usize,
    /// Physical port number (0-based).
    pub port: usize,
    /// Sub-interface / VLAN number for interfaces past the physical ports.
    pub sub: Option<usize>,
    /// Free text.
    pub description: String,
    /// IPv4 address (a /30 per interface).
    pub ip: [u8; 4],
    /// Administratively down.
    pub shutdown: bool,
}

impl Iface {
    /// Dotted address, for example `10.0.0.1`.
    pub(crate) fn addr(&self) -> String {
        let [a, b, c, d] = self.ip;
        format!("{a}.{b}.{c}.{d}")
    }

    /// The peer's address on the /30.
    pub(crate) fn peer(&self) -> String {
        let [a, b, c, d] = self.ip;
        format!("{a}.{b}.{c}.{}", d + 1)
    }
}

/// The netmask of every interface's /30.
pub(crate) const MASK: &str = "255.255.255.252";

const PEERS: &[&str] = &[
    "core-sw1",
    "core-sw2",
    "dist-rtr3",
    "edge-fw1",
    "pe-ams2",
    "pe-fra1",
    "agg-sw7",
    "wan-rtr2",
];
const CUSTOMERS: &[&str] = &[
    "ACME Corp",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Ind",
    "Wayne Ent",
    "Tyrell",
];
const CARRIERS: &[&str] = &["Lumen", "Zayo", "Cogent", "Telia", "GTT", "NTT"];

/// The seeded source of a device's configuration data.
pub(crate) struct Model {
    seed: u64,
    revision: u64,
}

impl Model {
    /// The model for a device seed at a configuration revision.
    pub(crate) fn new(seed: u64, revision: u64) -> Self {
        Model { seed, revision }
    }

    /// The `index`-th interface. Revision `r` > 0 rewrites the description of interface
    /// `r % CHANGE_SLOTS`, so each `change_config` changes the next backup.
    pub(crate) fn iface(&self, index: usize) -> Iface {
        let changed = self.revision > 0 && index == (self.revision % CHANGE_SLOTS as u64) as usize;
        let mut rng = Rng::new(
            self.seed,
            &[1, index as u64, if changed { self.revision } else { 0 }],
        );
        let description = match rng.below(4) {
            0 => format!("Uplink to {} Gi1/0/{}", rng.pick(PEERS), rng.below(48) + 1),
            1 => format!(
                "Customer {} circuit CID-{}",
                rng.pick(CUSTOMERS),
                10_000 + rng.below(90_000)
            ),
            2 => format!(
                "Transit {} CID {}-{}",
                rng.pick(CARRIERS),
                rng.string(b"ABCDEFGHKLMNPRSTX", 3),
                rng.below(1_000_000)
            ),
            _ => format!(
                "Server rack {} host {} bond member",
                rng.below(40) + 1,
                rng.string(ALNUM, 6).to_lowercase()
            ),
        };
        let n = index as u32;
        Iface {
            index,
            port: index % PORTS,
            sub: (index >= PORTS).then(|| 100 + index / PORTS),
            description,
            ip: [
                10,
                (n >> 14) as u8,
                (n >> 6) as u8,
                ((n & 63) * 4 + 1) as u8,
            ],
            shutdown: rng.below(10) == 0,
        }
    }

    /// A fake crypt(3)-style hash body of `len` characters, distinct per `label`.
    pub(crate) fn hash(&self, label: u64, len: usize) -> String {
        Rng::new(self.seed, &[2, label]).string(CRYPT, len)
    }

    /// A community string or shared key, distinct per `label`.
    pub(crate) fn word(&self, label: u64, len: usize) -> String {
        Rng::new(self.seed, &[3, label]).string(ALNUM, len)
    }

    /// Hex digits, distinct per `label`.
    pub(crate) fn hex(&self, label: u64, len: usize) -> String {
        Rng::new(self.seed, &[4, label, self.revision]).string(b"0123456789abcdef", len)
    }

    /// A small number in `0..n`, distinct per `label`.
    pub(crate) fn number(&self, label: u64, n: u64) -> u64 {
        Rng::new(self.seed, &[5, label]).below(n)
    }
}
