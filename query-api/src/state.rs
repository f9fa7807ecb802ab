//! The query API's shared state: a pool of read-only view connections used on the blocking
//! pool, the event log (read only), the token verifier and the metrics.

use crate::metrics::Metrics;
use netraven_api::{ApiError, Authenticator};
use netraven_events::EventLog;
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Largest projector lag (in events) at which `/readyz` still answers ready.
pub const DEFAULT_MAX_READY_LAG: u64 = 1_000;

/// What every route handler shares.
#[derive(Clone)]
pub struct QueryState {
    inner: Arc<Inner>,
}

struct Inner {
    views_path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    log: Arc<dyn EventLog>,
    authenticator: Arc<Authenticator>,
    metrics: Metrics,
    max_ready_lag: u64,
}

impl QueryState {
    /// State over the view database at `views_path` (written by the projector), the event log
    /// (only read), and the verifier of bearer tokens.
    pub fn new(views_path: impl Into<PathBuf>, log: Arc<dyn EventLog>, authenticator: Arc<Authenticator>) -> Self {
        Self::with_max_ready_lag(views_path, log, authenticator, DEFAULT_MAX_READY_LAG)
    }

    /// Like [`QueryState::new`], with the lag `/readyz` tolerates.
    pub fn with_max_ready_lag(
        views_path: impl Into<PathBuf>,
        log: Arc<dyn EventLog>,
        authenticator: Arc<Authenticator>,
        max_ready_lag: u64,
    ) -> Self {
        let inner = Inner {
            views_path: views_path.into(),
            readers: Mutex::new(Vec::new()),
            log,
            authenticator,
            metrics: Metrics::new(),
            max_ready_lag,
        };
        QueryState { inner: Arc::new(inner) }
    }

    /// Runs `f` with a pooled read connection on the blocking pool.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> netraven_projector::Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        let result = tokio::task::spawn_blocking(move || {
            let pooled = inner.readers.lock().expect("reader pool poisoned").pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => netraven_projector::read::open(&inner.views_path)?,
            };
            let result = f(&conn);
            inner.readers.lock().expect("reader pool poisoned").push(conn);
            result
        })
        .await
        .map_err(|e| ApiError::Internal(format!("view reader task failed: {e}")))?;
        result.map_err(views_error)
    }

    /// How far the views are behind the log.
    pub(crate) async fn lag(&self) -> Result<netraven_projector::Lag, ApiError> {
        netraven_projector::lag(&self.inner.views_path, &*self.inner.log).await.map_err(views_error)
    }

    pub(crate) fn log(&self) -> &Arc<dyn EventLog> {
        &self.inner.log
    }

    pub(crate) fn authenticator(&self) -> Arc<Authenticator> {
        self.inner.authenticator.clone()
    }

    pub(crate) fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    pub(crate) fn max_ready_lag(&self) -> u64 {
        self.inner.max_ready_lag
    }
}

/// The API error for a failed view read.
pub(crate) fn views_error(err: netraven_projector::Error) -> ApiError {
    use netraven_projector::Error;
    let cannot_open = matches!(&err, Error::Store(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::CannotOpen);
    match err {
        Error::Invalid { field, message } => ApiError::invalid(field, message),
        err if cannot_open || err.is_missing_views() => ApiError::Unavailable(format!("the views are not built yet: {err}")),
        Error::Event(e) => ApiError::Event(e),
        err => ApiError::Internal(err.to_string()),
    }
}
