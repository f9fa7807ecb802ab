//! Sealing, opening, rotation and crypto-shredding.

use super::*;

fn key(byte: u8) -> [u8; 32] {
    [byte; 32]
}

const CANARY: &str = "CanaryVaultSecret-4711";

#[test]
fn a_sealed_secret_opens_only_with_its_context_and_never_shows_the_plaintext() {
    let vault = Vault::from_keys([(1, key(1))]).unwrap();
    let sealed = vault.seal(CANARY, b"credential-a");
    assert_eq!(sealed.key_version, 1);
    let json = serde_json::to_string(&sealed).unwrap();
    assert!(!json.contains(CANARY), "{json}");
    assert_eq!(vault.open(&sealed, b"credential-a").unwrap().as_str(), CANARY);
    assert_eq!(vault.open(&sealed, b"credential-b").unwrap_err(), VaultError::Decrypt);
    let mut tampered = sealed.clone();
    tampered.ciphertext = B64.encode(b"not the ciphertext at all");
    assert_eq!(vault.open(&tampered, b"credential-a").unwrap_err(), VaultError::Decrypt);
    assert_ne!(vault.seal(CANARY, b"credential-a").nonce, sealed.nonce, "a fresh nonce every time");
}

#[test]
fn rotation_reseals_under_the_newest_key_and_removing_a_key_shreds() {
    let old = Vault::from_keys([(1, key(1))]).unwrap();
    let sealed_v1 = old.seal(CANARY, b"c");
    let rotated = Vault::from_keys([(1, key(1)), (2, key(2))]).unwrap();
    assert_eq!(rotated.current_version(), 2);
    let resealed = rotated.reseal(&sealed_v1, b"c").unwrap().expect("moved to version 2");
    assert_eq!(resealed.key_version, 2);
    assert_eq!(rotated.reseal(&resealed, b"c").unwrap(), None, "already current");

    let retired = Vault::from_keys([(2, key(2))]).unwrap();
    assert_eq!(retired.open(&resealed, b"c").unwrap().as_str(), CANARY);
    let err = retired.open(&sealed_v1, b"c").unwrap_err();
    assert_eq!(err, VaultError::KeyRemoved { version: 1 });
    assert_eq!(err.code(), "SECRET_SHREDDED");
    assert!(err.to_string().contains("crypto-shredded"));
}

#[test]
fn key_specs_are_parsed_and_bad_ones_refused_without_echoing_key_material() {
    let spec = format!("1:{},2:{}", B64.encode(key(1)), B64.encode(key(2)));
    assert_eq!(Vault::from_spec(&spec).unwrap().current_version(), 2);
    assert_eq!(Vault::from_spec("").unwrap_err(), VaultError::NoKeys);
    for bad in ["1", "x:AAAA", "1:not-base64!", "1:QUJD"] {
        let err = Vault::from_spec(bad).unwrap_err();
        assert_eq!(err.code(), "VAULT_BAD_KEY_SPEC", "{bad}");
    }
    let err = Vault::from_spec("3:QUJD").unwrap_err().to_string();
    assert!(!err.contains("QUJD"), "{err}");
    assert!(!format!("{:?}", Vault::from_spec(&spec).unwrap()).contains(&B64.encode(key(1))));
}
