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
fn stopped(mut shutdown: watch::Receiver<bool>) -> impl std::future::Future<Output = ()> + Send {
    async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
    }
}

/// Starts the projector and the indexer on `tasks` and returns the query API's routes.
pub fn start(tasks: &mut JoinSet<()>, log: Arc<dyn EventLog>, data: &Path, auth: Arc<Authenticator>, shutdown: watch::Receiver<bool>) -> Result<axum::Router> {
    let views = data.join("views.db");
    let projector = netraven_projector::Projector::open(&views).with_context(|| format!("cannot open the views {}", views.display()))?;
    let (projector_log, projector_stop) = (log.clone(), stopped(shutdown.clone()));
    tasks.spawn(async move {
        if let Err(err) = projector.run(projector_log, projector_stop).await {
            tracing::error!(%err, "the projector stopped");
        }
    });
    let index_dir = data.join("index");
    std::fs::create_dir_all(&index_dir)?;
    let indexer = Indexer::open(&index_dir, IndexerSettings::default()).with_context(|| format!("cannot open the search index {}", index_dir.display()))?;
    let searcher = Searcher::open(&index_dir)?;
    let (indexer_log, indexer_stop) = (log.clone(), stopped(shutdown));
    tasks.spawn(async move {
        if let Err(err) = indexer.run(indexer_log, indexer_stop).await {
            tracing::error!(%err, "the search indexer stopped");
        }
    });
    let state = netraven_query_api::QueryState::new(views, log, auth);
    Ok(netraven_query_api::routes(state).merge(netraven_query_api::search_routes(searcher)))
}
