//! Generated device configurations: realistic, deterministic from the device seed, of any size
//! from a few KB to tens of MB, with secrets to redact and volatile header lines.
//!
//! A configuration is a small *head* (time stamps, sizes: the volatile part) followed by a
//! *body* that depends only on the seed, host name, size and revision, so devices can cache it.

mod cisco;
mod eos_asa;
mod junos_linux;
mod nxos;
pub(crate) use junos_linux::linux_name;
pub(crate) mod model;

use serde::{Deserialize, Serialize};

use crate::error::{DevsimError, Result};
use crate::platform::Platform;
use model::{Iface, Model};

/// Appends one formatted line to a `String`.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}
pub(crate) use put;

/// Everything a configuration is generated from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigParams {
    /// The device's platform (decides the syntax).
    pub platform: Platform,
    /// The host name written into the configuration.
    pub hostname: String,
    /// The login user, which also appears as a configured user.
    pub username: String,
    /// The device seed.
    pub seed: u64,
    /// Approximate size of the body in bytes (at least enough for a handful of interfaces).
    pub size: usize,
    /// Configuration revision: each `change_config` adds one and changes one line.
    pub revision: u64,
    /// Unix time of the last configuration change (printed in volatile header lines).
    pub changed_at: i64,
    /// Unix time the configuration is shown at (printed in volatile header lines).
    pub now: i64,
}

/// What the configuration styles see.
pub(crate) struct Ctx<'a> {
    /// The parameters.
    pub p: &'a ConfigParams,
    /// The seeded data.
    pub m: Model,
}

/// One platform's configuration syntax.
pub(crate) struct Style {
    /// The volatile head, given the finished body.
    pub head: fn(&Ctx, &str) -> String,
    /// Global statements before the interfaces.
    pub header: fn(&Ctx, &mut String),
    /// One interface.
    pub interface: fn(&Ctx, &Iface, &mut String),
    /// Global statements after the interfaces, up to the end marker.
    pub trailer: fn(&Ctx, &mut String),
}

/// Fewest interfaces any configuration has (all the change slots exist).
const MIN_INTERFACES: usize = model::CHANGE_SLOTS;

fn style(platform: Platform) -> &'static Style {
    match platform {
        Platform::CiscoIos => &cisco::IOS,
        Platform::CiscoNxos => &nxos::NXOS,
        Platform::CiscoIosxr => &cisco::IOSXR,
        Platform::CiscoAsa => &eos_asa::ASA,
        Platform::AristaEos => &eos_asa::EOS,
        Platform::JuniperJunos => &junos_linux::JUNOS,
        Platform::Linux => &junos_linux::LINUX,
    }
}

/// The complete configuration text, exactly as the device prints it (with `\n` line endings;
/// the device sends `\r\n`).
pub fn generate(params: &ConfigParams) -> String {
    let body = body(params);
    let mut text = head(params, &body);
    text.push_str(&body);
    text
}

/// The cacheable part: depends on everything but the time stamps.
pub(crate) fn body(params: &ConfigParams) -> String {
    let ctx = Ctx {
        p: params,
        m: Model::new(params.seed, params.revision),
    };
    let style = style(params.platform);
    let mut trailer = String::new();
    (style.trailer)(&ctx, &mut trailer);
    let mut out = String::with_capacity(params.size + trailer.len() + 4096);
    (style.header)(&ctx, &mut out);
    let mut index = 0;
    while index < MIN_INTERFACES || out.len() + trailer.len() < params.size {
        (style.interface)(&ctx, &ctx.m.iface(index), &mut out);
        index += 1;
    }
    out.push_str(&trailer);
    out
}

/// The volatile head for a body.
pub(crate) fn head(params: &ConfigParams, body: &str) -> String {
    let ctx = Ctx {
        p: params,
        m: Model::new(params.seed, params.revision),
    };
    (style(params.platform).head)(&ctx, body)
}

/// Reads a size such as `4096`, `64k` or `20m` (powers of 1024).
pub fn parse_size(text: &str) -> Result<usize> {
    let t = text.trim().to_ascii_lowercase();
    let (digits, unit) = match t.strip_suffix(['k', 'm']) {
        Some(d) if t.ends_with('k') => (d, 1024),
        Some(d) => (d, 1024 * 1024),
        None => (t.as_str(), 1),
    };
    digits
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| DevsimError::InvalidSize(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(platform: Platform, size: usize) -> ConfigParams {
        ConfigParams {
            platform,
            hostname: "R1".into(),
            username: "netraven".into(),
            seed: 42,
            size,
            revision: 0,
            changed_at: 1_709_547_322,
            now: 1_709_550_000,
        }
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64k").ok(), Some(65_536));
        assert_eq!(parse_size("20M").ok(), Some(20 * 1024 * 1024));
        assert_eq!(parse_size("512").ok(), Some(512));
        assert!(parse_size("12q").is_err());
    }

    #[test]
    fn every_platform_is_deterministic_sized_and_has_secrets() {
        for platform in Platform::ALL {
            let p = params(platform, 64 * 1024);
            let a = generate(&p);
            assert_eq!(a, generate(&p), "{platform}");
            assert!(
                a.len() >= 64 * 1024 && a.len() < 70 * 1024,
                "{platform}: {}",
                a.len()
            );
            if platform != Platform::Linux {
                assert!(a.contains("R1"), "{platform}");
                assert!(a.to_lowercase().contains("community"), "{platform}");
                assert!(a.contains("description"), "{platform}");
            }
        }
    }

    #[test]
    fn a_revision_changes_the_body_and_time_changes_only_the_head() {
        for platform in Platform::ALL {
            let p = params(platform, 8 * 1024);
            let changed = ConfigParams {
                revision: 1,
                ..p.clone()
            };
            assert_ne!(body(&p), body(&changed), "{platform}");
            let later = ConfigParams {
                now: p.now + 60,
                ..p.clone()
            };
            assert_eq!(body(&p), body(&later), "{platform}");
        }
    }
}
