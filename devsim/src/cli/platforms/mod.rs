//! Platform tables: what differs between the emulated operating systems (prompts, pager,
//! error texts, login dialogue, commands, `show version`), as data the one CLI engine reads.

mod arista_eos;
mod cisco_asa;
mod cisco_ios;
mod cisco_iosxr;
mod cisco_nxos;
mod juniper_junos;
mod linux;

use super::facts::Facts;
use crate::platform::Platform;

/// What a command does; the engine carries it out.
#[derive(Clone, Copy)]
pub(crate) enum Cmd {
    /// Print text made from the device's facts.
    Show(fn(&Facts) -> String),
    /// Print the platform's `show version`.
    ShowVersion,
    /// Print the generated configuration.
    ShowConfig,
    /// Enter privileged mode (asks for the enable secret).
    Enable,
    /// Leave privileged mode.
    Disable,
    /// Set the page length to the argument (0 turns paging off).
    PageLength,
    /// Set the terminal width to the argument (only answered, not used).
    Width,
    /// Accepted, with no output and no effect.
    Accept,
    /// Enter configuration mode.
    Configure,
    /// Enter a configuration sub-mode with this prompt name (`config-if`).
    SubMode(&'static str),
    /// Set the host name to the argument.
    Hostname,
    /// Apply pending changes.
    Commit,
    /// Leave configuration mode.
    End,
    /// Go up one mode; from exec mode, log out.
    Exit,
    /// Close the session.
    Logout,
    /// Run the rest of the line as an exec command (`do`, Junos `run`).
    Do,
    /// Print the file named by the argument, if this function knows it (Linux `cat`).
    Cat(fn(&Facts, &str) -> Option<String>),
    /// Print the rest of the line (Linux `echo`).
    Echo,
}

/// One command: words (`*` one argument, `...` the rest of the line) and what it does.
pub(crate) struct CommandDef {
    /// The words, for example `terminal length *`.
    pub pattern: &'static str,
    /// What it does.
    pub cmd: Cmd,
    /// Only in privileged mode.
    pub privileged: bool,
}

/// A command available in user mode.
pub(crate) const fn user(pattern: &'static str, cmd: Cmd) -> CommandDef {
    CommandDef {
        pattern,
        cmd,
        privileged: false,
    }
}

/// A command available only in privileged mode.
pub(crate) const fn privileged(pattern: &'static str, cmd: Cmd) -> CommandDef {
    CommandDef {
        pattern,
        cmd,
        privileged: true,
    }
}

/// How a prompt looks.
pub(crate) enum PromptStyle {
    /// `{prefix}R1>`, `R1#`, `R1(config)#`, `R1(config-if)#`.
    Cisco {
        /// Text before the host name (IOS-XR's `RP/0/RP0/CPU0:`).
        prefix: &'static str,
        /// A space after the prompt character.
        space: bool,
    },
    /// `user@R1> `, and `[edit]` above `user@R1# ` in configuration mode.
    Junos,
    /// `user@host:~$ `.
    Linux,
}

/// The enable dialogue.
pub(crate) struct EnableSpec {
    /// Password prompts before giving up.
    pub attempts: u8,
    /// Printed after the last wrong secret.
    pub failure: &'static str,
}

/// Error texts; each ends with the line breaks the platform prints.
pub(crate) struct Errors {
    /// A caret line points at the bad word.
    pub caret: bool,
    /// An invalid word (`{cmd}` is replaced by the first word).
    pub invalid: &'static str,
    /// An invalid first word, when it reads differently (Junos `unknown command.`).
    pub unknown: &'static str,
    /// A command that stops too early.
    pub incomplete: &'static str,
}

/// The Telnet login dialogue.
pub(crate) struct Login {
    /// Before the first user-name prompt (`{host}` is replaced by the host name).
    pub intro: &'static str,
    /// The user-name prompt (`{host}` is replaced by the host name).
    pub user_prompt: &'static str,
    /// Printed after a failed login.
    pub failure: &'static str,
}

/// Everything the engine needs to know about one platform.
pub(crate) struct Spec {
    /// The SSH identification string the server sends.
    pub ssh_id: &'static str,
    /// Printed after a page-length command, given the length.
    pub length_reply: fn(&str) -> String,
    /// Printed after a terminal-width command (`{n}` is replaced by the width).
    pub width_reply: &'static str,
    /// Prompt shape.
    pub prompt: PromptStyle,
    /// Sessions start in user mode and need `enable`.
    pub user_mode: bool,
    /// The enable dialogue, where there is one.
    pub enable: Option<EnableSpec>,
    /// The pager prompt, where the platform pages.
    pub pager: Option<&'static str>,
    /// Error texts.
    pub errors: Errors,
    /// Telnet login dialogue.
    pub login: Login,
    /// Login banner (SSH user-authentication banner, Telnet before the prompt).
    pub banner: &'static str,
    /// Printed when a shell starts.
    pub motd: fn(&Facts) -> String,
    /// `show version`.
    pub show_version: fn(&Facts) -> String,
    /// Exec-mode commands.
    pub exec: &'static [CommandDef],
    /// Configuration-mode commands.
    pub config: &'static [CommandDef],
    /// Configuration mode accepts any other line as a statement.
    pub config_accepts_any: bool,
    /// Words may be abbreviated (`sh run`).
    pub abbreviations: bool,
    /// Printed on entering configuration mode.
    pub config_enter: &'static str,
    /// Printed on leaving configuration mode.
    pub config_exit: &'static str,
    /// Changes wait for `commit`; this is printed by a commit.
    pub commit: Option<&'static str>,
    /// A time stamp line precedes each `show` output (IOS-XR).
    pub output_stamp: bool,
    /// Default host names are this plus a number.
    pub default_name: &'static str,
}

/// The table of a platform.
pub(crate) fn spec(platform: Platform) -> &'static Spec {
    match platform {
        Platform::CiscoIos => &cisco_ios::SPEC,
        Platform::CiscoNxos => &cisco_nxos::SPEC,
        Platform::CiscoIosxr => &cisco_iosxr::SPEC,
        Platform::CiscoAsa => &cisco_asa::SPEC,
        Platform::AristaEos => &arista_eos::SPEC,
        Platform::JuniperJunos => &juniper_junos::SPEC,
        Platform::Linux => &linux::SPEC,
    }
}

