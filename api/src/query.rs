//! `Query<T>`: axum's query-string extractor with its rejection in the seed's error format
//! (a 400 naming the parameter that is wrong).

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Query parameters.
#[derive(Clone, Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => {
                let reason = rejection.body_text();
                let reason = reason.strip_prefix("Failed to deserialize query string: ").unwrap_or(&reason).to_string();
                Err(ApiError::Invalid { message: format!("bad query parameters: {reason}"), details: serde_json::json!({ "reason": reason }) })
            }
        }
    }
}
