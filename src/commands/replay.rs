//! `netraven replay`: the timeline of a job, a device, a user or a time range as stored in the
//! log (either backend), the state as of a moment, or the matching events as JSON lines.

use crate::store::StoreArgs;
use anyhow::{Context, Result, bail};
use netraven_audit::replay::{self, Filter, Format, Time, parse_time};
use netraven_events::EventLog;
use netraven_events::catalog::{DeviceId, JobId};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// What to replay.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Only this job's events and its child jobs' (`<uuid>` or `job-<uuid>`).
    #[arg(long, value_parser = |s: &str| parse_id(s, "job").map(JobId))]
    job: Option<JobId>,
    /// Only this device's events and those of the jobs that target it (`<uuid>` or `device-<uuid>`).
    #[arg(long, value_parser = |s: &str| parse_id(s, "device").map(DeviceId))]
    device: Option<DeviceId>,
    /// Only events caused by this user or service.
    #[arg(long)]
    actor: Option<String>,
    /// Only events at or after this RFC 3339 time.
    #[arg(long, value_parser = parse_time)]
    since: Option<Time>,
    /// Only events at or before this RFC 3339 time.
    #[arg(long, value_parser = parse_time)]
    until: Option<Time>,
    /// Print the inventory, job states and configuration versions as they were at this RFC 3339 time.
    #[arg(long, value_parser = parse_time, conflicts_with_all = ["job", "device", "actor", "since", "until", "export"])]
    as_of: Option<Time>,
    /// With --as-of: print the state as one JSON document.
    #[arg(long, requires = "as_of")]
    json: bool,
    /// Write the matching events in this format instead of a readable timeline.
    #[arg(long, value_enum)]
    export: Option<Export>,
    /// Write the export to this file instead of standard output.
    #[arg(long, requires = "export")]
    output: Option<PathBuf>,
}

/// Export formats.
#[derive(clap::ValueEnum, Clone, Copy)]
enum Export {
    /// Structured-mode CloudEvents JSON, one event per line.
    Jsonl,
}

/// An id given as `<uuid>` or `<prefix>-<uuid>`.
fn parse_id(text: &str, prefix: &str) -> Result<uuid::Uuid, String> {
    let bare = text.strip_prefix(prefix).and_then(|t| t.strip_prefix('-')).unwrap_or(text);
    bare.parse().map_err(|_| format!("`{text}` is not a {prefix} id (a UUID, optionally prefixed `{prefix}-`)"))
}

/// Opens the log for a command that only reads it. On Kafka, opening starts a transactional
/// writer that would fence a running component with the same writer id, so a reader gets an
/// id of its own (it never appends) whatever `--kafka-writer-id` says.
pub(crate) async fn open_for_reading(store: &StoreArgs) -> Result<Arc<dyn EventLog>> {
    let mut store = store.clone();
    if store.kafka_bootstrap.is_some() {
        store.kafka_writer_id = Some(format!("netraven-reader-{}", uuid::Uuid::now_v7()));
    }
    store.open().await
}

/// Runs `netraven replay`.
pub async fn run(args: Args) -> Result<()> {
    if let (Some(since), Some(until)) = (args.since, args.until)
        && since > until
    {
        bail!("--since ({since}) is after --until ({until}): the range is empty");
    }
    let log = open_for_reading(&args.store).await?;
    if let Some(as_of) = args.as_of {
        let state = replay::state::as_of(&*log, as_of).await?;
        let json = args.json;
        return tokio::task::spawn_blocking(move || {
            let mut out = std::io::stdout().lock();
            if json { writeln!(out, "{}", state.to_json()) } else { state.render(&mut out) }
        })
        .await?
        .context("cannot write the state");
    }
    let out: Box<dyn Write + Send> = match &args.output {
        Some(path) => {
            let file = tokio::fs::File::create(path).await.with_context(|| format!("cannot create {}", path.display()))?;
            Box::new(std::io::BufWriter::new(file.into_std().await))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let format = if args.export.is_some() { Format::Jsonl } else { Format::Human };
    let filter = Filter { job: args.job, device: args.device, actor: args.actor, since: args.since, until: args.until };
    let written = replay::timeline(&*log, filter.clone(), format, out).await?;
    if written == 0 {
        if let Some(job) = filter.job {
            bail!("the log holds no event of job {job}");
        }
        if let Some(device) = filter.device {
            bail!("the log holds no event of device {device}");
        }
    }
    eprintln!("{written} event(s) from {}", args.store.describe());
    Ok(())
}
