//! What NetRaven's HTTP APIs (the write API and the query API) share: the seed's error format
//! and the one map from errors to HTTP statuses, correlation ids, JWT authentication, roles and
//! the seed's permission checks, and password hashing for the built-in user store.
#![warn(missing_docs)]

pub mod auth;
pub mod correlation;
pub mod error;
pub mod error_body;
pub mod json;
pub mod openapi;
pub mod password;
pub mod query;

pub use auth::{Action, Authenticator, Principal, Role, TokenConfig};
pub use correlation::{CorrelationId, correlation_layer, current_correlation_id};
pub use error::ApiError;
pub use error_body::{ErrorBody, ErrorDetail, status_for};
pub use json::Json;
pub use query::Query;

/// The largest request body either API accepts (bulk imports included), in bytes.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Wraps the routes of one or more APIs (merged) with what every NetRaven HTTP server has:
/// seed-format 404 and 405 answers, the body size limit, the authenticator for `Principal`,
/// and correlation ids.
pub fn finish(routes: axum::Router, auth: std::sync::Arc<Authenticator>) -> axum::Router {
    routes
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::Extension(auth))
        .layer(axum::middleware::from_fn(correlation_layer))
}
