//! Unified diffs between configuration versions, optionally without volatile lines.
//!
//! The platform profiles' own volatile patterns live with the device-agent (they decided the
//! content hash at capture); here a small list covers the lines that change on every capture
//! of the shipped platforms, for display only.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// Line prefixes (after leading blanks) treated as volatile when `hide_volatile` is asked.
pub const VOLATILE_PREFIXES: &[&str] = &[
    "! Last configuration change at",
    "! NVRAM config last updated at",
    "! No configuration change since last restart",
    "! Time:",
    "## Last commit:",
    "## Last changed:",
    "ntp clock-period",
];

/// Whether `line` is volatile.
pub fn is_volatile(line: &str) -> bool {
    let line = line.trim_start();
    VOLATILE_PREFIXES.iter().any(|p| line.starts_with(p))
}

/// A diff between two versions of a device's configuration.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ConfigDiff {
    /// The device.
    pub device_id: String,
    /// The older version.
    pub from: i64,
    /// The newer version.
    pub to: i64,
    /// Whether volatile lines were left out of both sides.
    pub hide_volatile: bool,
    /// Lines only in `to`.
    pub lines_added: usize,
    /// Lines only in `from`.
    pub lines_removed: usize,
    /// The unified diff (empty when the versions are equal).
    pub unified: String,
}

/// The unified diff of `old` → `new` with `context` lines around each change.
pub fn unified(old: &str, new: &str, labels: (&str, &str), hide_volatile: bool, context: usize) -> (String, usize, usize) {
    let keep = |text: &str| -> String {
        if !hide_volatile {
            return text.to_string();
        }
        text.split_inclusive('\n').filter(|l| !is_volatile(l)).collect()
    };
    let (old, new) = (keep(old), keep(new));
    let diff = TextDiff::from_lines(&old, &new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let text = diff.unified_diff().context_radius(context).header(labels.0, labels.1).to_string();
    (text, added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_lines_are_hidden_only_when_asked() {
        let old = "hostname r1\n! Last configuration change at 10:00\ninterface Gi0/1\n";
        let new = "hostname r1\n! Last configuration change at 11:00\ninterface Gi0/2\n";
        let (all, added, removed) = unified(old, new, ("v1", "v2"), false, 3);
        assert_eq!((added, removed), (2, 2));
        assert!(all.contains("-! Last configuration change at 10:00"));
        let (quiet, added, removed) = unified(old, new, ("v1", "v2"), true, 3);
        assert_eq!((added, removed), (1, 1));
        assert!(!quiet.contains("Last configuration change"));
        assert!(quiet.starts_with("--- v1\n+++ v2\n"));
        assert!(quiet.contains("+interface Gi0/2"));
    }
}
