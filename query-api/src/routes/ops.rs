//! `/healthz` (the process serves), `/readyz` (views open and the projector caught up) and
//! `/metrics` (Prometheus); none needs a token.

use crate::QueryState;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use netraven_api::{ApiError, Json};
use serde_json::{Value, json};

/// `GET /healthz`.
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: 200 when the views open and lag at most the configured number of events.
pub(crate) async fn readyz(State(state): State<QueryState>) -> Result<Json<Value>, ApiError> {
    let lag = state.lag().await?;
    if lag.events_behind > state.max_ready_lag() {
        return Err(ApiError::Unavailable(format!(
            "the projector is {} events behind the log (ready at {} or fewer)",
            lag.events_behind,
            state.max_ready_lag()
        )));
    }
    Ok(Json(json!({ "status": "ready", "projector": lag })))
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(state): State<QueryState>) -> impl IntoResponse {
    let lag = state.lag().await.inspect_err(|e| tracing::warn!(error = %e, "projector lag unavailable for metrics")).ok();
    let text = state.metrics().render(lag.as_ref());
    ([(CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text)
}
