//! `Profile`: a profile file validated and compiled, with the operations the agent needs
//! (prompt and pager recognition, error indicators, config cleaning and change hashing).

use super::detect::Detector;
use super::error::{ProfileError, Result};
use super::patterns::{Checker, LineSet, without};
use super::spec::{ProfileSpec, PromptSpec};
use regex::Regex;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a profile was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileSource {
    /// Shipped in the binary: a file of `device-agent/profiles/`.
    Builtin(&'static str),
    /// A file of the user's profiles folder.
    File(PathBuf),
}

impl ProfileSource {
    /// The file name without `.toml`, which must equal the profile's name.
    fn file_stem(&self) -> Option<String> {
        match self {
            ProfileSource::Builtin(file) => file.strip_suffix(".toml").map(str::to_string),
            ProfileSource::File(path) => path.file_stem().and_then(|stem| stem.to_str()).map(str::to_string),
        }
    }
}

impl fmt::Display for ProfileSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileSource::Builtin(file) => write!(f, "built-in profile {file}"),
            ProfileSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Which mode a prompt shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PromptKind {
    /// Unprivileged mode, from which the enable step leads to privileged mode.
    User,
    /// The mode where show commands and backups run.
    Privileged,
    /// Configuration mode or one of its sub-modes.
    Config,
}

/// A recognised prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromptMatch<'t> {
    /// The mode it shows.
    pub kind: PromptKind,
    /// The hostname, when the prompt's regex captures it in a group `host`.
    pub host: Option<&'t str>,
}

/// A validated profile: its [`ProfileSpec`] plus every regex compiled.
///
/// Clones share the compiled regexes. That matters for speed: a cloned `Regex` starts with
/// empty search caches, and rebuilding its lazy DFA on every job cost more CPU than the
/// searches themselves.
#[derive(Clone, Debug)]
pub struct Profile(Arc<Compiled>);

/// What a [`Profile`] holds.
#[derive(Debug)]
struct Compiled {
    spec: ProfileSpec,
    source: ProfileSource,
    /// Prompt regexes in matching order: configuration, privileged, user.
    prompts: Vec<(PromptKind, Regex)>,
    more: Option<Regex>,
    password_prompt: Option<Regex>,
    errors: LineSet,
    strip: LineSet,
    volatile: LineSet,
    secrets: Vec<Regex>,
    detector: Option<Detector>,
}

impl Profile {
    /// Parses and validates a profile file's text. Fails on invalid TOML, a missing required
    /// field, an unknown key, an invalid regex, a `secrets` regex without a `secret` group, a
    /// `detect.version` regex without a `version` group, or a `name` that differs from the
    /// file name; the error names the file and the field.
    pub fn parse(source: ProfileSource, text: &str) -> Result<Profile> {
        let file = source.to_string();
        let spec: ProfileSpec =
            toml::from_str(text).map_err(|err| ProfileError::Parse { file: file.clone(), source: Box::new(err) })?;
        let check = Checker::new(&file);
        check_name(&check, &spec.name, source.file_stem())?;
        check_plain_fields(&check, &spec)?;
        let password_prompt = (spec.privilege.as_ref())
            .map(|privilege| check.regex("privilege.password_prompt", &privilege.password_prompt))
            .transpose()?;
        let secrets = (spec.secrets.iter().enumerate())
            .map(|(i, pattern)| check.regex_with_group(&format!("secrets[{i}]"), pattern, "secret"))
            .collect::<Result<Vec<_>>>()?;
        Ok(Profile(Arc::new(Compiled {
            prompts: compile_prompts(&check, &spec.prompt)?,
            more: check.optional_regex("paging.more_pattern", spec.paging.more_pattern.as_deref())?,
            password_prompt,
            errors: check.line_set("errors", &spec.errors)?,
            strip: check.line_set("backup.strip", &spec.backup.strip)?,
            volatile: check.line_set("volatile", &spec.volatile)?,
            secrets,
            detector: spec.detect.as_ref().map(|detect| Detector::compile(&check, detect)).transpose()?,
            spec,
            source,
        })))
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.0.spec.name
    }

    /// Every setting as written in the file (commands, ports, the regexes' text).
    pub fn spec(&self) -> &ProfileSpec {
        &self.0.spec
    }

