//! `/credentials` (metadata only, for admins and auditors) and `/schedules`.

use crate::QueryState;
use crate::params::Params;
use axum::extract::State;
use netraven_api::{Action, ApiError, Json, Principal};
use netraven_projector::read::{self, CredentialView, ScheduleView};

/// `GET /credentials`: names, users, tags, key versions and last use; never secrets.
pub(crate) async fn credentials(State(state): State<QueryState>, principal: Principal, params: Params) -> Result<Json<Vec<CredentialView>>, ApiError> {
    if principal.require(Action::ManageCredentials).is_err() {
        principal.require(Action::ReadAudit)?;
    }
    params.accept(&[])?;
    Ok(Json(state.read(read::credentials).await?))
}

/// `GET /schedules` (`include_removed=true` for removed ones too).
pub(crate) async fn schedules(State(state): State<QueryState>, principal: Principal, params: Params) -> Result<Json<Vec<ScheduleView>>, ApiError> {
    principal.require(Action::Read)?;
    params.accept(&["include_removed"])?;
    let include_removed = params.flag("include_removed")?;
    Ok(Json(state.read(move |c| read::schedules(c, include_removed)).await?))
}
