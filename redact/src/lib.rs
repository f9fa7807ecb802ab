//! The sensitive-data filter: redacts passwords, keys, communities, tokens and private keys from
//! device output, configurations and log details before they become events.
//!
//! Redaction keeps which setting was there and hides only its value:
//! `snmp-server community public RO` becomes `snmp-server community <redacted> RO`,
//! `https://user:pw@host/` becomes `https://user:<redacted>@host/`.
//!
//! # Rules and their version
//!
//! The built-in rules live in one table (`rules.rs`); each is a regex whose named group
//! `secret` is the value to replace. The table is versioned by [`RULES_VERSION`], which every
//! filtered result can record ([`SensitiveDataFilter::version`]). The version must change
//! whenever a built-in rule changes: a unit test hashes the table ([`rules_fingerprint`]) and
//! fails unless the hash equals the last row of [`RULES_HISTORY`], which carries the version.
//!
//! Platform profiles add their own patterns with [`SensitiveDataFilter::with_extra_patterns`];
//! those are versioned by the profile that supplies them.
//!
//! # Guarantees
//!
//! Time is linear in the input for the built-in rules: the `regex` crate runs finite automata,
//! and no rule looks ahead past its match further than the end of the line, so iterating over
//! matches never rescans the text (`tests/linear_time.rs`). No input makes the filter panic, and
//! redacting twice gives the same text as redacting once (`tests/properties.rs`).
#![warn(missing_docs)]

/// The literal marker, usable inside `concat!`.
macro_rules! redacted_marker {
    () => {
        "<redacted>"
    };
}

mod compiled;
mod json;
mod rules;

pub use json::is_sensitive_key;
pub use rules::{RULES_HISTORY, RULES_VERSION, rules_fingerprint};

use compiled::CompiledRule;
use regex::RegexSet;
use std::borrow::Cow;
use std::sync::LazyLock;

/// What replaces a secret value (quoted values keep their quotes: `"<redacted>"`).
pub const REDACTED: &str = redacted_marker!();

/// Errors from building a filter.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A pattern is not a valid regex (or its compiled form is too large).
    #[error("invalid secret pattern {pattern:?}: {source}")]
    InvalidPattern {
        /// The pattern as given.
        pattern: String,
        /// Why the regex crate refused it.
        #[source]
        source: regex::Error,
    },
    /// A pattern does not say which part of its match is the secret.
    #[error(
        "secret pattern {pattern:?} has no capture group named `secret`; wrap the value to hide in (?P<secret>...)"
    )]
    MissingSecretGroup {
        /// The pattern as given.
        pattern: String,
    },
}

impl Error {
    /// A stable, machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidPattern { .. } => "redact.invalid_pattern",
            Error::MissingSecretGroup { .. } => "redact.missing_secret_group",
        }
    }
}

/// Result of this crate's fallible operations.
pub type Result<T> = std::result::Result<T, Error>;

/// Redacts secrets from text and JSON (the seed's `SensitiveDataFilter`).
///
/// Build it once and share it (`Arc`): construction compiles every rule.
///
/// ```
/// use netraven_redact::SensitiveDataFilter;
///
/// let filter = SensitiveDataFilter::new();
/// let config = "snmp-server community public RO\nenable secret 5 $1$mERr$hx5rVt7r\n";
/// assert_eq!(
///     filter.redact_text(config),
///     "snmp-server community <redacted> RO\nenable secret 5 <redacted>\n"
/// );
/// let details = serde_json::json!({"device": "r1", "password": "hunter2"});
/// assert_eq!(filter.redact_json(&details), serde_json::json!({"device": "r1", "password": "<redacted>"}));
/// ```
#[derive(Clone, Debug)]
pub struct SensitiveDataFilter {
    rules: Vec<CompiledRule>,
    /// Every rule's pattern in one automaton: one pass over a text says which rules match it
    /// at all, so a 20 MB configuration is not scanned once per rule.
    any: RegexSet,
}

/// The lines around every marker in `text`, one line either side: the only places where a
/// replacement can have made another rule match.
fn around_markers(text: &str) -> String {
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i);
    let mut out = String::new();
    let mut copied_to = 0;
    for (at, _) in text.match_indices(REDACTED) {
        let start = line_start(line_start(at).saturating_sub(1)).max(copied_to);
        let end = line_end((line_end(at) + 1).min(text.len()));
        if start < end {
            out.push_str(&text[start..end]);
            out.push('\n');
            copied_to = end;
        }
    }
    out
}

/// The built-in filter, compiled on first use.
static BUILT_IN: LazyLock<SensitiveDataFilter> = LazyLock::new(|| {
    let rules = rules::BUILTIN_RULES
        .iter()
        .map(|spec| {
            CompiledRule::new(spec.name.to_string(), spec.pattern, spec.keep_if)
                .expect("built-in redaction rules compile (checked by unit tests)")
        })
        .collect::<Vec<_>>();
    let any = set_of(&rules).expect("built-in redaction rules compile as a set (checked by unit tests)");
    SensitiveDataFilter { rules, any }
});

/// The set of `rules`' patterns.
fn set_of(rules: &[CompiledRule]) -> Result<RegexSet> {
    RegexSet::new(rules.iter().map(CompiledRule::pattern)).map_err(|source| Error::InvalidPattern { pattern: "(all rules as one set)".into(), source })
}

