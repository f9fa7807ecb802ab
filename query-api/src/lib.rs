//! NetRaven's query API: serves the read side over HTTP and never writes to the event log.
//!
//! [`router`] gives every route under `/api/v1/`; the lead binary serves it. Views come from
//! the projector's SQLite file (read-only connections on the blocking pool), raw events from
//! the event log (read only).
#![warn(missing_docs)]

pub mod diff;
mod metrics;
pub mod openapi;
mod params;
mod public_event;
mod routes;
mod search_routes;
mod state;

pub use search_routes::{SearchParams, routes as search_routes};
pub use state::{DEFAULT_MAX_READY_LAG, QueryState};

use axum::Router;
use axum::routing::get;
use routes::{audit, configs, devices, jobs, ops, registry, stream};

/// The query API as a complete server: [`routes`] wrapped by `netraven_api::finish`
/// (correlation ids, bearer-token authentication, seed-format 404/405 fallbacks).
pub fn router(state: QueryState) -> Router {
    let auth = state.authenticator();
    netraven_api::finish(routes(state), auth)
}

/// The query API's routes with request metrics, to merge with other APIs' routes before
/// `netraven_api::finish`.
pub fn routes(state: QueryState) -> Router {
    let probes = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics));
    let api = Router::new()
        .route("/jobs", get(jobs::list))
        .route("/jobs/{id}", get(jobs::detail))
        .route("/jobs/{id}/logs", get(jobs::logs))
        .route("/jobs/{id}/events", get(jobs::events))
        .route("/devices", get(devices::list))
        .route("/devices/{id}", get(devices::detail))
        .route("/devices/{id}/jobs", get(devices::jobs))
        .route("/devices/{id}/configs", get(configs::versions))
        .route("/devices/{id}/configs/diff", get(configs::diff))
        .route("/devices/{id}/configs/{version}", get(configs::version))
        .route("/credentials", get(registry::credentials))
        .route("/schedules", get(registry::schedules))
        .route("/audit/timeline", get(audit::timeline))
        .route("/events/stream", get(stream::events))
        .merge(probes.clone());
    Router::new()
        .nest("/api/v1", api)
        .merge(probes)
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}
