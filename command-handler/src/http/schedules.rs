//! `POST /schedules`, `POST /schedules/{id}/pause|resume`, `DELETE /schedules/{id}`.

use super::devices::{new_streams, payloads};
use super::{AppState, path_id};
use crate::decide::schedules::{self, Change, ScheduleCreate};
use crate::state::cause;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use netraven_api::{ApiError, CorrelationId, Json, Principal};
use netraven_events::ExpectedVersion;
use netraven_events::catalog::ScheduleId;
use serde_json::Value;

/// `POST /api/v1/schedules`: 201 with the schedule.
pub async fn create(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Json(body): Json<ScheduleCreate>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let events = app.state.execute(&cause(&who.user, &correlation), |reg| Ok(new_streams(vec![schedules::create(reg, &who, body.clone())?.1]))).await?;
    Ok((StatusCode::CREATED, Json(payloads(&events)?.remove(0))))
}

async fn apply(app: AppState, who: Principal, correlation: String, id: String, what: Change) -> Result<Json<Value>, ApiError> {
    let schedule_id = ScheduleId(path_id("id", &id)?);
    let events = app
        .state
        .execute(&cause(&who.user, &correlation), |reg| {
            let event = schedules::change(reg, &who, schedule_id, what)?;
            let version = reg.schedules.get(&schedule_id).map_or(0, |s| s.version);
            Ok((vec![event], vec![(schedule_id.stream(), ExpectedVersion::Exact(version))]))
        })
        .await?;
    Ok(Json(payloads(&events)?.remove(0)))
}

/// `POST /api/v1/schedules/{id}/pause`.
pub async fn pause(State(app): State<AppState>, who: Principal, CorrelationId(c): CorrelationId, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    apply(app, who, c, id, Change::Pause).await
}

/// `POST /api/v1/schedules/{id}/resume`.
pub async fn resume(State(app): State<AppState>, who: Principal, CorrelationId(c): CorrelationId, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    apply(app, who, c, id, Change::Resume).await
}

/// `DELETE /api/v1/schedules/{id}`.
pub async fn remove(State(app): State<AppState>, who: Principal, CorrelationId(c): CorrelationId, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    apply(app, who, c, id, Change::Remove).await
}
