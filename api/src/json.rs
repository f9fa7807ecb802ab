//! `Json<T>`: axum's JSON extractor with its rejections in the seed's error format (400 that
//! says where the body is wrong, 413 over the size limit, 415 without a JSON content type).

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A JSON body (request) or JSON response.
#[derive(Clone, Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(rejected(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn rejected(rejection: JsonRejection) -> ApiError {
    use axum::http::StatusCode;
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::UnsupportedMediaType("the body must be JSON (Content-Type: application/json)".into())
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit: crate::BODY_LIMIT },
        JsonRejection::JsonDataError(e) => ApiError::Invalid {
            message: format!("the body does not match the expected shape: {}", e.body_text()),
            details: serde_json::json!({ "reason": e.body_text() }),
        },
        JsonRejection::JsonSyntaxError(e) => ApiError::Invalid {
            message: format!("the body is not valid JSON: {}", e.body_text()),
            details: serde_json::json!({ "reason": e.body_text() }),
        },
        other => ApiError::Invalid { message: other.body_text(), details: serde_json::json!({}) },
    }
}
