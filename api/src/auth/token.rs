//! JWT bearer tokens: HS256 with a configured secret or RS256 with a configured key pair (or a
//! public key alone, to verify tokens issued elsewhere), and the `Principal` extractor.

use super::{Principal, Role};
use crate::ApiError;
use axum::http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The `iss` claim NetRaven issues and requires.
const ISSUER: &str = "netraven";

/// How tokens are signed and checked.
#[derive(Clone)]
pub enum TokenConfig {
    /// HMAC-SHA256 with a shared secret (at least 32 bytes).
    Hs256 {
        /// The secret.
        secret: Vec<u8>,
    },
    /// RSA-SHA256: the public key verifies; the private key, when given, issues.
    Rs256 {
        /// PEM public key.
        public_pem: Vec<u8>,
        /// PEM private key.
        private_pem: Option<Vec<u8>>,
    },
}

/// The claims of a NetRaven token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// User name.
    pub sub: String,
    /// Role.
    pub role: Role,
    /// Device scope by tag (empty: every device).
    #[serde(default)]
    pub scope: Vec<String>,
    /// Issuer.
    pub iss: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Issues and verifies tokens; put it in the router as an `Extension<Arc<Authenticator>>`.
pub struct Authenticator {
    algorithm: Algorithm,
    encoding: Option<EncodingKey>,
    decoding: DecodingKey,
    ttl_secs: i64,
}

impl Authenticator {
    /// An authenticator for `config`; tokens it issues live `ttl_secs`.
    pub fn new(config: &TokenConfig, ttl_secs: i64) -> Result<Self, ApiError> {
        let bad = |what: &str, e: jsonwebtoken::errors::Error| ApiError::Invalid { message: format!("{what}: {e}"), details: serde_json::json!({}) };
        Ok(match config {
            TokenConfig::Hs256 { secret } => {
                if secret.len() < 32 {
                    return Err(ApiError::invalid("jwt_secret", "must be at least 32 bytes"));
                }
                Authenticator { algorithm: Algorithm::HS256, encoding: Some(EncodingKey::from_secret(secret)), decoding: DecodingKey::from_secret(secret), ttl_secs }
            }
            TokenConfig::Rs256 { public_pem, private_pem } => Authenticator {
                algorithm: Algorithm::RS256,
                encoding: private_pem.as_deref().map(EncodingKey::from_rsa_pem).transpose().map_err(|e| bad("RS256 private key", e))?,
                decoding: DecodingKey::from_rsa_pem(public_pem).map_err(|e| bad("RS256 public key", e))?,
                ttl_secs,
            },
        })
    }

    /// A signed token for `principal`, and its lifetime in seconds.
    pub fn issue(&self, principal: &Principal) -> Result<(String, i64), ApiError> {
        let key = self.encoding.as_ref().ok_or_else(|| ApiError::Unavailable("this server verifies tokens but holds no signing key".into()))?;
        let now = chrono::Utc::now().timestamp();
        let claims = Claims { sub: principal.user.clone(), role: principal.role, scope: principal.device_tags.clone(), iss: ISSUER.into(), iat: now, exp: now + self.ttl_secs };
        let token = jsonwebtoken::encode(&Header::new(self.algorithm), &claims, key).map_err(|e| ApiError::Internal(format!("signing a token: {e}")))?;
        Ok((token, self.ttl_secs))
    }

    /// The principal of a valid, unexpired token of this server's algorithm.
    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let mut validation = Validation::new(self.algorithm);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|e| ApiError::Unauthorized(format!("the bearer token is not valid: {e}")))?;
        Ok(Principal { user: data.claims.sub, role: data.claims.role, device_tags: data.claims.scope })
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let auth = parts
            .extensions
            .get::<Arc<Authenticator>>()
            .cloned()
            .ok_or_else(|| ApiError::Internal("no authenticator configured for this router".into()))?;
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| ApiError::Unauthorized("this route needs `Authorization: Bearer <token>` (get one from POST /api/v1/auth/token)".into()))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or_else(|| ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into()))?;
        auth.verify(token.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs() -> Authenticator {
        Authenticator::new(&TokenConfig::Hs256 { secret: b"0123456789abcdef0123456789abcdef".to_vec() }, 60).unwrap()
    }

    #[test]
    fn an_issued_token_verifies_to_its_principal_and_a_tampered_one_does_not() {
        let who = Principal { user: "ana".into(), role: Role::Operator, device_tags: vec!["site-a".into()] };
        let (token, ttl) = hs().issue(&who).unwrap();
        assert_eq!(ttl, 60);
        assert_eq!(hs().verify(&token).unwrap(), who);
        let other = Authenticator::new(&TokenConfig::Hs256 { secret: b"another-secret-another-secret-xx".to_vec() }, 60).unwrap();
        assert_eq!(other.verify(&token).unwrap_err().code(), "UNAUTHORIZED");
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &Claims { sub: "ana".into(), role: Role::Admin, scope: vec![], iss: ISSUER.into(), iat: 0, exp: i64::MAX / 2 }, &EncodingKey::from_secret(b"guess")).unwrap();
        let forged_payload: Vec<&str> = forged.split('.').collect();
        parts[1] = forged_payload[1];
        assert!(hs().verify(&parts.join(".")).is_err());
    }

    #[test]
    fn expired_tokens_and_short_secrets_are_refused() {
        let expired = Authenticator::new(&TokenConfig::Hs256 { secret: b"0123456789abcdef0123456789abcdef".to_vec() }, -60).unwrap();
        let (token, _) = expired.issue(&Principal { user: "a".into(), role: Role::Viewer, device_tags: vec![] }).unwrap();
        assert!(hs().verify(&token).unwrap_err().to_string().contains("Expired"));
        assert!(Authenticator::new(&TokenConfig::Hs256 { secret: b"short".to_vec() }, 60).is_err());
    }
}
