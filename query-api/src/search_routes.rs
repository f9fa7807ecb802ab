//! `GET /logs/search` and `GET /configs/search`: Tantivy query syntax plus filters over the
//! search index, highlighted snippets, total hits and cursor pages. A malformed query is a 400
//! (`INVALID_QUERY`) that says at which position it goes wrong. Log search needs the right to
//! read log details; a caller with a device scope only ever sees their devices' documents.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{DateTime, Utc};
use netraven_api::{Action, ApiError, Json, Principal, Query};
use netraven_search::{Kind, SearchPage, SearchRequest, Searcher, Sort};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Query parameters of both searches; list filters are comma-separated.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Tantivy query syntax (`"ip route" AND 10.0.0.1`, `GigabitEthernet0/1 -shutdown`, ...).
    #[serde(default)]
    pub q: String,
    /// Kinds: `log`, `output`, `config` (log search only).
    pub kind: Option<String>,
    /// Log levels: `DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`.
    pub level: Option<String>,
    /// Job ids.
    pub job_id: Option<String>,
    /// Device ids.
    pub device_id: Option<String>,
    /// Device tags (any of them).
    pub tag: Option<String>,
    /// Job types: `backup`, `command`, `detect`.
    pub job_type: Option<String>,
    /// From this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// `relevance` (default), `time_desc` or `time_asc`.
    pub sort: Option<String>,
    /// Page size (1 to 1000, default 20).
    pub limit: Option<usize>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Config search: only each device's current configuration.
    #[serde(default)]
    pub latest_only: bool,
}

fn list<T: DeserializeOwned>(name: &str, value: &Option<String>) -> Result<Vec<T>, ApiError> {
    let Some(value) = value else { return Ok(Vec::new()) };
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| serde_json::from_value(serde_json::Value::String(v.to_string())).map_err(|_| ApiError::invalid(name, format!("`{v}` is not a valid value"))))
        .collect()
}

fn request(params: SearchParams, who: &Principal) -> Result<SearchRequest, ApiError> {
    let mut tags: Vec<String> = list("tag", &params.tag)?;
    if !who.device_tags.is_empty() {
        tags = if tags.is_empty() { who.device_tags.clone() } else { tags.into_iter().filter(|t| who.device_tags.contains(t)).collect() };
        if tags.is_empty() {
            return Err(ApiError::Forbidden("none of these tags is within your device scope".into()));
        }
    }
    Ok(SearchRequest {
        q: params.q,
        kinds: list("kind", &params.kind)?,
        levels: list("level", &params.level)?,
        job_ids: list("job_id", &params.job_id)?,
        device_ids: list("device_id", &params.device_id)?,
        tags,
        job_types: list("job_type", &params.job_type)?,
        from: params.from,
        to: params.to,
        latest_only: params.latest_only,
        sort: match params.sort.as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("time_desc") => Sort::TimeDesc,
            Some("time_asc") => Sort::TimeAsc,
            Some(other) => return Err(ApiError::invalid("sort", format!("`{other}` is not relevance, time_desc or time_asc"))),
        },
        limit: params.limit.unwrap_or(20),
        cursor: params.cursor,
    })
}

async fn run(searcher: Searcher, request: SearchRequest) -> Result<Json<SearchPage>, ApiError> {
    let page = tokio::task::spawn_blocking(move || searcher.search(&request)).await.map_err(|e| ApiError::Internal(format!("search task: {e}")))?;
    page.map(Json).map_err(|e| match e {
        netraven_search::Error::InvalidQuery { position, message } => {
            ApiError::InvalidQuery { message: format!("the query is malformed at position {position}: {message}"), details: serde_json::json!({ "position": position, "reason": message }) }
        }
        netraven_search::Error::InvalidCursor(m) => ApiError::invalid("cursor", m),
        netraven_search::Error::InvalidRequest(m) => ApiError::Invalid { message: m.clone(), details: serde_json::json!({ "reason": m }) },
        other => ApiError::Internal(other.to_string()),
    })
}

async fn logs(State(searcher): State<Searcher>, who: Principal, Query(params): Query<SearchParams>) -> Result<Json<SearchPage>, ApiError> {
    who.require(Action::ReadLogDetails)?;
    if params.latest_only {
        return Err(ApiError::invalid("latest_only", "only /configs/search takes latest_only"));
    }
    run(searcher, request(params, &who)?).await
}

async fn configs(State(searcher): State<Searcher>, who: Principal, Query(params): Query<SearchParams>) -> Result<Json<SearchPage>, ApiError> {
    who.require(Action::Read)?;
    if params.kind.is_some() || params.level.is_some() {
        return Err(ApiError::invalid("kind", "/configs/search searches configurations only (no kind or level)"));
    }
    let mut request = request(params, &who)?;
    request.kinds = vec![Kind::Config];
    run(searcher, request).await
}

/// The search routes over `searcher`, to merge into the query API.
pub fn routes(searcher: Searcher) -> Router {
    Router::new().route("/api/v1/logs/search", get(logs)).route("/api/v1/configs/search", get(configs)).with_state(searcher)
}
