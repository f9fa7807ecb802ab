//! Credential commands: add (the secret is sealed at once and never returned), rotate, revoke.
//! Secrets only ever leave here as `SealedSecret` (ciphertext, nonce, key version).

use super::{tags, text};
use crate::registry::Registry;
use netraven_api::{Action, ApiError, Principal};
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_vault::Vault;
use serde::Deserialize;

/// The body of `POST /credentials`.
#[derive(Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialCreate {
    /// A name for people.
    pub name: String,
    /// Login name.
    pub username: String,
    /// Password (accepted once, stored sealed, never returned).
    pub secret: String,
    /// Enable secret, if the platform needs one.
    #[serde(default)]
    pub enable_secret: Option<String>,
    /// Devices carrying any of these tags try this credential (none: every device).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Higher is tried first (0 by default).
    #[serde(default)]
    pub priority: i32,
}

/// The body of `POST /credentials/{id}/rotate`.
#[derive(Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialRotate {
    /// The new password.
    pub secret: String,
    /// The new enable secret.
    #[serde(default)]
    pub enable_secret: Option<String>,
}

fn secret(field: &str, value: &str) -> Result<(), ApiError> {
    if value.is_empty() || value.len() > 1024 {
        return Err(ApiError::invalid(field, "must be 1 to 1024 bytes"));
    }
    Ok(())
}

/// Decides `POST /credentials`.
pub fn add(who: &Principal, vault: &Vault, body: CredentialCreate) -> Result<(CredentialId, EventData), ApiError> {
    who.require(Action::ManageCredentials)?;
    secret("secret", &body.secret)?;
    if let Some(enable) = &body.enable_secret {
        secret("enable_secret", enable)?;
    }
    if !(-1000..=1000).contains(&body.priority) {
        return Err(ApiError::invalid("priority", "must be between -1000 and 1000"));
    }
    let credential_id = CredentialId::new();
    let context = credential_id.0.as_bytes();
    let event = CredentialAdded {
        credential_id,
        name: text("name", &body.name, 128)?,
        username: text("username", &body.username, 128)?,
        secret: vault.seal(&body.secret, context),
        enable_secret: body.enable_secret.as_deref().map(|s| vault.seal(s, context)),
        tags: tags("tags", &body.tags)?,
        priority: body.priority,
    };
    Ok((credential_id, event.into()))
}

fn live(reg: &Registry, credential_id: CredentialId) -> Result<(), ApiError> {
    match reg.credentials.get(&credential_id) {
        None => Err(ApiError::NotFound(format!("credential {credential_id} does not exist"))),
        Some(c) if c.revoked => Err(ApiError::Conflict(format!("credential {credential_id} is revoked"))),
        Some(_) => Ok(()),
    }
}

/// Decides `POST /credentials/{id}/rotate`.
pub fn rotate(reg: &Registry, who: &Principal, vault: &Vault, credential_id: CredentialId, body: CredentialRotate) -> Result<EventData, ApiError> {
    who.require(Action::ManageCredentials)?;
    live(reg, credential_id)?;
    secret("secret", &body.secret)?;
    if let Some(enable) = &body.enable_secret {
        secret("enable_secret", enable)?;
    }
    let context = credential_id.0.as_bytes();
    Ok(CredentialRotated { credential_id, secret: vault.seal(&body.secret, context), enable_secret: body.enable_secret.as_deref().map(|s| vault.seal(s, context)) }.into())
}

/// Decides `POST /credentials/{id}/revoke`.
pub fn revoke(reg: &Registry, who: &Principal, credential_id: CredentialId) -> Result<EventData, ApiError> {
    who.require(Action::ManageCredentials)?;
    live(reg, credential_id)?;
    Ok(CredentialRevoked { credential_id }.into())
}
