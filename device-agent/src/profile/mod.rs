//! Platform profiles: what the agent knows about a kind of device (prompts, paging, privilege
//! escalation, configuration mode, error indicators, backup commands, volatile lines, secret
//! patterns, autodetection), kept as data in TOML files rather than code.
//!
//! The shipped profiles (`device-agent/profiles/*.toml`) are embedded in the binary; a user
//! folder can add profiles or replace shipped ones by name ([`ProfileSet::load`]). The format
//! is described field by field in `docs/profiles.md` and on [`ProfileSpec`].
//!
//! ```
//! use netraven_device_agent::profile::{ProfileSet, PromptKind};
//!
//! let profiles = ProfileSet::builtin();
//! let ios = profiles.get("cisco_ios").expect("shipped");
//! assert_eq!(ios.match_prompt("show clock\r\n*10:00:00 UTC\r\nR1(config-router)#"), Some(PromptKind::Config));
//! assert_eq!(ios.spec().paging.disable_commands[0], "terminal length 0");
//!
//! let found = profiles.detect("Cisco IOS XR Software, Version 7.9.2 LNT").expect("detected");
//! assert_eq!((found.profile.as_str(), found.version.as_deref()), ("cisco_iosxr", Some("7.9.2")));
//! ```

mod compiled;
mod detect;
mod error;
mod patterns;
mod set;
mod spec;

pub use compiled::{Profile, ProfileSource, PromptKind, PromptMatch};
pub use detect::Detection;
pub use error::{ProfileError, Result};
pub use set::ProfileSet;
pub use spec::{
    BackupSpec, ConfigModeSpec, DetectSpec, PagingSpec, PrivilegeSpec, ProfileSpec, PromptSpec, Protocol, SessionKind,
};
