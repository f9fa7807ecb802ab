//! `/audit/timeline`: who did what, when, filtered by actor, device, job, type and time.

use super::scoped_device;
use crate::QueryState;
use crate::params::Params;
use axum::extract::State;
use netraven_api::{Action, ApiError, Json, Principal};
use netraven_projector::read::{self, AuditEntry, AuditQuery, Page};

/// `GET /audit/timeline`.
pub(crate) async fn timeline(State(state): State<QueryState>, principal: Principal, params: Params) -> Result<Json<Page<AuditEntry>>, ApiError> {
    principal.require(Action::ReadAudit)?;
    params.accept(&["actor", "device", "job", "type", "since", "until", "sort", "limit", "cursor"])?;
    let device_id = params.id("device")?;
    scoped_device(&state, &principal, device_id.as_deref()).await?;
    let query = AuditQuery {
        actor: params.text("actor"),
        device_id,
        job_id: params.id("job")?,
        event_type: params.text("type"),
        since: params.time("since")?,
        until: params.time("until")?,
        descending: params.one_of("sort", &["time", "-time"])?.as_deref() == Some("-time"),
        limit: params.limit()?,
        cursor: params.cursor()?,
    };
    Ok(Json(state.read(move |c| read::audit_timeline(c, &query)).await?))
}
