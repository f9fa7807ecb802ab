//! `POST /jobs` (idempotent by `Idempotency-Key`) and `POST /jobs/{id}/cancel`.

use super::{AppState, JobView, path_id};
use crate::decide::jobs::{self, JobCreate, Requested};
use crate::state::cause;
use super::optional_body;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use netraven_api::{ApiError, CorrelationId, Json, Principal};
use netraven_events::ExpectedVersion;
use netraven_events::catalog::JobId;
use serde::Deserialize;

/// `POST /api/v1/jobs`: 201 with the job (200 with the same job for a repeated key).
pub async fn create(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, headers: HeaderMap, Json(body): Json<JobCreate>) -> Result<(StatusCode, Json<JobView>), ApiError> {
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| ApiError::invalid("Idempotency-Key", "must be visible ASCII"))?.to_string()),
        None => None,
    };
    let decided = app.state.read(|reg| jobs::request(reg, &who, body, key, None))?;
    let (job_id, status) = match decided {
        Requested::Existing(job_id) => (job_id, StatusCode::OK),
        Requested::New(job_id, events) => {
            let expect = events.iter().map(|e| (e.stream(), ExpectedVersion::NoStream)).collect();
            app.state.append(events, &cause(&who.user, &correlation), expect).await?;
            (job_id, StatusCode::CREATED)
        }
    };
    Ok((status, Json(app.state.read(|reg| JobView::find(reg, job_id))?)))
}

/// The body of `POST /jobs/{id}/cancel`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// Why (recorded in the event).
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/jobs/{id}/cancel`: 200 with the cancelled job, 409 if it already ended.
pub async fn cancel(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Path(id): Path<String>, body: Bytes) -> Result<Json<JobView>, ApiError> {
    let job_id = JobId(path_id("id", &id)?);
    let reason = optional_body::<CancelBody>(&body)?.reason;
    app.state
        .execute(&cause(&who.user, &correlation), |reg| {
            let events = jobs::cancel(reg, &who, job_id, reason.clone())?;
            let expect = events.iter().map(|e| (e.stream(), ExpectedVersion::Exact(job_version(reg, e)))).collect();
            Ok((events, expect))
        })
        .await?;
    Ok(Json(app.state.read(|reg| JobView::find(reg, job_id))?))
}

fn job_version(reg: &crate::registry::Registry, event: &netraven_events::EventData) -> u64 {
    match event {
        netraven_events::EventData::JobCancelled(c) => reg.jobs.get(&c.job_id).map_or(0, |j| j.version),
        _ => 0,
    }
}

/// `POST /api/v1/jobs/snapshot`: 201 with the parent job of a backup of every device (or
/// every device with the tags).
pub async fn snapshot(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, body: Bytes) -> Result<(StatusCode, Json<JobView>), ApiError> {
    let body = optional_body::<jobs::SnapshotCreate>(&body)?;
    let job_id = std::sync::Mutex::new(None);
    app.state
        .execute(&cause(&who.user, &correlation), |reg| match jobs::snapshot(reg, &who, body.clone())? {
            Requested::New(id, events) => {
                *job_id.lock().expect("not poisoned") = Some(id);
                let expect = events.iter().map(|e| (e.stream(), ExpectedVersion::NoStream)).collect();
                Ok((events, expect))
            }
            Requested::Existing(id) => {
                *job_id.lock().expect("not poisoned") = Some(id);
                Ok((vec![], vec![]))
            }
        })
        .await?;
    let job_id = job_id.into_inner().expect("not poisoned").ok_or_else(|| ApiError::Internal("snapshot decided no job".into()))?;
    Ok((StatusCode::CREATED, Json(app.state.read(|reg| JobView::find(reg, job_id))?)))
}
