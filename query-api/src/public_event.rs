//! Events as the API shows them: the structured CloudEvents JSON with sealed secrets cut down
//! to their key version (ciphertext and nonce never leave the log through this API).

use netraven_events::Event;
use serde_json::Value;

/// The fields of a payload that hold a `SealedSecret`.
const SEALED_FIELDS: [&str; 2] = ["secret", "enable_secret"];

/// `event` as structured-mode JSON without sealed-secret material.
pub(crate) fn to_json(event: &Event) -> Result<Value, netraven_api::ApiError> {
    let mut value = serde_json::to_value(event).map_err(|e| netraven_api::ApiError::Internal(format!("encoding an event: {e}")))?;
    if let Some(data) = value.get_mut("data").and_then(Value::as_object_mut) {
        for field in SEALED_FIELDS {
            if let Some(sealed) = data.get_mut(field).and_then(Value::as_object_mut) {
                sealed.retain(|k, _| k == "key_version");
            }
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::CredentialId;
    use netraven_test_support::fixtures::{cause, credential_added};

    #[test]
    fn sealed_secrets_keep_only_their_key_version() {
        let event = Event::new(credential_added(CredentialId::new(), "lab", "CANARY-ciphertext"), &cause("a", "c"));
        let json = to_json(&event).unwrap();
        assert!(!json.to_string().contains("CANARY"));
        assert_eq!(json["data"]["secret"], serde_json::json!({ "key_version": 2 }));
        assert_eq!(json["data"]["username"], "netops");
    }
}
