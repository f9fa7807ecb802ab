//! `netraven devices add|list|import`.

use super::failure::{FAILED, Failure, Outcome};
use super::http::Api;
use super::{Paging, output};
use reqwest::Method;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The columns of a device table.
const COLUMNS: &[output::Column] = &[("NAME", "/name"), ("ID", "/device_id"), ("HOST", "/host"), ("PORT", "/port"), ("PLATFORM", "/platform"), ("TAGS", "/tags"), ("LAST BACKUP", "/last_backup/status")];

/// The `devices` subcommands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Register a device.
    Add {
        /// Its unique name.
        name: String,
        /// Host name or IP address.
        #[arg(long)]
        host: String,
        /// TCP port (22 for SSH by default).
        #[arg(long)]
        port: Option<u16>,
        /// Platform profile (`cisco_ios`, ...); detected by a `detect` job when left out.
        #[arg(long)]
        platform: Option<String>,
        /// A tag (repeat for several).
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// List devices.
    List {
        /// Only devices with this tag.
        #[arg(long)]
        tag: Option<String>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Import devices from a JSON array (`.json`), or CSV lines: `router.db` style (`name:model:group`),
    /// or a `.csv` file separated by commas whose first row may name the columns.
    Import {
        /// The file.
        file: PathBuf,
        /// The CSV columns (`name,host,port,platform,model,protocol,tags,group,_`); the header row
        /// of the file when it has one, else the server's default `name,platform,tags`.
        #[arg(long)]
        columns: Option<String>,
        /// The CSV field separator (`,` for `.csv` files, else `:`).
        #[arg(long)]
        separator: Option<char>,
    },
}

/// Runs a `devices` subcommand.
pub async fn run(command: Command, as_json: bool) -> Outcome {
    let api = Api::saved()?;
    match command {
        Command::Add { name, host, port, platform, tags } => {
            let device = api.post("/devices", &json!({ "name": name, "host": host, "port": port, "platform": platform, "tags": tags })).await?;
            show(as_json, &device);
        }
        Command::List { tag, paging } => {
            let page = api.get("/devices", &paging.query(&[("tag", tag.unwrap_or_default())])).await?;
            output::page(as_json, COLUMNS, &page);
        }
        Command::Import { file, columns, separator } => {
            let text = std::fs::read_to_string(&file).map_err(|e| Failure::new(FAILED, format!("cannot read {}: {e}", file.display())))?;
            let has = |ext: &str| file.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
            let (content_type, query, body) = match has("json") {
                true => ("application/json", vec![], text),
                false => {
                    let separator = separator.unwrap_or(if has("csv") { ',' } else { ':' });
                    let (header, rows) = match columns {
                        Some(columns) => (columns, text),
                        None => split_header(&text, separator),
                    };
                    ("text/csv", vec![("columns", header.replace(separator, ",")), ("separator", separator.to_string())], rows)
                }
            };
            let url = api.url("/devices/import", &query)?;
            let answer = api.json(api.request(Method::POST, url).header("content-type", content_type).body(body)).await?;
            if as_json {
                output::json(&answer);
                return Ok(());
            }
            println!("imported {} device(s)", output::cell(answer.get("imported")));
            output::table(COLUMNS, answer["devices"].as_array().map(Vec::as_slice).unwrap_or_default());
        }
    }
    Ok(())
}

/// The CSV's header row (empty when its first row is not one) and the rows after it.
fn split_header(text: &str, separator: char) -> (String, String) {
    const KNOWN: &[&str] = &["name", "host", "port", "platform", "model", "protocol", "tags", "group", "_"];
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    match lines.next() {
        Some(first) if first.split(separator).all(|c| KNOWN.contains(&c.trim().to_ascii_lowercase().as_str())) => {
            (first.trim().to_string(), lines.collect::<Vec<_>>().join("\n"))
        }
        _ => (String::new(), text.to_string()),
    }
}

/// Prints one device.
fn show(as_json: bool, device: &Value) {
    match as_json {
        true => output::json(device),
        false => output::record(COLUMNS, device),
    }
}
