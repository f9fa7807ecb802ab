//! `netraven serve`: runs NetRaven on one machine. Today that is the event backbone: it opens
//! the event log (embedded by default) and follows it, logging every event as it is appended.

use crate::store::StoreArgs;
use anyhow::Result;

/// Settings of `serve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
}

/// Runs until Ctrl-C or SIGTERM.
pub async fn run(args: Args) -> Result<()> {
    let log = args.store.open().await?;
    let head = log.head().await?;
    tracing::info!(store = %args.store.describe(), position = %head, "netraven is running; following the event log");
    let mut sub = log.subscribe(head).await?;
    loop {
        tokio::select! {
            next = sub.next() => match next {
                Some(Ok(recorded)) => tracing::info!(
                    event_type = recorded.event.event_type(),
                    stream = %recorded.event.stream_id,
                    version = recorded.event.stream_version,
                    actor = %recorded.event.actor,
                    correlation_id = %recorded.event.correlation_id,
                    position = %sub.position(),
                    "event appended"
                ),
                Some(Err(err)) => return Err(err.into()),
                None => return Ok(()),
            },
            _ = shutdown_signal() => {
                tracing::info!(position = %sub.position(), "shutting down");
                return Ok(());
            }
        }
    }
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