impl SensitiveDataFilter {
    /// A filter with the built-in rules of [`RULES_VERSION`]. They are compiled once per
    /// process (about 20 ms); every filter shares the compiled programs.
    pub fn new() -> Self {
        BUILT_IN.clone()
    }

    /// This filter plus extra secret patterns (for instance from a platform profile), applied
    /// after the built-in rules.
    ///
    /// Each pattern is a regex with a named group `secret`: only that group is replaced, e.g.
    /// `(?m)^\s*api-token (?P<secret>\S+)`. A quoted value (`"..."` or `'...'`) keeps its quotes.
    /// Fails on the first invalid pattern or pattern without a `secret` group.
    pub fn with_extra_patterns<I, S>(mut self, patterns: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for pattern in patterns {
            let name = format!("extra[{}]", self.extra_pattern_count());
            self.rules.push(CompiledRule::new(name, pattern.as_ref(), None)?);
        }
        self.any = set_of(&self.rules)?;
        Ok(self)
    }

    /// Version of the built-in rules this filter applies ([`RULES_VERSION`]); record it next to
    /// every filtered result.
    pub fn version(&self) -> u32 {
        RULES_VERSION
    }

    /// Names of the rules in the order they run (built-in names, then `extra[N]`).
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|rule| rule.name.as_str())
    }

    /// `text` with every secret value replaced by [`REDACTED`]. Borrows `text` when it holds
    /// nothing to redact.
    ///
    /// One pass of the rule set finds the rules that match; those run in order. When they
    /// changed the text, the set looks again around each marker (the line before, the line,
    /// the line after), and a rule that matches there only now (its match needed an earlier
    /// replacement) runs too, so each rule gets the chance it had when every rule ran in turn
    /// over the whole text.
    pub fn redact_text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut current = Cow::Borrowed(text);
        let mut applied = vec![false; self.rules.len()];
        let mut candidates = self.any.matches(text);
        loop {
            let mut changed = false;
            for index in candidates.iter().filter(|i| !applied[*i]).collect::<Vec<_>>() {
                applied[index] = true;
                if let Cow::Owned(next) = self.rules[index].apply(&current) {
                    current = Cow::Owned(next);
                    changed = true;
                }
            }
            if !changed {
                return current;
            }
            candidates = self.any.matches(&around_markers(&current));
            if candidates.iter().all(|i| applied[i]) {
                return current;
            }
        }
    }

    fn extra_pattern_count(&self) -> usize {
        self.rules.len() - rules::BUILTIN_RULES.len()
    }
}

impl Default for SensitiveDataFilter {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_compiles_every_built_in_rule() {
        let filter = SensitiveDataFilter::new();
        assert_eq!(filter.rule_names().count(), rules::BUILTIN_RULES.len());
        assert_eq!(filter.version(), RULES_VERSION);
    }

    #[test]
    fn clean_text_is_borrowed() {
        let filter = SensitiveDataFilter::new();
        let text = "interface GigabitEthernet0/1\n description uplink\n ip address 10.0.0.1 255.255.255.0\n";
        assert!(matches!(filter.redact_text(text), Cow::Borrowed(_)));
    }

    #[test]
    fn extra_patterns_run_after_the_built_ins() {
        let filter = SensitiveDataFilter::new()
            .with_extra_patterns([r"(?m)^\s*api-token (?P<secret>\S+)"])
            .expect("valid pattern");
        assert_eq!(filter.redact_text("api-token abc123\n"), "api-token <redacted>\n");
        assert_eq!(filter.rule_names().last(), Some("extra[0]"));
    }

    #[test]
    fn extra_pattern_errors_are_clear() {
        let err = SensitiveDataFilter::new().with_extra_patterns(["api-token (\\S+)"]).unwrap_err();
        assert_eq!(err.code(), "redact.missing_secret_group");
        assert!(err.to_string().contains("(?P<secret>...)"), "{err}");

        let err = SensitiveDataFilter::new().with_extra_patterns(["api-token (?P<secret>"]).unwrap_err();
        assert_eq!(err.code(), "redact.invalid_pattern");
        assert!(err.to_string().starts_with("invalid secret pattern \"api-token (?P<secret>\""), "{err}");
    }

    #[test]
    fn a_rule_that_matches_only_after_a_replacement_still_runs() {
        let filter = SensitiveDataFilter::new()
            .with_extra_patterns([r"(?m)^apitok (?P<secret>\S+)", r"(?m)^apitok <redacted> then (?P<secret>\S+)"])
            .expect("valid patterns");
        let text = "intro\napitok hunter2 then s3cret\noutro\n";
        assert_eq!(filter.redact_text(text), "intro\napitok <redacted> then <redacted>\noutro\n");
    }

    #[test]
    fn the_lines_around_markers_are_one_either_side() {
        let text = format!("a\nb\nc {REDACTED}\nd\ne\nf\ng {REDACTED}\nh");
        assert_eq!(around_markers(&text), format!("b\nc {REDACTED}\nd\nf\ng {REDACTED}\nh\n"));
        assert_eq!(around_markers(REDACTED), format!("{REDACTED}\n"));
        assert_eq!(around_markers("nothing here"), "");
    }

    #[test]
    fn filter_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SensitiveDataFilter>();
    }
}
