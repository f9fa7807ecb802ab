//! `netraven search "QUERY" [--configs]`: full-text search over job logs or configurations.

use super::failure::Outcome;
use super::http::Api;
use super::{Paging, output};

/// Arguments of `search`.
#[derive(clap::Args)]
pub struct Args {
    /// The query (Tantivy syntax: words, "phrases", field:value).
    query: String,
    /// Search captured configurations instead of job logs.
    #[arg(long)]
    configs: bool,
    #[command(flatten)]
    paging: Paging,
    /// Print the server's JSON answer.
    #[arg(long)]
    json: bool,
}

/// Runs a search and prints its hits.
pub async fn run(args: Args) -> Outcome {
    let api = Api::saved()?;
    let path = if args.configs { "/configs/search" } else { "/logs/search" };
    let kind = if args.configs { "" } else { "log,output" };
    let answer = api.get(path, &args.paging.query(&[("q", args.query.clone()), ("kind", kind.into())])).await?;
    if args.json {
        output::json(&answer);
        return Ok(());
    }
    let columns: &[output::Column] = match args.configs {
        true => &[("TIME", "/time"), ("DEVICE", "/device_id"), ("JOB", "/job_id"), ("HASH", "/content_hash"), ("MATCH", "/snippet/text")],
        false => &[("TIME", "/time"), ("KIND", "/kind"), ("JOB", "/job_id"), ("DEVICE", "/device_id"), ("LEVEL", "/level"), ("MATCH", "/snippet/text")],
    };
    println!("{} hit(s)", output::cell(answer.get("total_hits")));
    output::table(columns, answer["hits"].as_array().map(Vec::as_slice).unwrap_or_default());
    if let Some(cursor) = answer["next_cursor"].as_str() {
        println!("(more: add --cursor {cursor})");
    }
    Ok(())
}
