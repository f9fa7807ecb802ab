//! The seed's error format, `{"error": {"code", "message", "details", "correlation_id"}}`, and
//! the one place where error codes map to HTTP statuses.

use serde::{Deserialize, Serialize};

/// An error response body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The fields of an error response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code (`CONFLICT`, `INVALID_INPUT`, ...).
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Additional context.
    pub details: serde_json::Value,
    /// The request's correlation id.
    pub correlation_id: String,
}

impl ErrorBody {
    /// A body for an event-log error met while serving request `correlation_id`.
    pub fn from_event_error(err: &netraven_events::Error, correlation_id: &str) -> Self {
        let internal = status_for(err.code()) >= 500;
        ErrorBody {
            error: ErrorDetail {
                code: err.code().to_string(),
                // Internal details stay in the application log, found by correlation id.
                message: if internal { "internal error".to_string() } else { err.to_string() },
                details: serde_json::json!({}),
                correlation_id: correlation_id.to_string(),
            },
        }
    }
}

/// The HTTP status of an error code.
pub fn status_for(code: &str) -> u16 {
    match code {
        "INVALID_INPUT" => 400,
        "UNAUTHORIZED" => 401,
        "FORBIDDEN" => 403,
        "NOT_FOUND" => 404,
        "CONFLICT" | "ILLEGAL_TRANSITION" => 409,
        "INVALID_QUERY" => 400,
        "METHOD_NOT_ALLOWED" => 405,
        "UNSUPPORTED_MEDIA_TYPE" => 415,
        "SECRET_SHREDDED" => 410,
        "UNAVAILABLE" => 503,
        "PAYLOAD_TOO_LARGE" => 413,
        "WRITER_FENCED" | "CLOSED" | "KAFKA_ERROR" => 503,
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_are_409_with_the_seed_shape_and_internals_are_hidden() {
        let conflict = netraven_events::Error::Conflict { stream: "job-1".into(), expected: "1".into(), actual: "2".into() };
        assert_eq!(status_for(conflict.code()), 409);
        let body = serde_json::to_value(ErrorBody::from_event_error(&conflict, "corr-9")).unwrap();
        assert_eq!(body["error"]["code"], "CONFLICT");
        assert_eq!(body["error"]["correlation_id"], "corr-9");
        assert!(body["error"]["message"].as_str().unwrap().contains("job-1"));

        let store = netraven_events::Error::Corrupt { at: "position 7".into(), reason: "secret detail".into() };
        let body = ErrorBody::from_event_error(&store, "corr-9");
        assert_eq!(status_for(store.code()), 500);
        assert_eq!(body.error.message, "internal error");
    }
}
