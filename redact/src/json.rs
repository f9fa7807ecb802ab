//! JSON redaction: values under sensitive keys are replaced whole, every other string goes
//! through the text rules; keys and structure are kept.

use crate::{REDACTED, SensitiveDataFilter};
use serde_json::Value;
use std::borrow::Cow;

/// Last words of a key that make its value a secret (`password`, `db_password`, `apiKey`,
/// `X-Auth-Token`, `snmp_community`, `enable_secret`, `pre-shared-key`, ...).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "passcode",
    "secret",
    "secrets",
    "token",
    "apikey",
    "privatekey",
    "secretkey",
    "accesskey",
    "authkey",
    "community",
    "psk",
    "presharedkey",
    "authorization",
    "key",
    "enablesecret",
    "enablepassword",
    "cookie",
];

/// Endings that, glued to a key without separators, still make it secret (`adminpassword`,
/// `snmpcommunity`, `xauthtoken`, `clientsecret`).
const SECRET_ENDINGS: &[&str] =
    &["password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "community"];

/// Trailing words that describe a form of the value, not what it is (`password_hash`, `key_string`).
const FORM_WORDS: &[&str] =
    &["hash", "value", "string", "b64", "base64", "hex", "enc", "encrypted", "plain", "plaintext", "text"];

/// Words before `key` that make it an identifier or public material rather than a secret.
const NON_SECRET_KEY_QUALIFIERS: &[&str] = &[
    "public",
    "host",
    "idempotency",
    "partition",
    "sort",
    "primary",
    "foreign",
    "routing",
    "cache",
    "dedup",
    "deduplication",
    "correlation",
    "lookup",
];

/// Whether a JSON object key names a secret, whatever its case or style (snake_case,
/// camelCase, kebab-case, dotted, SCREAMING_CASE): `password`, `enable_secret`, `apiKey`,
/// `X-Api-Key`, `private_key`, `snmpCommunity`, `Authorization`, `key`, `password_hash`, ...
///
/// `credential_id`, `password_policy`, `token_count`, `host_key` and `public_key` are not secrets.
pub fn is_sensitive_key(key: &str) -> bool {
    let mut words = split_words(key);
    while words.len() > 1 && words.last().is_some_and(|w| FORM_WORDS.contains(&w.as_str())) {
        words.pop();
    }
    let Some(last) = words.last() else { return false };
    if last == "key" {
        let qualifier = words.len().checked_sub(2).and_then(|i| words.get(i));
        return !qualifier.is_some_and(|q| NON_SECRET_KEY_QUALIFIERS.contains(&q.as_str()));
    }
    SECRET_WORDS.contains(&last.as_str()) || SECRET_ENDINGS.iter().any(|ending| last.ends_with(ending))
}

/// Lower-case words of a key: split at non-alphanumerics and at camelCase / acronym boundaries.
fn split_words(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let lower_to_upper = prev.is_some_and(|p| p.is_lowercase() || p.is_numeric()) && c.is_uppercase();
        let acronym_end =
            prev.is_some_and(char::is_uppercase) && c.is_uppercase() && next.is_some_and(char::is_lowercase);
        if (lower_to_upper || acronym_end) && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

impl SensitiveDataFilter {
    /// A redacted copy of `value`: values under sensitive keys ([`is_sensitive_key`]) become
    /// `"<redacted>"` whatever their type; every other string goes through
    /// [`redact_text`](Self::redact_text); keys, numbers, booleans and structure are kept.
    pub fn redact_json(&self, value: &Value) -> Value {
        let mut copy = value.clone();
        self.redact_json_in_place(&mut copy);
        copy
    }

    /// [`redact_json`](Self::redact_json) without copying: rewrites `value` in place.
    /// Walks the tree with an explicit stack, so deep nesting cannot overflow the call stack.
    pub fn redact_json_in_place(&self, value: &mut Value) {
        let mut pending: Vec<&mut Value> = vec![value];
        while let Some(node) = pending.pop() {
            match node {
                Value::String(text) => {
                    if let Some(redacted) = owned(self.redact_text(text)) {
                        *text = redacted;
                    }
                }
                Value::Array(items) => pending.extend(items.iter_mut()),
                Value::Object(map) => {
                    for (key, child) in map.iter_mut() {
                        if is_sensitive_key(key) {
                            *child = Value::String(REDACTED.to_string());
                        } else {
                            pending.push(child);
                        }
                    }
                }
                Value::Null | Value::Bool(_) | Value::Number(_) => {}
            }
        }
    }
}

/// The new text when redaction changed something.
fn owned(text: Cow<'_, str>) -> Option<String> {
    match text {
        Cow::Owned(changed) => Some(changed),
        Cow::Borrowed(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sensitive_keys_in_every_style() {
        for key in [
            "password",
            "Password",
            "PASSWORD",
            "passwd",
            "secret",
            "token",
            "api_key",
            "apiKey",
            "ApiKey",
            "apikey",
            "x-api-key",
            "private_key",
            "privateKey",
            "community",
            "snmpCommunity",
            "psk",
            "pre_shared_key",
            "pre-shared-key",
            "preSharedKey",
            "authorization",
            "Authorization",
            "key",
            "enable_secret",
            "enableSecret",
            "ENABLE_SECRET",
            "db.password",
            "adminpassword",
            "X-Auth-Token",
            "client_secret",
            "password_hash",
            "tacacs_key",
            "key_string",
            "AWS_SECRET_ACCESS_KEY",
            "Set-Cookie",
        ] {
            assert!(is_sensitive_key(key), "{key} should be sensitive");
        }
    }

    #[test]
    fn ordinary_keys_are_not_sensitive() {
        for key in [
            "credential_id",
            "password_policy",
            "passwordMinLength",
            "token_count",
            "host_key",
            "hostKey",
            "public_key",
            "idempotency_key",
            "monkey",
            "keyboard",
            "username",
            "device",
            "hostname",
            "secretary",
            "tokenizer",
            "",
            "_",
        ] {
            assert!(!is_sensitive_key(key), "{key} should not be sensitive");
        }
    }

    #[test]
    fn redacts_values_under_sensitive_keys_whatever_their_type() {
        let filter = SensitiveDataFilter::new();
        let input = json!({
            "password": "hunter2",
            "token": 12345,
            "key": {"nested": true},
            "community": ["public", "private"],
            "secret": null,
            "device": "core-sw1",
            "attempts": 3,
        });
        let expected = json!({
            "password": "<redacted>",
            "token": "<redacted>",
            "key": "<redacted>",
            "community": "<redacted>",
            "secret": "<redacted>",
            "device": "core-sw1",
            "attempts": 3,
        });
        assert_eq!(filter.redact_json(&input), expected);
    }

    #[test]
    fn other_strings_go_through_the_text_rules_at_any_depth() {
        let filter = SensitiveDataFilter::new();
        let input = json!({"output": ["ok", {"line": "snmp-server community s3cr3t RO"}], "url": "https://u:pw@h/x"});
        let expected = json!({"output": ["ok", {"line": "snmp-server community <redacted> RO"}], "url": "https://u:<redacted>@h/x"});
        assert_eq!(filter.redact_json(&input), expected);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let filter = SensitiveDataFilter::new();
        let mut value = json!({"password": "x"});
        for _ in 0..10_000 {
            value = Value::Array(vec![value]);
        }
        filter.redact_json_in_place(&mut value);
        // Unwrap level by level: serde_json's own drop and comparison would recurse.
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
        assert_eq!(value, json!({"password": "<redacted>"}));
    }
}
