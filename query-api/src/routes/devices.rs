//! `/devices`: the inventory (scoped by tag), one device, and its job history.

use super::device_in_scope;
use super::jobs::{LIST_PARAMS, job_query};
use crate::QueryState;
use crate::params::Params;
use axum::extract::{Path, State};
use netraven_api::{Action, ApiError, Json, Principal};
use netraven_projector::read::{self, DeviceQuery, DeviceView, JobQuery, JobView, Page};

/// `GET /devices`.
pub(crate) async fn list(State(state): State<QueryState>, principal: Principal, params: Params) -> Result<Json<Page<DeviceView>>, ApiError> {
    principal.require(Action::Read)?;
    params.accept(&["tag", "include_removed", "limit", "cursor"])?;
    let query = DeviceQuery {
        tag: params.text("tag"),
        include_removed: params.flag("include_removed")?,
        scope: principal.device_tags.clone(),
        limit: params.limit()?,
        cursor: params.cursor()?,
    };
    Ok(Json(state.read(move |c| read::devices(c, &query)).await?))
}

/// `GET /devices/{id}`.
pub(crate) async fn detail(State(state): State<QueryState>, principal: Principal, Path(id): Path<String>) -> Result<Json<DeviceView>, ApiError> {
    principal.require(Action::Read)?;
    Ok(Json(device_in_scope(&state, &principal, &id).await?))
}

/// `GET /devices/{id}/jobs`: the device's job history, with the job list's filters.
pub(crate) async fn jobs(
    State(state): State<QueryState>,
    principal: Principal,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Page<JobView>>, ApiError> {
    principal.require(Action::Read)?;
    let accepted: Vec<&str> = LIST_PARAMS.into_iter().filter(|p| !matches!(*p, "device" | "tag")).collect();
    params.accept(&accepted)?;
    let device = device_in_scope(&state, &principal, &id).await?;
    let query = JobQuery { device_id: Some(device.device_id), ..job_query(&params, &principal)? };
    Ok(Json(state.read(move |c| read::jobs(c, &query)).await?))
}
