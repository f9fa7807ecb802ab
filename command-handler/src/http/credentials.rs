//! `POST /credentials`, `POST /credentials/{id}/rotate`, `POST /credentials/{id}/revoke`.
//! Responses carry metadata only: never the secret, never its ciphertext.

use super::devices::new_streams;
use super::{AppState, path_id};
use crate::decide::credentials::{self, CredentialCreate, CredentialRotate};
use crate::state::cause;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use netraven_api::{ApiError, CorrelationId, Json, Principal};
use netraven_events::catalog::CredentialId;
use netraven_events::{EventData, ExpectedVersion};
use serde_json::{Value, json};

fn metadata(event: &EventData) -> Value {
    match event {
        EventData::CredentialAdded(c) => json!({
            "credential_id": c.credential_id, "name": c.name, "username": c.username, "tags": c.tags,
            "priority": c.priority, "key_version": c.secret.key_version, "has_enable_secret": c.enable_secret.is_some(),
        }),
        EventData::CredentialRotated(c) => json!({ "credential_id": c.credential_id, "rotated": true, "key_version": c.secret.key_version }),
        EventData::CredentialRevoked(c) => json!({ "credential_id": c.credential_id, "revoked": true }),
        _ => json!({}),
    }
}

/// `POST /api/v1/credentials`: 201 with the credential's metadata.
pub async fn create(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Json(body): Json<CredentialCreate>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (_, event) = credentials::add(&who, &app.vault, body)?;
    let events = app.state.execute(&cause(&who.user, &correlation), |_| Ok(new_streams(vec![event.clone()]))).await?;
    Ok((StatusCode::CREATED, Json(metadata(&events[0].data))))
}

async fn change(app: &AppState, who: &Principal, correlation: &str, credential_id: CredentialId, decide: impl Fn(&crate::registry::Registry) -> Result<EventData, ApiError>) -> Result<Json<Value>, ApiError> {
    let events = app
        .state
        .execute(&cause(&who.user, correlation), |reg| {
            let version = reg.credentials.get(&credential_id).map_or(0, |c| c.version);
            Ok((vec![decide(reg)?], vec![(credential_id.stream(), ExpectedVersion::Exact(version))]))
        })
        .await?;
    Ok(Json(metadata(&events[0].data)))
}

/// `POST /api/v1/credentials/{id}/rotate`.
pub async fn rotate(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Path(id): Path<String>, Json(body): Json<CredentialRotate>) -> Result<Json<Value>, ApiError> {
    let credential_id = CredentialId(path_id("id", &id)?);
    change(&app, &who, &correlation, credential_id, |reg| credentials::rotate(reg, &who, &app.vault, credential_id, body.clone())).await
}

/// `POST /api/v1/credentials/{id}/revoke`.
pub async fn revoke(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let credential_id = CredentialId(path_id("id", &id)?);
    change(&app, &who, &correlation, credential_id, |reg| credentials::revoke(reg, &who, credential_id)).await
}

/// `POST /api/v1/credentials/reencrypt` (admin): re-seals every credential under the current
/// vault key; answers how many were re-encrypted and which are shredded (their key is gone).
pub async fn reencrypt(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId) -> Result<Json<Value>, ApiError> {
    let shredded = std::sync::Mutex::new(Vec::new());
    let events = app
        .state
        .execute(&cause(&who.user, &correlation), |reg| {
            let decided = credentials::reencrypt(reg, &who, &app.vault)?;
            *shredded.lock().expect("not poisoned") = decided.shredded.clone();
            let expect = decided.events.iter().map(|(_, id, version)| (id.stream(), ExpectedVersion::Exact(*version))).collect();
            Ok((decided.events.into_iter().map(|(event, _, _)| event).collect(), expect))
        })
        .await?;
    let shredded = shredded.into_inner().expect("not poisoned");
    let shredded_message = (!shredded.is_empty()).then(|| "these credentials were sealed with a key that was removed: their secrets are crypto-shredded and cannot be recovered; rotate them with a new secret");
    Ok(Json(json!({ "reencrypted": events.len(), "key_version": app.vault.current_version(), "shredded": shredded, "message": shredded_message })))
}
