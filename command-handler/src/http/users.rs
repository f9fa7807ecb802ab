//! `POST /auth/token` (user name and password → bearer token) and user management (admin).

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use netraven_api::{Action, ApiError, Json, Principal, Role};
use serde::Deserialize;
use serde_json::{Value, json};

/// The body of `POST /auth/token`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// `POST /api/v1/auth/token`: 200 with `{access_token, token_type, expires_in}`, 401 otherwise.
pub async fn token(State(app): State<AppState>, Json(body): Json<TokenRequest>) -> Result<Json<Value>, ApiError> {
    let who = app.users.authenticate(&body.username, &body.password).await?.ok_or_else(|| ApiError::Unauthorized("wrong user name or password".into()))?;
    let (token, ttl) = app.auth.issue(&who)?;
    Ok(Json(json!({ "access_token": token, "token_type": "bearer", "expires_in": ttl, "role": who.role })))
}

/// The body of `POST /users`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    /// User name.
    pub name: String,
    /// Password (at least 12 bytes).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Device scope by tag (none: every device).
    #[serde(default)]
    pub device_tags: Vec<String>,
}

fn view(p: &Principal) -> Value {
    json!({ "name": p.user, "role": p.role, "device_tags": p.device_tags })
}

/// `POST /api/v1/users` (admin): 201 with the user (never the password or its hash).
pub async fn create(State(app): State<AppState>, who: Principal, Json(body): Json<UserCreate>) -> Result<(StatusCode, Json<Value>), ApiError> {
    who.require(Action::ManageUsers)?;
    let tags = crate::decide::tags("device_tags", &body.device_tags)?;
    app.users.create(&body.name, &body.password, body.role, tags.clone()).await?;
    Ok((StatusCode::CREATED, Json(view(&Principal { user: body.name, role: body.role, device_tags: tags }))))
}

/// `GET /api/v1/users` (admin).
pub async fn list(State(app): State<AppState>, who: Principal) -> Result<Json<Value>, ApiError> {
    who.require(Action::ManageUsers)?;
    Ok(Json(Value::Array(app.users.list().await?.iter().map(view).collect())))
}
