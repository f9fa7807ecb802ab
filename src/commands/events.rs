//! `netraven events append|read`: write one event, or print events as CloudEvents JSON lines.

use crate::store::StoreArgs;
use anyhow::{Context, Result, bail};
use netraven_events::{AppendBatch, Cause, Event, EventData, ExpectedVersion, Position, StreamId};
use std::io::Write;

/// Event log commands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Append one event, validated against the catalog; prints where it landed.
    Append {
        #[command(flatten)]
        store: StoreArgs,
        /// Versioned event type (`netraven.device.registered.v1`).
        #[arg(long = "type")]
        event_type: String,
        /// The payload as JSON.
        #[arg(long)]
        data: String,
        /// Who appends it.
        #[arg(long, env = "NETRAVEN_ACTOR", default_value = "cli")]
        actor: String,
        /// Correlation id (a new one if absent).
        #[arg(long)]
        correlation_id: Option<String>,
        /// Expected version of the event's stream: a number, or `none` for a new stream.
        #[arg(long)]
        expect_version: Option<String>,
    },
    /// Print events as structured-mode CloudEvents JSON, one per line.
    Read {
        #[command(flatten)]
        store: StoreArgs,
        /// Only this stream (`job-<uuid>`, `device-<uuid>`, ...).
        #[arg(long)]
        stream: Option<String>,
        /// Start after this position (`partition:offset,...`, as printed by `append`).
        #[arg(long, default_value = "")]
        from: String,
        /// Keep following new events.
        #[arg(long)]
        follow: bool,
    },
}

/// Runs an event command.
pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Append { store, event_type, data, actor, correlation_id, expect_version } => {
            let value: serde_json::Value = serde_json::from_str(&data).context("--data is not valid JSON")?;
            let data = EventData::from_value(&event_type, value)
                .with_context(|| format!("--data is not a valid {event_type} payload"))?;
            let cause = Cause {
                source: "/netraven/cli".into(),
                actor,
                correlation_id: correlation_id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
                causation_id: None,
            };
            let event = Event::new(data, &cause);
            let mut batch = AppendBatch::new(vec![event.clone()]);
            if let Some(expected) = expect_version {
                batch = batch.expect(event.stream_id.clone(), parse_expected(&expected)?);
            }
            let log = store.open().await?;
            let appended = log.append(batch).await?[0];
            let mut position = Position::start();
            position.advance(appended.partition, appended.offset);
            println!(
                "{}",
                serde_json::json!({
                    "id": event.id,
                    "stream": event.stream_id.as_str(),
                    "stream_version": appended.stream_version,
                    "position": position.to_string(),
                })
            );
        }
        Command::Read { store, stream, from, follow } => {
            let log = store.open().await?;
            let mut out = std::io::stdout().lock();
            if let Some(stream) = stream {
                for recorded in log.read_stream(&StreamId::new(stream), 1).await? {
                    writeln!(out, "{}", serde_json::to_string(&recorded.event)?)?;
                }
                return Ok(());
            }
            let from: Position = from.parse()?;
            let mut sub = if follow { log.subscribe(from).await? } else { log.read_all(from).await? };
            while let Some(recorded) = sub.next().await {
                writeln!(out, "{}", serde_json::to_string(&recorded?.event)?)?;
                out.flush()?;
            }
        }
    }
    Ok(())
}

fn parse_expected(text: &str) -> Result<ExpectedVersion> {
    if text == "none" {
        return Ok(ExpectedVersion::NoStream);
    }
    match text.parse() {
        Ok(v) => Ok(ExpectedVersion::Exact(v)),
        Err(_) => bail!("--expect-version must be a number or `none`, not `{text}`"),
    }
}
