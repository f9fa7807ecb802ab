//! Prometheus metrics of the query API: requests by route, method and status, and the
//! projector's lag and applied events read from the views at scrape time.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use netraven_projector::Lag;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::QueryState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// The registry and its metrics.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    lag_events: Gauge,
    applied_events: Gauge,
    last_applied_age: Gauge,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("netraven");
        let requests = Family::<RequestLabels, Counter>::default();
        let (lag_events, applied_events, last_applied_age) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register("query_requests", "HTTP requests served by the query API", requests.clone());
        registry.register("projector_lag_events", "Events in the log not yet applied to the views", lag_events.clone());
        registry.register("projector_applied_events", "Events applied to the views", applied_events.clone());
        registry.register(
            "projector_last_applied_age_seconds",
            "Seconds since the projector last committed (-1 if never)",
            last_applied_age.clone(),
        );
        Metrics { registry, requests, lag_events, applied_events, last_applied_age }
    }

    /// The OpenMetrics text, with the projector gauges set from `lag`.
    pub(crate) fn render(&self, lag: Option<&Lag>) -> String {
        if let Some(lag) = lag {
            self.lag_events.set(lag.events_behind as i64);
            self.applied_events.set(lag.status.applied_events as i64);
            let age = lag.status.last_applied_at.map_or(-1, |t| (chrono::Utc::now() - t).num_seconds().max(0));
            self.last_applied_age.set(age);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }
}

/// Middleware counting each request by its route template.
pub(crate) async fn track(State(state): State<QueryState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let labels = RequestLabels { route, method, status: response.status().as_u16() };
    state.metrics().requests.get_or_create(&labels).inc();
    response
}
