//! The `netraven` binary: thin glue that parses arguments into settings and runs a command.

mod client;
mod commands;
mod config_file;
mod demo;
mod openapi;
mod progress;
mod read_side;
mod secrets;
mod wiring;
mod store;

use clap::{Parser, Subcommand};

/// NetRaven backs up and operates network devices and keeps a complete, searchable,
/// replayable history of everything it does.
#[derive(Parser)]
#[command(name = "netraven", version, about)]
struct Cli {
    /// A TOML configuration file: `NETRAVEN_*` settings as lower-case keys without the prefix,
    /// and an `[agent]` table (flags and environment variables win over it).
    #[arg(long, global = true, env = "NETRAVEN_CONFIG", value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run all of NetRaven in one process (embedded store by default).
    Serve(commands::serve::Args),
    /// Run the write API and the dispatcher on their own.
    CommandHandler(commands::component::CommandHandlerArgs),
    /// Run the scheduler on its own.
    Scheduler(crate::store::StoreArgs),
    /// Run a device-agent on its own (a consumer-group member on Kafka).
    DeviceAgent(commands::component::AgentArgs),
    /// Run the query API on its own, over the views and index a projector keeps in the data folder.
    QueryApi(commands::component::HttpArgs),
    /// Run the read-side projections (views and search index) on their own, or rebuild them.
    Projector(commands::projector::Args),
    /// Append and read events in the event log.
    #[command(subcommand)]
    Events(commands::events::Command),
    /// Write or check the JSON Schema files of the event catalog.
    #[command(subcommand)]
    Schemas(commands::schemas::Command),
    /// Print the timeline of a job, a device, a user or a time range, or the state as of a moment.
    Replay(commands::replay::Args),
    /// Seal the event log into signed checkpoints, or verify it against them.
    #[command(subcommand)]
    Audit(commands::audit::Command),
    #[command(flatten)]
    Client(client::Command),
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    // SAFETY: no other thread runs yet; the runtime starts below.
    if let Err(err) = unsafe { config_file::load(&args, &<Cli as clap::CommandFactory>::command()) } {
        eprintln!("error: {err:#}");
        return std::process::ExitCode::from(2);
    }
    let cli = Cli::parse_from(args);
    init_tracing();
    let runtime = tokio::runtime::Runtime::new().expect("the async runtime starts");
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> std::process::ExitCode {
    let result = match cli.command {
        Command::Serve(args) => commands::serve::run(args).await,
        Command::Projector(args) => commands::projector::run(args).await,
        Command::CommandHandler(args) => commands::component::command_handler(args).await,
        Command::Scheduler(store) => commands::component::scheduler(store).await,
        Command::DeviceAgent(args) => commands::component::device_agent(args).await,
        Command::QueryApi(args) => commands::component::query_api(args).await,
        Command::Events(command) => commands::events::run(command).await,
        Command::Schemas(command) => commands::schemas::run(command),
        Command::Replay(args) => commands::replay::run(args).await,
        Command::Audit(command) => commands::audit::run(command).await,
        Command::Client(command) => return client::run(command).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// JSON application logs on stderr, filtered by `NETRAVEN_LOG` (default `info`).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env(config_file::env::LOG)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
