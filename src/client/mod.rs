//! The CLI client: `login`, `devices`, `jobs`, `configs`, `search` and `schedules` against a
//! NetRaven server's HTTP API, with tables for people, `--json` for scripts and exit codes
//! that mean something (see `failure`).

mod config;
mod configs;
mod devices;
mod failure;
mod http;
mod jobs;
mod login;
mod output;
mod schedules;
mod search;
mod watch;

use clap::Subcommand;
use std::process::ExitCode;

/// The client's subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Log in to a NetRaven server and save the token for the other client commands.
    Login(login::Args),
    /// Add, list or import devices.
    Devices {
        /// Print the server's JSON answers instead of tables.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: devices::Command,
    },
    /// Run, list, show, cancel or watch jobs.
    Jobs {
        /// Print the server's JSON answers instead of tables.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: jobs::Command,
    },
    /// List, show or diff the captured configurations of a device.
    Configs {
        /// Print the server's JSON answers instead of tables.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: configs::Command,
    },
    /// Search job logs and command output (or, with --configs, captured configurations).
    Search(search::Args),
    /// List schedules.
    Schedules {
        /// Print the server's JSON answers instead of tables.
        #[arg(long, global = true)]
        json: bool,
        #[command(subcommand)]
        command: schedules::Command,
    },
}

/// Runs a client command; the exit code says how it went.
pub async fn run(command: Command) -> ExitCode {
    let outcome = match command {
        Command::Login(args) => login::run(args).await,
        Command::Devices { json, command } => devices::run(command, json).await,
        Command::Jobs { json, command } => jobs::run(command, json).await,
        Command::Configs { json, command } => configs::run(command, json).await,
        Command::Search(args) => search::run(args).await,
        Command::Schedules { json, command } => schedules::run(command, json).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// `--limit` and `--cursor` of list commands.
#[derive(clap::Args)]
pub struct Paging {
    /// How many items to show (1 to 500).
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Where to continue (the cursor a previous page printed).
    #[arg(long)]
    cursor: Option<String>,
}

impl Paging {
    /// The query pairs, with `more` in front.
    fn query<'a>(&self, more: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
        let mut pairs = more.to_vec();
        pairs.push(("limit", self.limit.to_string()));
        pairs.push(("cursor", self.cursor.clone().unwrap_or_default()));
        pairs
    }
}
