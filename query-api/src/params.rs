//! Query-string parameters: parsed one by one so that a bad value is a 400 naming the
//! parameter, and an unknown parameter is refused rather than silently ignored.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use netraven_api::ApiError;
use netraven_projector::read::Cursor;
use std::collections::HashMap;

/// Default page size.
pub const DEFAULT_LIMIT: usize = 50;
/// Largest page size.
pub const MAX_LIMIT: usize = 500;

/// The request's query parameters.
pub(crate) struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let pairs = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map_err(|e| ApiError::Invalid { message: format!("bad query string: {e}"), details: serde_json::json!({}) })?;
        let mut map: HashMap<String, String> = HashMap::new();
        for (k, v) in pairs.0 {
            map.entry(k).and_modify(|old| *old = format!("{old},{v}")).or_insert(v);
        }
        Ok(Params(map))
    }
}

impl Params {
    /// Refuses any parameter not in `accepted`.
    pub(crate) fn accept(&self, accepted: &[&str]) -> Result<&Self, ApiError> {
        match self.0.keys().find(|k| !accepted.contains(&k.as_str())) {
            Some(unknown) => Err(ApiError::invalid(unknown, format!("unknown parameter (accepted: {})", accepted.join(", ")))),
            None => Ok(self),
        }
    }

    /// A non-empty text value.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// A comma-separated list (repeated parameters are joined).
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.text(name).map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()).unwrap_or_default()
    }

    /// A list whose every item must be one of `allowed`.
    pub(crate) fn list_of(&self, name: &str, allowed: &[&str]) -> Result<Vec<String>, ApiError> {
        let items = self.list(name);
        match items.iter().find(|i| !allowed.contains(&i.as_str())) {
            Some(bad) => Err(ApiError::invalid(name, format!("`{bad}` is not one of {}", allowed.join(", ")))),
            None => Ok(items),
        }
    }

    /// One value out of `allowed`.
    pub(crate) fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        let mut items = self.list_of(name, allowed)?;
        if items.len() > 1 {
            return Err(ApiError::invalid(name, "takes one value"));
        }
        Ok(items.pop())
    }

    /// An RFC 3339 time.
    pub(crate) fn time(&self, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.text(name)
            .map(|v| {
                DateTime::parse_from_rfc3339(&v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| ApiError::invalid(name, format!("`{v}` is not an RFC 3339 time: {e}")))
            })
            .transpose()
    }

    /// `true` or `false` (absent: `false`).
    pub(crate) fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.text(name).as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(ApiError::invalid(name, format!("`{other}` is not true or false"))),
        }
    }

    /// A non-negative integer.
    pub(crate) fn number(&self, name: &str) -> Result<Option<u64>, ApiError> {
        self.text(name).map(|v| v.parse().map_err(|_| ApiError::invalid(name, format!("`{v}` is not a non-negative integer")))).transpose()
    }

    /// An id (a UUID), returned in its canonical text form.
    pub(crate) fn id(&self, name: &str) -> Result<Option<String>, ApiError> {
        self.text(name).map(|v| parse_id(name, &v)).transpose()
    }

    /// The page size (`limit`, 1 to 500, default 50).
    pub(crate) fn limit(&self) -> Result<usize, ApiError> {
        match self.number("limit")? {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT as u64).contains(&n) => Ok(n as usize),
            Some(_) => Err(ApiError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}"))),
        }
    }

    /// The `cursor` of the previous page.
    pub(crate) fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        self.text("cursor").map(|v| Cursor::decode(&v).ok_or_else(|| ApiError::invalid("cursor", "not a cursor returned by this API"))).transpose()
    }
}

/// Parses an id given as a path segment or parameter.
pub(crate) fn parse_id(name: &str, text: &str) -> Result<String, ApiError> {
    text.parse::<uuid::Uuid>().map(|u| u.to_string()).map_err(|_| ApiError::invalid(name, format!("`{text}` is not an id (UUID)")))
}