    /// Where the profile was read from.
    pub fn source(&self) -> &ProfileSource {
        &self.0.source
    }

    /// The mode a prompt shows, looking only at the last line of `tail` (the text after its
    /// last newline, without carriage returns around it); `None` when it is no known prompt.
    pub fn match_prompt(&self, tail: &str) -> Option<PromptKind> {
        self.prompt_match(tail).map(|found| found.kind)
    }

    /// Like [`match_prompt`](Self::match_prompt), with the hostname the prompt shows.
    /// Configuration mode is tried first, then privileged, then user mode.
    pub fn prompt_match<'t>(&self, tail: &'t str) -> Option<PromptMatch<'t>> {
        let line = last_line(tail);
        self.0.prompts.iter().find_map(|(kind, regex)| {
            let captures = regex.captures(line)?;
            Some(PromptMatch { kind: *kind, host: captures.name("host").map(|host| host.as_str()) })
        })
    }

    /// Whether the last line of `tail` is the pager's prompt (answer it with
    /// `spec().paging.more_response`).
    pub fn is_more_prompt(&self, tail: &str) -> bool {
        self.0.more.as_ref().is_some_and(|more| more.is_match(last_line(tail)))
    }

    /// Whether the last line of `tail` asks for the enable password.
    pub fn is_password_prompt(&self, tail: &str) -> bool {
        self.0.password_prompt.as_ref().is_some_and(|prompt| prompt.is_match(last_line(tail)))
    }

    /// The first line of a command's output that marks the command as rejected.
    pub fn find_error<'t>(&self, output: &'t str) -> Option<&'t str> {
        self.0.errors.first_matching_line(output)
    }

    /// The captured configuration without its `backup.strip` lines (lines that are not
    /// configuration); every other line is kept byte for byte, line endings included.
    pub fn clean_config(&self, raw: &str) -> String {
        without(raw, self.0.strip.matching_lines(raw))
    }

    /// Whether `line` changes without a configuration change (`volatile`).
    pub fn is_volatile(&self, line: &str) -> bool {
        self.0.volatile.matches(line)
    }

    /// The text to hash when deciding whether a configuration changed: `config` without its
    /// volatile lines and its `backup.strip` lines, each kept line ended by `\n` (so `\r\n` and
    /// `\n` hash alike). The stored configuration keeps its volatile lines.
    pub fn normalize_for_hash(&self, config: &str) -> String {
        let mut dropped = self.0.volatile.matching_lines(config);
        dropped.extend(self.0.strip.matching_lines(config));
        dropped.sort_by_key(|line| line.start);
        dropped.dedup();
        let mut out = without(config, dropped);
        if out.contains('\r') {
            out = out.lines().flat_map(|line| [line, "\n"]).collect();
        } else if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    /// The `secrets` regexes, for `SensitiveDataFilter::with_extra_patterns`.
    pub fn secret_patterns(&self) -> impl Iterator<Item = &str> {
        self.0.secrets.iter().map(Regex::as_str)
    }

    /// The compiled `detect` section, if any.
    pub(crate) fn detector(&self) -> Option<&Detector> {
        self.0.detector.as_ref()
    }
}

/// Checks that a profile name is well formed and equals its file's name.
fn check_name(check: &Checker<'_>, name: &str, file_stem: Option<String>) -> Result<()> {
    let well_formed = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !well_formed {
        return Err(check.invalid("name", format!("`{name}` must be lower case letters, digits, `_` or `-`")));
    }
    match file_stem {
        Some(stem) if stem == name => Ok(()),
        Some(stem) => Err(check.invalid("name", format!("`{name}` must equal the file name `{stem}` (without .toml)"))),
        None => Err(check.invalid("name", "the file name must end in .toml")),
    }
}

/// The prompt regexes in matching order: configuration, privileged, user.
fn compile_prompts(check: &Checker<'_>, prompt: &PromptSpec) -> Result<Vec<(PromptKind, Regex)>> {
    let mut prompts = Vec::with_capacity(3);
    if let Some(config) = &prompt.config {
        prompts.push((PromptKind::Config, check.regex("prompt.config", config)?));
    }
    prompts.push((PromptKind::Privileged, check.regex("prompt.privileged", &prompt.privileged)?));
    if let Some(user) = &prompt.user {
        prompts.push((PromptKind::User, check.regex("prompt.user", user)?));
    }
    Ok(prompts)
}

