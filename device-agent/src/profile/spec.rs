//! The profile file format: the serde structs a profile TOML file is read into, before its
//! regexes are compiled and checked (see `compiled.rs`).

use serde::Deserialize;

/// One platform profile as written in its TOML file.
///
/// Every regex is a [`regex`](https://docs.rs/regex) pattern (no look-around, no
/// back-references; matching is linear in the input). Unknown keys are an error.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    /// Unique name of the profile (`cisco_ios`); lower case letters, digits, `_` and `-`. It
    /// must equal the file name without `.toml`, and a user file overrides the shipped profile
    /// of the same name.
    pub name: String,
    /// One line saying which devices the profile is for.
    pub description: String,
    /// Protocol used when a device does not say which one to use.
    pub default_protocol: Protocol,
    /// Port used when a device does not say which one to use.
    pub default_port: u16,
    /// How commands are run over SSH: an interactive shell (network CLIs) or one exec request
    /// per command (hosts). Defaults to `shell`.
    #[serde(default)]
    pub session: SessionKind,
    /// Regexes marking a rejected command, matched against each line of a command's output
    /// (`^\s*% Invalid input detected`).
    #[serde(default)]
    pub errors: Vec<String>,
    /// Regexes for lines of a configuration that change without a configuration change
    /// (timestamps, `ntp clock-period`), matched line by line. Such lines are kept in the stored
    /// configuration and ignored when deciding whether the configuration changed.
    #[serde(default)]
    pub volatile: Vec<String>,
    /// Extra regexes for the redaction filter, each with a named group `secret` around the
    /// value to hide (`(?m)^[ \t]*failover key (?P<secret>\S+)`); they run after the built-in
    /// rules of `netraven-redact`, over whole texts.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// The prompts of the CLI's modes.
    pub prompt: PromptSpec,
    /// How to turn paging off, and how to answer a pager that is still on.
    #[serde(default)]
    pub paging: PagingSpec,
    /// How to reach privileged mode from user mode; absent when there is no such step.
    #[serde(default)]
    pub privilege: Option<PrivilegeSpec>,
    /// How to enter and leave configuration mode; absent when there is none.
    #[serde(default)]
    pub config_mode: Option<ConfigModeSpec>,
    /// What a configuration backup runs and which output lines are not configuration.
    pub backup: BackupSpec,
    /// How autodetection recognises this platform; absent for a profile that is never
    /// autodetected (`generic`).
    #[serde(default)]
    pub detect: Option<DetectSpec>,
}

/// A transport protocol.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// SSH (port 22 by default).
    Ssh,
    /// Telnet (port 23 by default).
    Telnet,
    /// HTTP or HTTPS REST APIs.
    Http,
}

/// How commands run over an SSH connection.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// One interactive shell on a PTY: prompts, paging and modes apply.
    #[default]
    Shell,
    /// One exec request per command: no prompt, no pager, the exit status tells success.
    Exec,
}

/// The prompts, each a regex matched against the last line of output only (the text after
/// the last newline). Anchor them with `^` and `$`, and capture the hostname in a named group
/// `host` where the prompt shows it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PromptSpec {
    /// Unprivileged mode that needs the enable step before privileged commands (`router>`).
    #[serde(default)]
    pub user: Option<String>,
    /// The mode where show commands and backups run (`router#`; Junos operational mode
    /// `user@host>`; a Linux root shell).
    pub privileged: String,
    /// Configuration mode and its sub-modes (`router(config-if)#`, Junos `user@host#`).
    #[serde(default)]
    pub config: Option<String>,
}

/// Paging: the commands that turn it off, and the pager prompt with its answer for when
/// they could not.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PagingSpec {
    /// Commands sent once after login (`terminal length 0`); their errors are ignored.
    #[serde(default)]
    pub disable_commands: Vec<String>,
    /// Regex for the pager prompt (`--More--`), matched against the last line of output.
    #[serde(default)]
    pub more_pattern: Option<String>,
    /// What to send when the pager prompt shows (usually a space); never empty.
    #[serde(default = "default_more_response")]
    pub more_response: String,
}

impl Default for PagingSpec {
    fn default() -> Self {
        PagingSpec { disable_commands: Vec::new(), more_pattern: None, more_response: default_more_response() }
    }
}

fn default_more_response() -> String {
    " ".to_string()
}

/// Privilege escalation from user mode to privileged mode.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PrivilegeSpec {
    /// Command that asks for privileged mode (`enable`); absent when the platform logs in
    /// privileged and has nothing to send.
    #[serde(default)]
    pub enable_command: Option<String>,
    /// Regex for the password prompt that may follow it, matched against the last line.
    pub password_prompt: String,
}

/// Configuration mode.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConfigModeSpec {
    /// Command that enters configuration mode (`configure terminal`).
    pub enter: String,
    /// Command that leaves it back to privileged mode (`end`).
    pub exit: String,
    /// Command that applies the candidate configuration before leaving, on platforms that
    /// have one (Junos and IOS-XR `commit`).
    #[serde(default)]
    pub commit: Option<String>,
}

/// Configuration backup.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct BackupSpec {
    /// Commands whose outputs, in order, make up the backup (`show running-config`); may be
    /// empty, then a backup needs commands from the job.
    pub commands: Vec<String>,
    /// Regexes for output lines that are not configuration (`Building configuration...`),
    /// matched line by line and dropped from the stored configuration.
    #[serde(default)]
    pub strip: Vec<String>,
}

/// Autodetection.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DetectSpec {
    /// Command whose output identifies the platform (`show version`).
    pub command: String,
    /// Regexes matched against the login banner and the command's output (the whole text:
    /// use `(?m)` for `^` per line); any one identifies this platform. At least one.
    pub patterns: Vec<String>,
    /// Regexes that rule this platform out when any matches.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Breaks ties between platforms that all match: the highest wins, so a specific profile
    /// (`cisco_nxos`) gets a higher priority than a broad one (`cisco_ios`).
    pub priority: i32,
    /// Regex with a named group `version` that extracts the software version.
    #[serde(default)]
    pub version: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        name = "mini"
        description = "smallest valid profile"
        default_protocol = "telnet"
        default_port = 23
        [prompt]
        privileged = '^\S+#$'
        [backup]
        commands = []
    "#;

    #[test]
    fn optional_sections_take_their_defaults() {
        let spec: ProfileSpec = toml::from_str(MINIMAL).expect("minimal profile parses");
        assert_eq!(spec.default_protocol, Protocol::Telnet);
        assert_eq!(spec.session, SessionKind::Shell);
        assert_eq!(spec.paging, PagingSpec::default());
        assert_eq!(spec.paging.more_response, " ");
        assert!(spec.privilege.is_none() && spec.config_mode.is_none() && spec.detect.is_none());
        assert!(spec.errors.is_empty() && spec.volatile.is_empty() && spec.secrets.is_empty());
    }

    #[test]
    fn unknown_keys_and_values_are_refused_by_name() {
        let unknown = MINIMAL.replace("[backup]", "[backup]\ncommand = 'show run'");
        let err = toml::from_str::<ProfileSpec>(&unknown).expect_err("unknown key");
        assert!(err.to_string().contains("unknown field `command`"), "{err}");

        let protocol = MINIMAL.replace("\"telnet\"", "\"ftp\"");
        let err = toml::from_str::<ProfileSpec>(&protocol).expect_err("unknown protocol");
        assert!(err.to_string().contains("ftp"), "{err}");
    }
}
