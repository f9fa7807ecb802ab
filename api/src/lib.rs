//! What NetRaven's HTTP APIs (the write API and the query API) share: the seed's error format
//! and the one map from errors to HTTP statuses, correlation ids, JWT authentication, roles and
//! the seed's permission checks, and password hashing for the built-in user store.

pub mod auth;
pub mod correlation;
pub mod error;
pub mod error_body;
pub mod json;
pub mod password;

pub use auth::{Action, Authenticator, Principal, Role, TokenConfig};
pub use correlation::{CorrelationId, correlation_layer, current_correlation_id};
pub use error::ApiError;
pub use error_body::{ErrorBody, ErrorDetail, status_for};
pub use json::Json;

/// The largest request body either API accepts (bulk imports included), in bytes.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;
