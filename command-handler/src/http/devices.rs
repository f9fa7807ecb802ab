//! `POST /devices`, `PATCH /devices/{id}`, `DELETE /devices/{id}`.

use super::{AppState, path_id};
use crate::decide::devices::{self, DeviceCreate, DeviceUpdate};
use crate::registry::Registry;
use crate::state::cause;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use netraven_api::{ApiError, CorrelationId, Json, Principal};
use netraven_events::catalog::DeviceId;
use netraven_events::{Event, EventData, ExpectedVersion, StreamId};
use serde_json::{Value, json};

/// The created or changed devices as returned: the payloads of their events.
pub(crate) fn payloads(events: &[Event]) -> Result<Vec<Value>, ApiError> {
    events.iter().map(|e| e.data.to_value().map_err(|e| ApiError::Internal(e.to_string()))).collect()
}

/// Registration events, each expected to open a new stream.
pub(crate) fn new_streams(events: Vec<EventData>) -> (Vec<EventData>, Vec<(StreamId, ExpectedVersion)>) {
    let expect = events.iter().map(|e| (e.stream(), ExpectedVersion::NoStream)).collect();
    (events, expect)
}

fn at_version(reg: &Registry, device_id: DeviceId, event: EventData) -> (Vec<EventData>, Vec<(StreamId, ExpectedVersion)>) {
    let version = reg.devices.get(&device_id).map_or(0, |d| d.version);
    (vec![event], vec![(device_id.stream(), ExpectedVersion::Exact(version))])
}

/// `POST /api/v1/devices`: 201 with the registered device.
pub async fn create(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Json(body): Json<DeviceCreate>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let events = app.state.execute(&cause(&who.user, &correlation), |reg| Ok(new_streams(devices::register(reg, &who, vec![body.clone()])?))).await?;
    Ok((StatusCode::CREATED, Json(payloads(&events)?.remove(0))))
}

/// `PATCH /api/v1/devices/{id}`: 200 with the change.
pub async fn update(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Path(id): Path<String>, Json(body): Json<DeviceUpdate>) -> Result<Json<Value>, ApiError> {
    let device_id = DeviceId(path_id("id", &id)?);
    let events = app.state.execute(&cause(&who.user, &correlation), |reg| Ok(at_version(reg, device_id, devices::update(reg, &who, device_id, body.clone())?))).await?;
    Ok(Json(payloads(&events)?.remove(0)))
}

/// `DELETE /api/v1/devices/{id}`: 200 with the removed device's id.
pub async fn remove(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let device_id = DeviceId(path_id("id", &id)?);
    app.state.execute(&cause(&who.user, &correlation), |reg| Ok(at_version(reg, device_id, devices::remove(reg, &who, device_id)?))).await?;
    Ok(Json(json!({ "device_id": device_id, "removed": true })))
}
