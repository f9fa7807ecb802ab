//! `netraven projector`: the read-side projections on their own: the SQLite views and the
//! search index follow the log until Ctrl-C or SIGTERM; `--rebuild` deletes both and replays
//! the whole log into them with a progress bar, then merges the index's segments.

use crate::read_side::{index_dir, spawn_projections, views_path};
use crate::store::StoreArgs;
use anyhow::{Context, Result};
use netraven_search::IndexerSettings;
use crate::progress::Progress;
use std::time::Instant;

/// Settings of `projector`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Delete the views and the index and rebuild both from the whole log, then exit.
    #[arg(long)]
    rebuild: bool,
    /// Memory the rebuild may buffer in the search index's writer before it writes a segment,
    /// in MiB (default: that of `IndexerSettings::bulk`, 1 GiB): more means fewer, larger
    /// segments and less to merge at the end.
    #[arg(long, value_parser = clap::value_parser!(u32).range(64..=4000), requires = "rebuild")]
    index_memory_mib: Option<u32>,
}

/// Runs the projector.
pub async fn run(args: Args) -> Result<()> {
    let data = args.store.data_dir.clone();
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create the data folder {}", data.display()))?;
    let log = args.store.open().await?;
    if !args.rebuild {
        let (stop, shutdown) = tokio::sync::watch::channel(false);
        let mut tasks = tokio::task::JoinSet::new();
        spawn_projections(&mut tasks, log, &data, shutdown)?;
        tracing::info!(store = %args.store.describe(), "projector running");
        crate::wiring::shutdown_signal().await;
        stop.send_replace(true);
        while tasks.join_next().await.is_some() {}
        return Ok(());
    }
    let started = Instant::now();
    let total: u64 = log.head().await?.partitions().map(|(_, next)| next).sum();
    let mut bar = Progress::new("views", "events");
    let views = netraven_projector::rebuild(views_path(&data), log.clone(), |p| bar.update(p.done, p.total, "")).await?;
    bar.finish();
    let index_started = Instant::now();
    let mut bar = Progress::new("index", "events");
    let mut settings = IndexerSettings::bulk();
    if let Some(mib) = args.index_memory_mib {
        settings.memory_budget_bytes = (mib as usize) << 20;
    }
    let (indexer, merge) = netraven_search::rebuild(index_dir(&data), settings, log, |position| {
        bar.update(position.partitions().map(|(_, next)| next).sum(), total, "");
    })
    .await?;
    bar.update(total, total, "");
    bar.finish();
    let rate = |events: u64, since: Instant| events as f64 / since.elapsed().as_secs_f64().max(1e-9);
    let index_rate = rate(total, index_started);
    let merge_started = Instant::now();
    tokio::task::spawn_blocking(move || merge.wait()).await??;
    // Its writer ran the merge: it is closed only once the merge is done.
    drop(indexer);
    println!(
        "rebuilt from {} events: views {:.0} events/s, search index {:.0} events/s (then merged in {:.1} s), {:.1} s in all",
        views.done,
        rate(views.done, started),
        index_rate,
        merge_started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
