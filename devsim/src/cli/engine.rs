//! The one CLI engine: modes, prompts, command dispatch, enable, configuration mode, errors
//! and output, driven by a platform table. Runs an interactive shell or a single exec command.

use std::sync::Arc;

use super::matcher::{Match, find};
use super::pager::Pager;
use super::platforms::{Cmd, CommandDef, PromptStyle, Spec};
use crate::clock;
use crate::device::DeviceState;
use crate::terminal::{Sink, Stop, Terminal};

/// The page length of a fresh terminal.
const PAGE_LENGTH: usize = 24;

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    User,
    Privileged,
    Config,
    Sub(&'static str),
}

/// What happens after a command.
enum Flow {
    /// Next command; the exit status an exec channel reports.
    Continue(u32),
    /// The user logged out.
    Logout,
}

/// Exit status of an unknown command.
const UNKNOWN: u32 = 127;

/// One CLI session on a terminal.
pub(crate) struct Cli<S: Sink> {
    dev: Arc<DeviceState>,
    spec: &'static Spec,
    term: Terminal<S>,
    user: String,
    mode: Mode,
    page_length: Option<usize>,
    pending_hostname: Option<String>,
    interactive: bool,
}

impl<S: Sink> Cli<S> {
    /// A session for `user`: `interactive` for a shell (prompts, paging), not for exec.
    pub(crate) fn new(
        dev: Arc<DeviceState>,
        term: Terminal<S>,
        user: String,
        interactive: bool,
    ) -> Self {
        let spec = dev.spec;
        let mode = if spec.user_mode && interactive {
            Mode::User
        } else {
            Mode::Privileged
        };
        let page_length = interactive.then_some(PAGE_LENGTH);
        Cli {
            dev,
            spec,
            term,
            user,
            mode,
            page_length,
            pending_hostname: None,
            interactive,
        }
    }

    /// The terminal back.
    pub(crate) fn into_terminal(self) -> Terminal<S> {
        self.term
    }

    /// Runs a shell until logout or until the client goes; returns how it ended. A hang fault
    /// keeps the session silent until the client gives up.
    pub(crate) async fn run_shell(&mut self) -> Stop {
        match self.shell().await {
            Ok(()) => Stop::Closed,
            Err(Stop::Hang) => {
                self.term.hang().await;
                Stop::Closed
            }
            Err(stop) => stop,
        }
    }

    async fn shell(&mut self) -> Result<(), Stop> {
        let motd = (self.spec.motd)(&self.dev.facts(&self.user));
        self.term.write(&motd).await?;
        loop {
            let prompt = self.prompt();
            self.term.write(&prompt).await?;
            let line = self.term.read_line(true).await?;
            let prompt_len = prompt.rsplit('\n').next().map_or(0, str::len);
            if let Flow::Logout = self.execute(&line, prompt_len).await? {
                return Ok(());
            }
        }
    }

    /// Runs one exec-channel command; returns how it ended and its exit status.
    pub(crate) async fn run_exec(&mut self, line: &str) -> (Stop, u32) {
        match self.execute(line, 0).await {
            Ok(Flow::Continue(status)) => (Stop::Closed, status),
            Ok(Flow::Logout) => (Stop::Closed, 0),
            Err(Stop::Hang) => {
                self.term.hang().await;
                (Stop::Closed, 0)
            }
            Err(stop) => (stop, 0),
        }
    }

    /// The prompt for the current mode and host name.
    fn prompt(&self) -> String {
        let host = self.dev.hostname();
        let user = &self.user;
        match (&self.spec.prompt, self.mode) {
            (PromptStyle::Cisco { prefix, space }, mode) => {
                let (context, symbol) = match mode {
                    Mode::User => (String::new(), '>'),
                    Mode::Privileged => (String::new(), '#'),
                    Mode::Config => ("(config)".to_string(), '#'),
                    Mode::Sub(name) => (format!("({name})"), '#'),
                };
                format!(
                    "{prefix}{host}{context}{symbol}{}",
                    if *space { " " } else { "" }
                )
            }
            (PromptStyle::Junos, Mode::Config | Mode::Sub(_)) => {
                format!("\n[edit]\n{user}@{host}# ")
            }
            (PromptStyle::Junos, _) => format!("{user}@{host}> "),
            (PromptStyle::Linux, _) => format!("{user}@{host}:~$ "),
        }
    }

    fn in_config(&self) -> bool {
        matches!(self.mode, Mode::Config | Mode::Sub(_))
    }

