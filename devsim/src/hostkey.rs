//! Host keys: an ed25519 key per device and key generation, derived from the fleet seed so
//! fingerprints stay the same across restarts, and the russh server configuration using it.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey};
use russh::server::Config;
use russh::{MethodKind, MethodSet, SshId};
use sha2::{Digest, Sha256};

/// A device's current host key and the server configuration that presents it.
pub(crate) struct HostKey {
    /// How often the key was rotated.
    pub generation: u64,
    /// `SHA256:...`, as OpenSSH prints it.
    pub fingerprint: String,
    /// The russh configuration new connections use.
    pub config: Arc<Config>,
}

impl HostKey {
    /// The key of device `index` at `generation`.
    pub(crate) fn new(
        fleet_seed: u64,
        index: usize,
        generation: u64,
        ssh_id: &'static str,
        auth_delay: Duration,
    ) -> Self {
        let key = derive(fleet_seed, index, generation);
        let fingerprint = key.public_key().fingerprint(HashAlg::Sha256).to_string();
        let config = Config {
            server_id: SshId::Standard(Cow::Borrowed(ssh_id)),
            methods: MethodSet::from(
                &[
                    MethodKind::Password,
                    MethodKind::KeyboardInteractive,
                    MethodKind::PublicKey,
                ][..],
            ),
            auth_rejection_time: auth_delay,
            auth_rejection_time_initial: Some(Duration::ZERO),
            keys: vec![key],
            inactivity_timeout: Some(Duration::from_secs(3600)),
            nodelay: true,
            ..Config::default()
        };
        HostKey {
            generation,
            fingerprint,
            config: Arc::new(config),
        }
    }
}

/// SHA-256 of the seed, index and generation is the ed25519 seed.
fn derive(fleet_seed: u64, index: usize, generation: u64) -> PrivateKey {
    let mut hash = Sha256::new();
    hash.update(b"netraven-devsim host key v1");
    hash.update(fleet_seed.to_be_bytes());
    hash.update((index as u64).to_be_bytes());
    hash.update(generation.to_be_bytes());
    let seed: [u8; 32] = hash.finalize().into();
    PrivateKey::from(Ed25519Keypair::from_seed(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_rotate() {
        let a = HostKey::new(1, 0, 0, "SSH-2.0-x", Duration::ZERO);
        assert!(a.fingerprint.starts_with("SHA256:"));
        assert_eq!(
            a.fingerprint,
            HostKey::new(1, 0, 0, "SSH-2.0-x", Duration::ZERO).fingerprint
        );
        assert_ne!(
            a.fingerprint,
            HostKey::new(1, 0, 1, "SSH-2.0-x", Duration::ZERO).fingerprint
        );
        assert_ne!(
            a.fingerprint,
            HostKey::new(1, 1, 0, "SSH-2.0-x", Duration::ZERO).fingerprint
        );
    }
}
