//! A redaction rule ready to run: its compiled regex, its keep-if exception, and the code that
//! replaces only the `secret` group of each match.

use crate::{Error, REDACTED, Result};
use regex::Regex;
use std::borrow::Cow;

/// The marker for a secret that was written between double quotes; the quotes are kept.
const REDACTED_DOUBLE_QUOTED: &str = concat!("\"", redacted_marker!(), "\"");
/// The marker for a secret that was written between single quotes; the quotes are kept.
const REDACTED_SINGLE_QUOTED: &str = concat!("'", redacted_marker!(), "'");

/// One rule, compiled.
#[derive(Clone, Debug)]
pub(crate) struct CompiledRule {
    /// Rule name (built-in name, or `extra[N]` for a pattern added by a platform profile).
    pub name: String,
    regex: Regex,
    keep_if: Option<Regex>,
}

impl CompiledRule {
    /// Compiles a pattern, checking that it names the value to hide with a `secret` group.
    pub fn new(name: String, pattern: &str, keep_if: Option<&str>) -> Result<Self> {
        let invalid = |source| Error::InvalidPattern { pattern: pattern.to_string(), source };
        let regex = Regex::new(pattern).map_err(invalid)?;
        if !regex.capture_names().any(|group| group == Some("secret")) {
            return Err(Error::MissingSecretGroup { pattern: pattern.to_string() });
        }
        let keep_if = keep_if.map(Regex::new).transpose().map_err(invalid)?;
        Ok(CompiledRule { name, regex, keep_if })
    }

    /// The rule's regex as written.
    pub fn pattern(&self) -> &str {
        self.regex.as_str()
    }

    /// `text` with every `secret` group of this rule's matches replaced by the marker.
    /// Borrows `text` when nothing changes (including when it was already redacted).
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut out = String::new();
        let mut copied_up_to = 0;
        let mut changed = false;
        for caps in self.regex.captures_iter(text) {
            let Some(secret) = caps.name("secret") else { continue };
            let value = secret.as_str();
            if value.is_empty() || self.keep_if.as_ref().is_some_and(|keep| keep.is_match(value)) {
                continue;
            }
            let replacement = marker_for(value);
            if value == replacement {
                continue;
            }
            if !changed {
                out.reserve(text.len() + replacement.len());
                changed = true;
            }
            // Matches are disjoint and in order, and a group lies inside its match, so
            // `copied_up_to <= secret.start()`; both are char boundaries the regex reported.
            out.push_str(&text[copied_up_to..secret.start()]);
            out.push_str(replacement);
            copied_up_to = secret.end();
        }
        if !changed {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied_up_to..]);
        Cow::Owned(out)
    }
}

/// The marker that replaces `value`: quoted values keep their quotes.
fn marker_for(value: &str) -> &'static str {
    let bytes = value.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(b'"'), Some(b'"')) if bytes.len() >= 2 => REDACTED_DOUBLE_QUOTED,
        (Some(b'\''), Some(b'\'')) if bytes.len() >= 2 => REDACTED_SINGLE_QUOTED,
        _ => REDACTED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pattern: &str) -> CompiledRule {
        CompiledRule::new("test".into(), pattern, None).expect("valid test pattern")
    }

    #[test]
    fn replaces_only_the_secret_group() {
        let r = rule(r"community (?P<secret>\S+)");
        assert_eq!(r.apply("snmp-server community public RO"), "snmp-server community <redacted> RO");
    }

    #[test]
    fn borrows_when_nothing_changes() {
        let r = rule(r"community (?P<secret>\S+)");
        assert!(matches!(r.apply("no match here"), Cow::Borrowed(_)));
        assert!(matches!(r.apply("community <redacted>"), Cow::Borrowed(_)));
    }

    #[test]
    fn keeps_quotes_around_quoted_secrets() {
        let r = rule(r#"key (?P<secret>"[^"]*"|'[^']*'|\S+)"#);
        assert_eq!(r.apply(r#"key "abc def""#), r#"key "<redacted>""#);
        assert_eq!(r.apply("key 'abc'"), "key '<redacted>'");
        assert_eq!(r.apply("key \""), "key <redacted>");
    }

    #[test]
    fn keep_if_leaves_keywords_alone() {
        let r = CompiledRule::new("t".into(), r"password (?P<secret>\S+)", Some("^encryption$")).expect("valid");
        assert_eq!(r.apply("password encryption aes"), "password encryption aes");
        assert_eq!(r.apply("password hunter2"), "password <redacted>");
    }

    #[test]
    fn empty_secrets_are_skipped() {
        let r = rule(r"x(?P<secret>y*)");
        assert_eq!(r.apply("x x x"), "x x x");
    }

    #[test]
    fn rejects_bad_patterns() {
        let missing = CompiledRule::new("t".into(), r"password (\S+)", None).unwrap_err();
        assert!(matches!(missing, Error::MissingSecretGroup { .. }));
        let invalid = CompiledRule::new("t".into(), r"password (?P<secret>\S+", None).unwrap_err();
        assert!(matches!(invalid, Error::InvalidPattern { .. }));
    }
}
