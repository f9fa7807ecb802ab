//! `ApiError`, the one error type of both HTTP APIs, and its response: the seed's error body
//! with the status from `status_for` and the request's correlation id.

use crate::correlation::current_correlation_id;
use crate::error_body::{ErrorBody, ErrorDetail, status_for};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use thiserror::Error;

/// Everything an API request can fail with.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The request is malformed; `details` says where.
    #[error("{message}")]
    Invalid {
        /// What is wrong.
        message: String,
        /// Where (field, position, ...).
        details: Value,
    },
    /// A search query does not parse.
    #[error("{message}")]
    InvalidQuery {
        /// What is wrong.
        message: String,
        /// Where.
        details: Value,
    },
    /// No or bad credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Authenticated, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing at that address.
    #[error("{0}")]
    NotFound(String),
    /// The state forbids the request (already exists, illegal transition, version conflict).
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than allowed.
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit.
        limit: usize,
    },
    /// The body is not JSON (wrong content type).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A secret can no longer be decrypted because its key was removed.
    #[error("{0}")]
    SecretShredded(String),
    /// The event log refused or failed.
    #[error(transparent)]
    Event(#[from] netraven_events::Error),
    /// A dependency is not ready.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an environment failure; the message stays in the application log.
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 for field `field`.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        ApiError::Invalid { details: json!({ "field": field, "reason": message.clone() }), message: format!("{field}: {message}") }
    }

    /// The stable error code.
    pub fn code(&self) -> &str {
        match self {
            ApiError::Invalid { .. } => "INVALID_INPUT",
            ApiError::InvalidQuery { .. } => "INVALID_QUERY",
            ApiError::Unauthorized(_) => "UNAUTHORIZED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            ApiError::UnsupportedMediaType(_) => "UNSUPPORTED_MEDIA_TYPE",
            ApiError::SecretShredded(_) => "SECRET_SHREDDED",
            ApiError::Event(e) => e.code(),
            ApiError::Unavailable(_) => "UNAVAILABLE",
            ApiError::Internal(_) => "INTERNAL",
        }
    }

    /// The seed's error body for this error.
    pub fn body(&self) -> ErrorBody {
        let correlation_id = current_correlation_id().unwrap_or_default();
        if let ApiError::Event(e) = self {
            return ErrorBody::from_event_error(e, &correlation_id);
        }
        let internal = status_for(self.code()) >= 500;
        let details = match self {
            ApiError::Invalid { details, .. } | ApiError::InvalidQuery { details, .. } => details.clone(),
            ApiError::PayloadTooLarge { limit } => json!({ "limit_bytes": limit }),
            _ => json!({}),
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: if internal { "internal error".into() } else { self.to_string() },
                details,
                correlation_id,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(status_for(self.code())).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::error!(code = self.code(), error = %self, "request failed");
        }
        let mut response = (status, axum::Json(self.body())).into_response();
        if let ApiError::Unauthorized(_) = self {
            response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The answer to a route that does not exist.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

/// The answer to a route that exists with another method.
pub async fn method_not_allowed() -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: "METHOD_NOT_ALLOWED".into(),
            message: "this route does not accept that method".into(),
            details: json!({}),
            correlation_id: current_correlation_id().unwrap_or_default(),
        },
    };
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}