/// Checks the fields that are not regexes: the description, the port and every command.
fn check_plain_fields(check: &Checker<'_>, spec: &ProfileSpec) -> Result<()> {
    check.non_empty("description", &spec.description)?;
    if spec.default_port == 0 {
        return Err(check.invalid("default_port", "must be between 1 and 65535"));
    }
    let commands = |field: &str, commands: &[String]| {
        (commands.iter().enumerate()).try_for_each(|(i, command)| check.non_empty(&format!("{field}[{i}]"), command))
    };
    commands("paging.disable_commands", &spec.paging.disable_commands)?;
    commands("backup.commands", &spec.backup.commands)?;
    if spec.paging.more_response.is_empty() {
        return Err(check.invalid("paging.more_response", "must not be empty"));
    }
    if let Some(command) = spec.privilege.as_ref().and_then(|privilege| privilege.enable_command.as_ref()) {
        check.non_empty("privilege.enable_command", command)?;
    }
    if let Some(config_mode) = &spec.config_mode {
        check.non_empty("config_mode.enter", &config_mode.enter)?;
        check.non_empty("config_mode.exit", &config_mode.exit)?;
        if let Some(commit) = &config_mode.commit {
            check.non_empty("config_mode.commit", commit)?;
        }
    }
    Ok(())
}

/// The text after the last newline of `tail`, without carriage returns around it.
fn last_line(tail: &str) -> &str {
    let line = match tail.rfind('\n') {
        Some(newline) => &tail[newline + 1..],
        None => tail,
    };
    line.trim_matches('\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB: &str = r#"
        name = "lab"
        description = "test profile"
        default_protocol = "ssh"
        default_port = 22
        errors = ['^\s*% Invalid input']
        volatile = ['^! Last configuration change at ']
        [prompt]
        user = '^(?P<host>\w+)>$'
        privileged = '^(?P<host>\w+)#$'
        config = '^(?P<host>\w+)\(config[^)]*\)#$'
        [paging]
        more_pattern = '--More--\s*$'
        [backup]
        commands = ["show running-config"]
        strip = ['^Building configuration\.\.\.$']
    "#;

    fn lab() -> Profile {
        Profile::parse(ProfileSource::Builtin("lab.toml"), LAB).expect("lab profile is valid")
    }

    #[test]
    fn prompts_are_read_from_the_last_line_only() {
        let lab = lab();
        assert_eq!(lab.match_prompt("show clock\r\n12:00\r\nR1#"), Some(PromptKind::Privileged));
        assert_eq!(lab.match_prompt("R1(config-if)#"), Some(PromptKind::Config));
        assert_eq!(lab.prompt_match("\r\nR1>\r").map(|m| m.host), Some(Some("R1")));
        assert_eq!(lab.match_prompt("R1#\n"), None, "a prompt is never followed by a newline");
        assert!(lab.is_more_prompt("line\n --More-- ") && !lab.is_more_prompt(" --More-- \nR1#"));
        assert!(!lab.is_password_prompt("Password:"), "no privilege section");
    }

    #[test]
    fn cleaning_keeps_bytes_and_hashing_ignores_volatile_lines() {
        let lab = lab();
        let raw = "Building configuration...\r\n! Last configuration change at 10:00\r\nhostname R1\r\n";
        assert_eq!(lab.clean_config(raw), "! Last configuration change at 10:00\r\nhostname R1\r\n");
        assert_eq!(lab.normalize_for_hash(raw), "hostname R1\n");
        assert_eq!(
            lab.find_error("R1#shwo\n% Invalid input detected at '^' marker.\n"),
            Some("% Invalid input detected at '^' marker.")
        );
    }

    #[test]
    fn the_name_must_match_the_file() {
        let err = Profile::parse(ProfileSource::Builtin("other.toml"), LAB).expect_err("name differs");
        assert!(err.to_string().contains("field `name`") && err.to_string().contains("other"), "{err}");
        let upper = LAB.replace("name = \"lab\"", "name = \"Lab\"");
        assert!(Profile::parse(ProfileSource::Builtin("Lab.toml"), &upper).is_err());
    }
}
