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

/// What re-encrypting every credential under the vault's current key decided.
#[derive(Debug, Default, PartialEq)]
pub struct Reencryption {
    /// One `CredentialRotated` per credential sealed with an older key, with its stream version.
    pub events: Vec<(EventData, CredentialId, u64)>,
    /// Credentials whose key was removed: their secrets are crypto-shredded and must be stored
    /// again.
    pub shredded: Vec<CredentialId>,
}

/// Decides `POST /credentials/reencrypt` (key rotation): re-seals every live credential that
/// an older key sealed. The old ciphertexts stay in the log; once their key is removed from
/// the configuration, they are unreadable.
pub fn reencrypt(reg: &Registry, who: &Principal, vault: &Vault) -> Result<Reencryption, ApiError> {
    who.require(Action::ManageCredentials)?;
    let mut out = Reencryption::default();
    let mut ids: Vec<&CredentialId> = reg.credentials.iter().filter(|(_, c)| !c.revoked).map(|(id, _)| id).collect();
    ids.sort();
    for id in ids {
        let info = &reg.credentials[id];
        let context = id.0.as_bytes();
        let secret = vault.reseal(&info.secret, context);
        let enable = info.enable_secret.as_ref().map(|e| vault.reseal(e, context)).transpose();
        match (secret, enable) {
            (Ok(None), Ok(None | Some(None))) => {}
            (Ok(secret), Ok(enable)) => {
                let secret = secret.unwrap_or_else(|| info.secret.clone());
                let enable_secret = match enable {
                    Some(Some(resealed)) => Some(resealed),
                    _ => info.enable_secret.clone(),
                };
                out.events.push((CredentialRotated { credential_id: *id, secret, enable_secret }.into(), *id, info.version));
            }
            (Err(netraven_vault::VaultError::KeyRemoved { .. }), _) | (_, Err(netraven_vault::VaultError::KeyRemoved { .. })) => out.shredded.push(*id),
            (Err(e), _) | (_, Err(e)) => return Err(ApiError::Internal(format!("credential {id}: {e}"))),
        }
    }
    Ok(out)
}
