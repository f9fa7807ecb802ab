//! `/jobs`: the filtered job list, one job, its log entries (not for viewers) and its raw
//! event history from the log.

use super::job_in_scope;
use crate::params::Params;
use crate::{QueryState, public_event};
use axum::extract::{Path, State};
use netraven_api::{Action, ApiError, Json, Principal};
use netraven_events::catalog::JobId;
use netraven_projector::read::{self, JobLogEntryView, JobQuery, JobSort, JobView, Page};
use serde_json::{Value, json};

/// Job statuses a filter may name.
pub(crate) const STATUSES: [&str; 8] = ["requested", "queued", "dispatched", "running", "succeeded", "failed", "cancelled", "timed_out"];
/// Job types a filter may name.
pub(crate) const TYPES: [&str; 3] = ["backup", "command", "detect"];

/// The job-list query of `params` (all but the device filters, which the caller adds).
pub(crate) fn job_query(params: &Params, principal: &Principal) -> Result<JobQuery, ApiError> {
    let sort = match params.text("sort") {
        None => JobSort::default(),
        Some(s) => JobSort::parse(&s).ok_or_else(|| ApiError::invalid("sort", format!("`{s}` is not one of {}", JobSort::NAMES.join(", "))))?,
    };
    Ok(JobQuery {
        statuses: params.list_of("status", &STATUSES)?,
        job_type: params.one_of("type", &TYPES)?,
        actor: params.text("actor"),
        parent_job_id: params.id("parent")?,
        since: params.time("since")?,
        until: params.time("until")?,
        scope: principal.device_tags.clone(),
        sort,
        limit: params.limit()?,
        cursor: params.cursor()?,
        ..JobQuery::default()
    })
}

/// Parameters of the job list.
pub(crate) const LIST_PARAMS: [&str; 11] = ["status", "type", "device", "tag", "actor", "parent", "since", "until", "sort", "limit", "cursor"];

/// `GET /jobs`.
pub(crate) async fn list(State(state): State<QueryState>, principal: Principal, params: Params) -> Result<Json<Page<JobView>>, ApiError> {
    principal.require(Action::Read)?;
    params.accept(&LIST_PARAMS)?;
    let query = JobQuery { device_id: params.id("device")?, tag: params.text("tag"), ..job_query(&params, &principal)? };
    Ok(Json(state.read(move |c| read::jobs(c, &query)).await?))
}

/// `GET /jobs/{id}`.
pub(crate) async fn detail(State(state): State<QueryState>, principal: Principal, Path(id): Path<String>) -> Result<Json<JobView>, ApiError> {
    principal.require(Action::Read)?;
    Ok(Json(job_in_scope(&state, &principal, &id).await?))
}

/// `GET /jobs/{id}/logs`: needs the right to read log details.
pub(crate) async fn logs(
    State(state): State<QueryState>,
    principal: Principal,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Page<JobLogEntryView>>, ApiError> {
    principal.require(Action::ReadLogDetails)?;
    params.accept(&["limit", "cursor"])?;
    let job = job_in_scope(&state, &principal, &id).await?;
    let (limit, cursor) = (params.limit()?, params.cursor()?);
    Ok(Json(state.read(move |c| read::job_logs(c, &job.job_id, limit, cursor.as_ref())).await?))
}

/// `GET /jobs/{id}/events`: the job's stream as stored in the log (a raw history, so it needs
/// the right to read audit data).
pub(crate) async fn events(State(state): State<QueryState>, principal: Principal, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    principal.require(Action::ReadAudit)?;
    let job = job_in_scope(&state, &principal, &id).await?;
    let uuid = job.job_id.parse().map_err(|_| ApiError::Internal(format!("stored job id {}", job.job_id)))?;
    let recorded = state.log().read_stream(&JobId(uuid).stream(), 1).await?;
    let events = recorded
        .iter()
        .map(|r| Ok(json!({ "position": format!("{}:{}", r.partition, r.offset), "event": public_event::to_json(&r.event)? })))
        .collect::<Result<Vec<Value>, ApiError>>()?;
    Ok(Json(json!({ "job_id": job.job_id, "events": events })))
}
