//! The write API under `/api/v1/`: its router, shared state and the helpers every handler
//! uses (path ids, the job representation).

mod credentials;
mod devices;
mod import;
mod jobs;
pub mod openapi;
mod schedules;
mod users;

use crate::registry::{JobInfo, Registry};
use crate::state::CommandState;
use crate::users::Users;
use axum::Router;
use axum::routing::{delete, post};
use netraven_api::{ApiError, Authenticator};
use netraven_events::catalog::*;
use netraven_vault::Vault;
use serde::Serialize;
use std::sync::Arc;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Registry, log and appends.
    pub state: Arc<CommandState>,
    /// The user store.
    pub users: Users,
    /// Seals credential secrets.
    pub vault: Arc<Vault>,
    /// Issues tokens.
    pub auth: Arc<Authenticator>,
}

/// The write API as a complete server (`routes` wrapped by `netraven_api::finish`).
pub fn router(app: AppState) -> Router {
    let auth = app.auth.clone();
    netraven_api::finish(routes(app), auth)
}

/// The write API's routes, to merge with other APIs' before `netraven_api::finish`.
pub fn routes(app: AppState) -> Router {
    Router::new()
        .route("/api/v1/auth/token", post(users::token))
        .route("/api/v1/users", post(users::create).get(users::list))
        .route("/api/v1/jobs", post(jobs::create))
        .route("/api/v1/jobs/snapshot", post(jobs::snapshot))
        .route("/api/v1/jobs/{id}/cancel", post(jobs::cancel))
        .route("/api/v1/devices", post(devices::create))
        .route("/api/v1/devices/import", post(import::import))
        .route("/api/v1/devices/{id}", delete(devices::remove).patch(devices::update))
        .route("/api/v1/credentials", post(credentials::create))
        .route("/api/v1/credentials/reencrypt", post(credentials::reencrypt))
        .route("/api/v1/credentials/{id}/rotate", post(credentials::rotate))
        .route("/api/v1/credentials/{id}/revoke", post(credentials::revoke))
        .route("/api/v1/schedules", post(schedules::create))
        .route("/api/v1/schedules/{id}", delete(schedules::remove))
        .route("/api/v1/schedules/{id}/pause", post(schedules::pause))
        .route("/api/v1/schedules/{id}/resume", post(schedules::resume))
        .with_state(app)
}

/// A path id, or a 400 naming the parameter.
pub(crate) fn path_id(name: &str, value: &str) -> Result<uuid::Uuid, ApiError> {
    value.parse().map_err(|_| ApiError::invalid(name, format!("`{value}` is not a UUID")))
}

/// A job as the write API returns it.
#[derive(Serialize, schemars::JsonSchema)]
pub struct JobView {
    /// Id.
    pub id: JobId,
    /// `backup`, `command` or `detect`.
    #[serde(rename = "type")]
    pub job_type: JobType,
    /// Status (`requested`, `queued`, `dispatched`, `running`, `succeeded`, ...).
    pub status: &'static str,
    /// Target as requested.
    pub target: JobTarget,
    /// Current attempt (0 before the first dispatch).
    pub attempt: u32,
    /// Priority.
    pub priority: i32,
    /// Per-attempt timeout.
    pub timeout_secs: u32,
    /// Jobs it waits for.
    pub depends_on: Vec<JobId>,
    /// The fanned-out job it belongs to.
    pub parent_job_id: Option<JobId>,
    /// Its children (one per device) when it fanned out.
    pub children: Vec<JobId>,
    /// Who asked for it.
    pub created_by: String,
    /// The request's correlation id.
    pub correlation_id: String,
}

impl JobView {
    fn of(job: &JobInfo) -> Self {
        JobView {
            id: job.request.job_id,
            job_type: job.request.job_type,
            status: job.state.status.as_str(),
            target: job.request.target.clone(),
            attempt: job.state.attempt,
            priority: job.request.priority,
            timeout_secs: job.request.timeout_secs,
            depends_on: job.request.depends_on.clone(),
            parent_job_id: job.request.parent_job_id,
            children: job.children.clone(),
            created_by: job.actor.clone(),
            correlation_id: job.correlation_id.clone(),
        }
    }

    /// The view of job `id` from the registry.
    pub(crate) fn find(reg: &Registry, id: JobId) -> Result<Self, ApiError> {
        reg.jobs.get(&id).map(JobView::of).ok_or_else(|| ApiError::Internal(format!("job {id} was appended but is not in the registry")))
    }
}

/// An optional JSON body: empty means the type's default.
pub(crate) fn optional_body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::Invalid { message: format!("the body does not match the expected shape: {e}"), details: serde_json::json!({ "line": e.line(), "column": e.column() }) })
}
