//! Correlation ids: taken from `X-Correlation-ID` (or made), available to handlers and error
//! bodies for the whole request, and echoed on every response.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The request header and response header name.
pub const HEADER: &str = "x-correlation-id";

tokio::task_local! {
    static CURRENT: String;
}

/// The correlation id of the request being served, as an extractor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrelationId(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CorrelationId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<CorrelationId>().cloned().unwrap_or_else(|| CorrelationId(uuid::Uuid::now_v7().to_string())))
    }
}

/// The correlation id of the request this task serves, if any.
pub fn current_correlation_id() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// A usable id from the header: printable ASCII, at most 128 characters.
fn from_header(value: Option<&HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?.trim();
    let usable = !text.is_empty() && text.len() <= 128 && text.bytes().all(|b| b.is_ascii_graphic());
    usable.then(|| text.to_string())
}

/// Middleware (`axum::middleware::from_fn(correlation_layer)`) that assigns the id.
pub async fn correlation_layer(mut request: Request, next: Next) -> Response {
    let id = from_header(request.headers().get(HEADER)).unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    request.extensions_mut().insert(CorrelationId(id.clone()));
    let mut response = CURRENT.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_printable_bounded_ids_are_taken() {
        assert_eq!(from_header(Some(&HeaderValue::from_static("abc-123"))), Some("abc-123".into()));
        assert_eq!(from_header(Some(&HeaderValue::from_static(""))), None);
        assert_eq!(from_header(Some(&HeaderValue::from_str(&"x".repeat(129)).unwrap())), None);
        assert_eq!(from_header(None), None);
    }
}
