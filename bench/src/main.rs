//! NetRaven's benchmark harness: prints throughput figures. Run it in release mode
//! (`bench/run eventlog`), never from the test suite.

mod api;
mod eventlog;
mod fleet;
mod producer_perf;
mod report;
mod search;
mod search_corpus;
mod search_engines;
mod search_queries;
mod views;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "netraven-bench", about = "NetRaven benchmarks (release mode)")]
struct Cli {
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// The write API: sustained `POST /jobs` rate with p50/p99 latency on the embedded store.
    Api(api::Args),
    /// Event-log append and catch-up read throughput on both backends, against Kafka's own tool.
    Eventlog(eventlog::Args),
    /// Full-text search: index build rate and query latency against ripgrep and SQLite FTS5.
    Search(search::Args),
    /// Read side: rebuild of the SQLite views from 1M events, and versions plus a diff.
    Views(views::Args),
    /// Device agent: backups of 100-1,000 simulated devices against Netmiko and Scrapli, and a
    /// 20 MB fetch against OpenSSH.
    Fleet(fleet::Args),
    /// The agent side of `fleet`, in its own process (internal).
    #[command(hide = true)]
    FleetAgent(fleet::agent::Args),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().bench {
        Bench::Api(args) => api::run(args).await,
        Bench::Eventlog(args) => eventlog::run(args).await,
        Bench::Search(args) => search::run(args).await,
        Bench::Views(args) => views::run(args).await,
        Bench::Fleet(args) => fleet::run(args).await,
        Bench::FleetAgent(args) => fleet::agent::run(args).await,
    }
}
