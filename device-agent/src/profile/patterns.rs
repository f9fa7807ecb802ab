//! Compiling a profile's regexes with errors that name the file and field, and `LineSet`, a
//! list of regexes matched one line at a time (found in a whole text with one scan).

use super::error::{ProfileError, Result};
use regex::{Regex, RegexSet};
use std::ops::Range;

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
        let set = self.regex_set(field, patterns)?;
        // Every match within one line is a match of this multi-line union at the same place,
        // unless a pattern anchors to the haystack's ends or turns multi-line mode off.
        let anchored = patterns.iter().any(|p| p.contains("\\A") || p.contains("\\z") || p.contains("(?-"));
        let union = patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
        let scan = (!anchored && !patterns.is_empty()).then(|| Regex::new(&format!("(?m){union}")).ok()).flatten();
        Ok(LineSet { set, scan })
    }
}

/// Regexes matched against single lines (without their line ending); an empty set matches
/// nothing.
#[derive(Clone, Debug)]
pub(crate) struct LineSet {
    set: RegexSet,
    /// The patterns as one multi-line regex: a scan of a whole text finds the lines worth
    /// checking, where calling the set on each of thousands of lines costs far more.
    scan: Option<Regex>,
}

impl LineSet {
    /// Whether any regex matches `line`.
    pub fn matches(&self, line: &str) -> bool {
        !self.set.is_empty() && self.set.is_match(line.trim_end_matches(['\r', '\n']))
    }

    /// The first line of `text` that some regex matches, without its line ending.
    pub fn first_matching_line<'t>(&self, text: &'t str) -> Option<&'t str> {
        let line = &text[self.matching_lines(text).into_iter().next()?];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The byte ranges of the lines of `text` that some regex matches, each with its `\n`.
    pub fn matching_lines(&self, text: &str) -> Vec<Range<usize>> {
        match &self.scan {
            // A lone `\r` inside a line would end it for the multi-line regex.
            Some(scan) if !text.contains('\r') => self.scanned(scan, text),
            _ => {
                let mut start = 0;
                let mut found = Vec::new();
                for line in text.split_inclusive('\n') {
                    if self.matches(line) {
                        found.push(start..start + line.len());
                    }
                    start += line.len();
                }
                found
            }
        }
    }

    /// `matching_lines` by scanning: each match of the union names a candidate line, which
    /// the set then checks alone (a match of the union may run across a line ending).
    fn scanned(&self, scan: &Regex, text: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(hit) = scan.find_at(text, at) {
            let start = text[..hit.start()].rfind('\n').map_or(0, |i| i + 1);
            let end = text[hit.start()..].find('\n').map_or(text.len(), |i| hit.start() + i + 1);
            if start < text.len() && self.matches(&text[start..end]) {
                found.push(start..end);
            }
            if end >= text.len() {
                break;
            }
            at = end;
        }
        found
    }
}

/// `text` without the byte ranges `dropped` (sorted, not overlapping).
pub(crate) fn without(text: &str, dropped: Vec<Range<usize>>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut kept_from = 0;
    for range in dropped {
        out.push_str(&text[kept_from..range.start]);
        kept_from = range.end;
    }
    out.push_str(&text[kept_from..]);
    out
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

    /// The per-line answer, the way the set was used before scanning.
    fn line_by_line(set: &LineSet, text: &str) -> Vec<Range<usize>> {
        LineSet { scan: None, ..set.clone() }.matching_lines(text)
    }

    #[test]
    fn a_match_running_across_lines_is_not_a_matching_line() {
        let set = Checker::new("t").line_set("errors", &["error\\s+here".into(), "^%".into()]).expect("compiles");
        let text = "an error\nhere\n% Invalid input\nan error here\n";
        assert_eq!(set.matching_lines(text), [14..30, 30..44]);
        assert_eq!(set.first_matching_line(text), Some("% Invalid input"));
    }

    proptest::proptest! {
        #[test]
        fn scanning_finds_exactly_the_lines_a_line_by_line_check_finds(
            lines in proptest::collection::vec("[a-c %!:\\r]{0,8}", 0..30),
            ending in proptest::bool::ANY,
        ) {
            let patterns = ["^a".to_string(), "b\\s*c$".into(), "^$".into(), "(?i)C !".into(), "[^a]%".into()];
            let set = Checker::new("t").line_set("volatile", &patterns).expect("compiles");
            let mut text = lines.join("\n");
            if ending {
                text.push('\n');
            }
            proptest::prop_assert_eq!(set.matching_lines(&text), line_by_line(&set, &text));
            let no_cr = text.replace('\r', "");
            proptest::prop_assert_eq!(set.matching_lines(&no_cr), line_by_line(&set, &no_cr));
        }
    }
}