    fn lookup<'a>(&self, table: &'a [CommandDef], line: &str) -> Match<'a> {
        find(
            table,
            line,
            self.spec.abbreviations,
            self.mode != Mode::User,
        )
    }

    /// Runs one typed line; `prompt_len` places the caret of an error.
    async fn execute(&mut self, line: &str, prompt_len: usize) -> Result<Flow, Stop> {
        if line.trim().is_empty() {
            return Ok(Flow::Continue(0));
        }
        let table = if self.in_config() {
            self.spec.config
        } else {
            self.spec.exec
        };
        let (found, offset) = match self.lookup(table, line) {
            Match::Found { def, args } if matches!(def.cmd, Cmd::Do) => {
                let rest = args.first().map_or("", String::as_str);
                let offset = line.len() - line.trim_start().len()
                    + line.trim_start().find(rest).unwrap_or(0);
                (self.lookup(self.spec.exec, rest), offset)
            }
            other => (other, 0),
        };
        let accept_any = self.in_config() && self.spec.config_accepts_any && offset == 0;
        match found {
            Match::Found { def, args } => self.run(def.cmd, &args).await,
            Match::Invalid { .. } | Match::Incomplete if accept_any => Ok(Flow::Continue(0)),
            Match::Invalid { column, first } => {
                let template = if first {
                    self.spec.errors.unknown
                } else {
                    self.spec.errors.invalid
                };
                self.error(line, template, Some(prompt_len + offset + column))
                    .await
            }
            Match::Incomplete => self.error(line, self.spec.errors.incomplete, None).await,
        }
    }

    /// Prints an error (with a caret line under `column` where the platform prints one).
    async fn error(
        &mut self,
        line: &str,
        template: &str,
        column: Option<usize>,
    ) -> Result<Flow, Stop> {
        let word = line.split_whitespace().next().unwrap_or_default();
        let mut text = String::new();
        if let (true, Some(column)) = (self.spec.errors.caret, column) {
            text = format!("{}^\n", " ".repeat(column));
        }
        text.push_str(&template.replace("{cmd}", word));
        self.term.write(&text).await?;
        Ok(Flow::Continue(UNKNOWN))
    }

    /// Carries out a matched command.
    async fn run(&mut self, cmd: Cmd, args: &[String]) -> Result<Flow, Stop> {
        let arg = args.first().map_or("", String::as_str);
        match cmd {
            Cmd::Show(text) => {
                let text = text(&self.dev.facts(&self.user));
                self.output(&[&text]).await?;
            }
            Cmd::ShowVersion => {
                let text = (self.spec.show_version)(&self.dev.facts(&self.user));
                self.output(&[&text]).await?;
            }
            Cmd::ShowConfig => {
                let (head, body) = self.dev.config_text().await;
                self.output(&[&head, &body]).await?;
            }
            Cmd::Enable => return self.enable().await,
            Cmd::Disable if self.spec.user_mode => self.mode = Mode::User,
            Cmd::PageLength => {
                if self.interactive {
                    self.page_length = arg.parse::<usize>().ok().filter(|n| *n > 0);
                }
                self.term.write(&(self.spec.length_reply)(arg)).await?;
            }
            Cmd::Width => {
                self.term
                    .write(&self.spec.width_reply.replace("{n}", arg))
                    .await?
            }
            Cmd::Configure => {
                self.term.write(self.spec.config_enter).await?;
                self.mode = Mode::Config;
            }
            Cmd::SubMode(name) => self.mode = Mode::Sub(name),
            Cmd::Hostname if self.spec.commit.is_some() => {
                self.pending_hostname = Some(arg.to_string())
            }
            Cmd::Hostname => self.dev.set_hostname(arg),
            Cmd::Commit => {
                if let Some(name) = self.pending_hostname.take() {
                    self.dev.set_hostname(&name);
                }
                self.term
                    .write(self.spec.commit.unwrap_or_default())
                    .await?;
            }
            Cmd::End => self.leave_config().await?,
            Cmd::Exit => match self.mode {
                Mode::Sub(_) => self.mode = Mode::Config,
                Mode::Config => self.leave_config().await?,
                Mode::User | Mode::Privileged => return Ok(Flow::Logout),
            },
            Cmd::Logout => return Ok(Flow::Logout),
            Cmd::Cat(file) => match file(&self.dev.facts(&self.user), arg) {
                Some(text) => self.output(&[&text]).await?,
                None => {
                    self.term
                        .write(&format!("cat: {arg}: No such file or directory\n"))
                        .await?;
                    return Ok(Flow::Continue(1));
                }
            },
            Cmd::Echo => self.term.write(&format!("{arg}\n")).await?,
            Cmd::Disable | Cmd::Accept | Cmd::Do => {}
        }
        Ok(Flow::Continue(0))
    }

    async fn leave_config(&mut self) -> Result<(), Stop> {
        self.pending_hostname = None;
        self.mode = Mode::Privileged;
        self.term.write(self.spec.config_exit).await
    }

    /// The enable dialogue.
    async fn enable(&mut self) -> Result<Flow, Stop> {
        if self.mode != Mode::User {
            return Ok(Flow::Continue(0));
        }
        let Some(enable) = &self.spec.enable else {
            self.mode = Mode::Privileged;
            return Ok(Flow::Continue(0));
        };
        for _ in 0..enable.attempts {
            self.term.write("Password: ").await?;
            if self.term.read_line(false).await? == self.dev.id.enable_secret {
                self.mode = Mode::Privileged;
                return Ok(Flow::Continue(0));
            }
        }
        self.term.write(enable.failure).await?;
        Ok(Flow::Continue(1))
    }

    /// Command output: through the faults, paged in a shell.
    async fn output(&mut self, pieces: &[&str]) -> Result<(), Stop> {
        let mut faults = self.dev.output_faults();
        let mut pager = Pager::new(self.spec.pager, self.page_length);
        if self.spec.output_stamp {
            let stamp = format!("{}\n", clock::xr_stamp());
            pager.emit(&mut self.term, &stamp, &mut faults).await?;
        }
        for piece in pieces {
            pager.emit(&mut self.term, piece, &mut faults).await?;
        }
        Ok(())
    }
}
