//! `netraven configs list|show|diff`: a device's captured configuration versions.

use super::failure::Outcome;
use super::http::Api;
use super::{Paging, output};

/// The `configs` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// List a device's configuration versions.
    List {
        /// The device id.
        device: String,
        #[command(flatten)]
        paging: Paging,
    },
    /// Print one configuration version.
    Show {
        /// The device id.
        device: String,
        /// The version number.
        version: i64,
    },
    /// Print the unified diff between two versions.
    Diff {
        /// The device id.
        device: String,
        /// The older version.
        from: i64,
        /// The newer version.
        to: i64,
        /// Leave out volatile lines (timestamps, counters).
        #[arg(long)]
        hide_volatile: bool,
    },
}

/// Runs a `configs` subcommand.
pub async fn run(command: Command, as_json: bool) -> Outcome {
    let api = Api::saved()?;
    match command {
        Command::List { device, paging } => {
            let page = api.get(&format!("/devices/{device}/configs"), &paging.query(&[])).await?;
            let columns: &[output::Column] = &[("VERSION", "/version"), ("CAPTURED", "/captured_at"), ("SIZE", "/size_bytes"), ("HASH", "/content_hash"), ("JOB", "/job_id")];
            output::page(as_json, columns, &page);
        }
        Command::Show { device, version } => {
            let config = api.get(&format!("/devices/{device}/configs/{version}"), &[]).await?;
            match as_json {
                true => output::json(&config),
                false => print!("{}", config["content"].as_str().unwrap_or_default()),
            }
        }
        Command::Diff { device, from, to, hide_volatile } => {
            let query = [("from", from.to_string()), ("to", to.to_string()), ("hide_volatile", hide_volatile.to_string())];
            let diff = api.get(&format!("/devices/{device}/configs/diff"), &query).await?;
            if as_json {
                output::json(&diff);
                return Ok(());
            }
            println!("{} line(s) added, {} removed", output::cell(diff.get("lines_added")), output::cell(diff.get("lines_removed")));
            print!("{}", diff["unified"].as_str().unwrap_or_default());
        }
    }
    Ok(())
}