/// Exec commands shared by IOS, NX-OS, IOS-XR and EOS.
static CISCO_EXEC: &[CommandDef] = &[
    user("enable", Cmd::Enable),
    user("disable", Cmd::Disable),
    user("terminal length *", Cmd::PageLength),
    user("terminal width *", Cmd::Width),
    user("terminal monitor", Cmd::Accept),
    user("show version", Cmd::ShowVersion),
    privileged("show running-config", Cmd::ShowConfig),
    privileged("show startup-config", Cmd::ShowConfig),
    privileged("configure terminal", Cmd::Configure),
    privileged("configure", Cmd::Configure),
    user("exit", Cmd::Logout),
    user("logout", Cmd::Logout),
    user("quit", Cmd::Logout),
];

/// Configuration commands shared by the Cisco-like platforms.
static CISCO_CONFIG: &[CommandDef] = &[
    user("hostname *", Cmd::Hostname),
    user("interface ...", Cmd::SubMode("config-if")),
    user("line ...", Cmd::SubMode("config-line")),
    user("router ...", Cmd::SubMode("config-router")),
    user("commit", Cmd::Commit),
    user("end", Cmd::End),
    user("exit", Cmd::Exit),
    user("do ...", Cmd::Do),
];

/// The Cisco-style error texts with a caret line.
const fn caret_errors(invalid: &'static str, incomplete: &'static str) -> Errors {
    Errors {
        caret: true,
        invalid,
        unknown: invalid,
        incomplete,
    }
}

/// The Cisco `Username:` Telnet dialogue.
const CISCO_LOGIN: Login = Login {
    intro: "\nUser Access Verification\n\n",
    user_prompt: "Username: ",
    failure: "% Authentication failed\n\n",
};

/// No reply to a page-length command.
fn silent(_: &str) -> String {
    String::new()
}

fn no_motd(_: &Facts) -> String {
    String::new()
}
