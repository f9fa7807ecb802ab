//! `netraven audit seal|verify`: tamper evidence for the event log. `seal` signs the hash
//! chain of every partition into a checkpoint kept in the data folder; `verify` recomputes the
//! chain from the log, checks every checkpoint and says where the log differs. `serve` also
//! seals periodically.

use super::replay::open_for_reading;
use crate::secrets;
use crate::store::StoreArgs;
use anyhow::{Result, bail};
use netraven_audit::{AuditKey, CheckpointStore};
use netraven_events::EventLog;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Where the audit key comes from when the environment does not give it.
const KEY_ENV: &str = crate::config_file::env::AUDIT_KEY;
const KEY_FILE: &str = "audit.key";

/// Tamper-evidence commands.
#[derive(clap::Subcommand)]
pub enum Command {
    /// Seal everything in the log now into a new signed checkpoint.
    Seal {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Check the log against every checkpoint; exits non-zero when anything was altered,
    /// deleted, inserted or reordered.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs an audit command.
pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Seal { store } => {
            let key = key(store.data_dir.clone(), true).await?;
            let log = open_for_reading(&store).await?;
            let checkpoint = netraven_audit::seal(&*log, &CheckpointStore::in_data_dir(&store.data_dir), &key).await?;
            let heads: Vec<String> = checkpoint.sealed.heads.iter().map(|h| format!("partition {}: {} events through offset {}", h.partition, h.count, h.last_offset)).collect();
            println!("sealed checkpoint #{} ({})", checkpoint.sealed.number, if heads.is_empty() { "empty log".into() } else { heads.join("; ") });
        }
        Command::Verify { store, json } => {
            let key = key(store.data_dir.clone(), false).await?;
            let log = open_for_reading(&store).await?;
            let report = netraven_audit::verify(&*log, &CheckpointStore::in_data_dir(&store.data_dir), &key).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for finding in &report.findings {
                    println!("{finding}");
                }
                println!("{} checkpoint(s), {} event(s) read, {} not yet sealed", report.checkpoints, report.events, report.unsealed);
            }
            if !report.is_intact() {
                bail!("the event log FAILED verification: {} finding(s)", report.findings.len());
            }
            println!("intact");
        }
    }
    Ok(())
}

/// The audit key: `NETRAVEN_AUDIT_KEY`, else `audit.key` in the data folder; `seal` creates
/// that file (mode 0600) the first time, `verify` never does. File access runs on the blocking pool.
async fn key(dir: PathBuf, create: bool) -> Result<AuditKey> {
    tokio::task::spawn_blocking(move || {
        let in_env = std::env::var(KEY_ENV).is_ok_and(|v| !v.trim().is_empty());
        let file = dir.join(KEY_FILE);
        if !create && !in_env && !file.exists() {
            bail!("no audit key: set {KEY_ENV} or provide {} (written by `netraven audit seal`)", file.display());
        }
        let text = secrets::setting(KEY_ENV, &dir, KEY_FILE, secrets::random_text)?;
        Ok(AuditKey::from_text(&text)?)
    })
    .await?
}

/// Seals the log into a new checkpoint every `every` until `shutdown` (what `serve` runs, so
/// a one-machine deployment is tamper-evident without a cron job).
pub async fn seal_every(log: Arc<dyn EventLog>, dir: PathBuf, every: Duration, mut shutdown: watch::Receiver<bool>) {
    let key = match key(dir.clone(), true).await {
        Ok(key) => key,
        Err(err) => return tracing::error!(err = %format!("{err:#}"), "no periodic audit seals"),
    };
    let store = CheckpointStore::in_data_dir(&dir);
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        match netraven_audit::seal(&*log, &store, &key).await {
            Ok(checkpoint) => tracing::info!(number = checkpoint.sealed.number, "sealed an audit checkpoint of the event log"),
            Err(err) => tracing::error!(%err, "sealing an audit checkpoint failed"),
        }
    }
}
