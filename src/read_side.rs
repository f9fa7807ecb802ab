//! The read side of a server: the projector (SQLite views) and the search indexer (Tantivy),
//! each following the log from its own stored position in the background, and the query API
//! routes over both.

use anyhow::{Context, Result};
use netraven_api::Authenticator;
use netraven_events::EventLog;
use netraven_search::{Indexer, IndexerSettings, Searcher};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// A future that resolves when `shutdown` turns true.
pub fn stopped(mut shutdown: watch::Receiver<bool>) -> impl std::future::Future<Output = ()> + Send {
    async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    }
}

/// The views' file in a data folder.
pub fn views_path(data: &Path) -> std::path::PathBuf {
    data.join("views.db")
}

/// The search index's folder in a data folder.
pub fn index_dir(data: &Path) -> std::path::PathBuf {
    data.join("index")
}

/// Starts the projector and the indexer on `tasks` and returns the query API's routes.
pub fn start(tasks: &mut JoinSet<()>, log: Arc<dyn EventLog>, data: &Path, auth: Arc<Authenticator>, shutdown: watch::Receiver<bool>) -> Result<axum::Router> {
    let searcher = spawn_projections(tasks, log.clone(), data, shutdown)?;
    let state = netraven_query_api::QueryState::new(views_path(data), log, auth);
    Ok(netraven_query_api::routes(state).merge(netraven_query_api::search_routes(searcher)))
}

/// Starts the projector and the search indexer on `tasks`, each following the log from its
/// stored position until `shutdown`; returns a searcher over the index.
pub fn spawn_projections(tasks: &mut JoinSet<()>, log: Arc<dyn EventLog>, data: &Path, shutdown: watch::Receiver<bool>) -> Result<Searcher> {
    let views = views_path(data);
    let projector = netraven_projector::Projector::open(&views).with_context(|| format!("cannot open the views {}", views.display()))?;
    let (projector_log, projector_stop) = (log.clone(), stopped(shutdown.clone()));
    tasks.spawn(async move {
        if let Err(err) = projector.run(projector_log, projector_stop).await {
            tracing::error!(%err, "the projector stopped");
        }
    });
    let index_dir = index_dir(data);
    std::fs::create_dir_all(&index_dir)?;
    let indexer = Indexer::open(&index_dir, IndexerSettings::default()).with_context(|| format!("cannot open the search index {}", index_dir.display()))?;
    let searcher = Searcher::open(&index_dir)?;
    let indexer_stop = stopped(shutdown);
    tasks.spawn(async move {
        if let Err(err) = indexer.run(log, indexer_stop).await {
            tracing::error!(%err, "the search indexer stopped");
        }
    });
    Ok(searcher)
}
