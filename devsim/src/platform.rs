//! The platforms the simulator emulates, named as Netmiko names its device types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DevsimError;

/// A simulated device's operating system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Cisco IOS / IOS-XE: `R1>` user mode, `enable`, `R1#`.
    CiscoIos,
    /// Cisco NX-OS: logs in privileged (`switch#`).
    CiscoNxos,
    /// Cisco IOS-XR: `RP/0/RP0/CPU0:R1#`, commit-based configuration.
    CiscoIosxr,
    /// Cisco ASA: `asa>`, `enable`, `asa#`, `terminal pager 0`.
    CiscoAsa,
    /// Arista EOS: `sw1>`, `enable`, `sw1#`.
    AristaEos,
    /// Juniper Junos: `user@R1>`, `configure`, `commit`.
    JuniperJunos,
    /// A Linux host with bash: `user@host:~$`.
    Linux,
}

impl Platform {
    /// Every platform, in the order `mixed` fleets cycle through them.
    pub const ALL: [Platform; 7] = [
        Platform::CiscoIos,
        Platform::CiscoNxos,
        Platform::CiscoIosxr,
        Platform::CiscoAsa,
        Platform::AristaEos,
        Platform::JuniperJunos,
        Platform::Linux,
    ];

    /// The Netmiko-style name (`cisco_ios`, ...), also used by NetRaven's platform profiles.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::CiscoIos => "cisco_ios",
            Platform::CiscoNxos => "cisco_nxos",
            Platform::CiscoIosxr => "cisco_iosxr",
            Platform::CiscoAsa => "cisco_asa",
            Platform::AristaEos => "arista_eos",
            Platform::JuniperJunos => "juniper_junos",
            Platform::Linux => "linux",
        }
    }

    /// The command that prints the configuration a backup takes.
    pub fn config_command(self) -> &'static str {
        match self {
            Platform::JuniperJunos => "show configuration",
            Platform::Linux => "cat /etc/network/interfaces",
            _ => "show running-config",
        }
    }

    /// Parses a comma-separated list of platform names, or `mixed` for all of them.
    pub fn parse_list(list: &str) -> Result<Vec<Platform>, DevsimError> {
        if list.trim() == "mixed" {
            return Ok(Platform::ALL.to_vec());
        }
        list.split(',').map(|name| name.trim().parse()).collect()
    }
}

impl FromStr for Platform {
    type Err = DevsimError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| DevsimError::UnknownPlatform(s.to_string()))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(p.as_str().parse::<Platform>().ok(), Some(p));
        }
        assert_eq!(Platform::parse_list("mixed").map(|l| l.len()).ok(), Some(7));
        assert!(Platform::parse_list("cisco_ios,foo").is_err());
    }
}
