//! Compiling a profile's regexes with errors that name the file and field, and `LineSet`, a
//! list of regexes matched one line at a time.

use super::error::{ProfileError, Result};
use regex::{Regex, RegexSet};

/// Checks the fields of one profile file; every error it makes names that file.
pub(crate) struct Checker<'a> {
    file: &'a str,
}

impl<'a> Checker<'a> {
    /// A checker for the file shown as `file` in errors.
    pub fn new(file: &'a str) -> Self {
        Checker { file }
    }

    /// A [`ProfileError::Invalid`] about `field`.
    pub fn invalid(&self, field: &str, message: impl Into<String>) -> ProfileError {
        ProfileError::Invalid { file: self.file.to_string(), field: field.to_string(), message: message.into() }
    }

    /// Fails when `value` is empty or blank.
    pub fn non_empty(&self, field: &str, value: &str) -> Result<()> {
        if value.trim().is_empty() { Err(self.invalid(field, "must not be empty")) } else { Ok(()) }
    }

    /// Compiles one regex; an empty pattern (which would match everything) is refused.
    pub fn regex(&self, field: &str, pattern: &str) -> Result<Regex> {
        self.not_empty_pattern(field, pattern)?;
        Regex::new(pattern).map_err(|source| self.invalid_regex(field, source))
    }

    fn not_empty_pattern(&self, field: &str, pattern: &str) -> Result<()> {
        if pattern.is_empty() { Err(self.invalid(field, "empty regex (it would match everything)")) } else { Ok(()) }
    }

    fn invalid_regex(&self, field: &str, source: regex::Error) -> ProfileError {
        ProfileError::InvalidRegex { file: self.file.to_string(), field: field.to_string(), source }
    }

    /// Compiles one regex that must have the named group `group`.
    pub fn regex_with_group(&self, field: &str, pattern: &str, group: &'static str) -> Result<Regex> {
        let regex = self.regex(field, pattern)?;
        if regex.capture_names().any(|name| name == Some(group)) {
            Ok(regex)
        } else {
            Err(ProfileError::MissingGroup { file: self.file.to_string(), field: field.to_string(), group })
        }
    }

    /// Compiles an optional regex.
    pub fn optional_regex(&self, field: &str, pattern: Option<&str>) -> Result<Option<Regex>> {
        pattern.map(|pattern| self.regex(field, pattern)).transpose()
    }

    /// Compiles a list of regexes into one set; errors name the element (`field[i]`).
    pub fn regex_set(&self, field: &str, patterns: &[String]) -> Result<RegexSet> {
        let element = |i: usize| format!("{field}[{i}]");
        for (i, pattern) in patterns.iter().enumerate() {
            self.not_empty_pattern(&element(i), pattern)?;
        }
        RegexSet::new(patterns).map_err(|set_error| {
            // Name the pattern at fault; only when none fails alone is the whole set too large.
            (patterns.iter().enumerate())
                .find_map(|(i, pattern)| {
                    Regex::new(pattern).err().map(|source| self.invalid_regex(&element(i), source))
                })
                .unwrap_or_else(|| self.invalid_regex(field, set_error))
        })
    }

    /// Compiles a list of regexes matched one line at a time.
    pub fn line_set(&self, field: &str, patterns: &[String]) -> Result<LineSet> {
        Ok(LineSet { set: self.regex_set(field, patterns)? })
    }
}

/// Regexes matched against single lines (without their line ending); an empty set matches
/// nothing.
#[derive(Clone, Debug)]
pub(crate) struct LineSet {
    set: RegexSet,
}

impl LineSet {
    /// Whether any regex matches `line`.
    pub fn matches(&self, line: &str) -> bool {
        !self.set.is_empty() && self.set.is_match(line.trim_end_matches(['\r', '\n']))
    }

    /// The first line of `text` that some regex matches.
    pub fn first_matching_line<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.set.is_empty() {
            return None;
        }
        text.lines().find(|line| self.matches(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_field_and_element() {
        let checker = Checker::new("lab.toml");
        let err = checker.regex_set("volatile", &["^ok$".into(), "(unclosed".into()]).expect_err("bad regex");
        assert!(err.to_string().starts_with("lab.toml: field `volatile[1]`: invalid regex"), "{err}");
        let err = checker.regex_with_group("secrets[0]", "key (\\S+)", "secret").expect_err("no group");
        assert_eq!(err.code(), "profile.missing_group");
        assert!(err.to_string().contains("lab.toml: field `secrets[0]`"), "{err}");
        assert!(checker.regex("errors[0]", "").is_err(), "an empty regex would match every line");
    }

    #[test]
    fn line_sets_match_single_lines_without_their_ending() {
        let set = Checker::new("t").line_set("strip", &["^Building configuration\\.\\.\\.$".into()]).expect("compiles");
        assert!(set.matches("Building configuration...\r"));
        assert_eq!(set.first_matching_line("x\r\nBuilding configuration...\r\ny"), Some("Building configuration..."));
        let empty = Checker::new("t").line_set("errors", &[]).expect("compiles");
        assert!(!empty.matches("anything") && empty.first_matching_line("a\nb").is_none());
    }
}
