//! Platform autodetection: which profile a login banner and/or `show version` output belongs
//! to, and the software version it reports.

use super::error::Result;
use super::patterns::Checker;
use super::set::ProfileSet;
use super::spec::DetectSpec;
use regex::{Regex, RegexSet};
use std::cmp::Reverse;

/// The outcome of [`ProfileSet::detect`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    /// Name of the detected profile.
    pub profile: String,
    /// Its `detect.priority`, which decided between several matching profiles.
    pub priority: i32,
    /// How many of its `detect.patterns` matched (breaks ties of priority).
    pub score: usize,
    /// The software version, when the profile has a `detect.version` regex and it matched.
    pub version: Option<String>,
}

/// A profile's `detect` section, compiled.
#[derive(Clone, Debug)]
pub(crate) struct Detector {
    command: String,
    patterns: RegexSet,
    exclude: RegexSet,
    priority: i32,
    version: Option<Regex>,
}

impl Detector {
    /// Compiles and checks a `detect` section.
    pub fn compile(checker: &Checker<'_>, spec: &DetectSpec) -> Result<Self> {
        checker.non_empty("detect.command", &spec.command)?;
        if spec.patterns.is_empty() {
            return Err(checker.invalid("detect.patterns", "needs at least one regex"));
        }
        let version = match &spec.version {
            Some(pattern) => Some(checker.regex_with_group("detect.version", pattern, "version")?),
            None => None,
        };
        Ok(Detector {
            command: spec.command.clone(),
            patterns: checker.regex_set("detect.patterns", &spec.patterns)?,
            exclude: checker.regex_set("detect.exclude", &spec.exclude)?,
            priority: spec.priority,
            version,
        })
    }

    /// How many patterns match `text`, or `None` when none does or an exclusion matches.
    fn score(&self, text: &str) -> Option<usize> {
        if self.exclude.is_match(text) {
            return None;
        }
        let score = self.patterns.matches(text).iter().count();
        (score > 0).then_some(score)
    }

    /// The software version `text` reports, if the profile knows how to find it.
    fn version(&self, text: &str) -> Option<String> {
        let captures = self.version.as_ref()?.captures(text)?;
        Some(captures.name("version")?.as_str().to_string())
    }
}

impl ProfileSet {
    /// The profile whose `detect` section best matches `text` (a login banner, the output of
    /// a `detect.command`, or both concatenated).
    ///
    /// A profile is a candidate when at least one of its patterns matches and none of its
    /// exclusions does. The candidate with the highest priority wins; equal priorities go to
    /// the one with more matching patterns, then to the first name in alphabetical order.
    /// Profiles without a `detect` section (`generic`) are never chosen. `None` when no
    /// profile is a candidate.
    pub fn detect(&self, text: &str) -> Option<Detection> {
        let (profile, detector, score) = self
            .iter()
            .filter_map(|profile| {
                let detector = profile.detector()?;
                Some((profile, detector, detector.score(text)?))
            })
            .min_by_key(|(profile, detector, score)| (Reverse(detector.priority), Reverse(*score), profile.name()))?;
        Some(Detection {
            profile: profile.name().to_string(),
            priority: detector.priority,
            score,
            version: detector.version(text),
        })
    }

    /// The distinct `detect.command`s of the profiles, highest priority first: what to run on
    /// an unknown device before calling [`detect`](Self::detect) on the outputs.
    pub fn detect_commands(&self) -> Vec<&str> {
        let mut detectors: Vec<&Detector> = self.iter().filter_map(|profile| profile.detector()).collect();
        detectors.sort_by_key(|detector| Reverse(detector.priority));
        let mut commands: Vec<&str> = Vec::new();
        for detector in detectors {
            if !commands.contains(&detector.command.as_str()) {
                commands.push(&detector.command);
            }
        }
        commands
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector(patterns: &[&str], exclude: &[&str], priority: i32, version: Option<&str>) -> Detector {
        let spec = DetectSpec {
            command: "show version".into(),
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            exclude: exclude.iter().map(|p| p.to_string()).collect(),
            priority,
            version: version.map(str::to_string),
        };
        Detector::compile(&Checker::new("test.toml"), &spec).expect("compiles")
    }

    #[test]
    fn scores_count_matching_patterns_and_exclusions_win() {
        let d = detector(&["Cisco IOS Software", "IOS-XE"], &["IOS XR"], 10, Some(r"Version (?P<version>[^,\s]+)"));
        assert_eq!(d.score("Cisco IOS Software, IOS-XE Software, Version 15.3(2)S1,"), Some(2));
        assert_eq!(d.score("Cisco IOS Software"), Some(1));
        assert_eq!(d.score("Cisco IOS XR Software, Version 6.1.4"), None);
        assert_eq!(d.score("ArubaOS"), None);
        assert_eq!(d.version("Version 15.3(2)S1, RELEASE").as_deref(), Some("15.3(2)S1"));
        assert_eq!(d.version("no version here"), None);
    }

    #[test]
    fn a_detect_section_is_checked() {
        let checker = Checker::new("x.toml");
        let mut spec = DetectSpec {
            command: "show version".into(),
            patterns: vec![],
            exclude: vec![],
            priority: 0,
            version: None,
        };
        let err = Detector::compile(&checker, &spec).expect_err("no patterns");
        assert!(err.to_string().contains("detect.patterns"), "{err}");
        spec.patterns.push("x".into());
        spec.version = Some(r"Version (\S+)".into());
        let err = Detector::compile(&checker, &spec).expect_err("no version group");
        assert!(err.to_string().contains("detect.version") && err.to_string().contains("`version`"), "{err}");
    }
}
