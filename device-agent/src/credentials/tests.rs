//! Given credential events → the candidates a device gets, in order.

use super::*;
use netraven_events::catalog::{CredentialAdded, CredentialAttempted, CredentialRevoked, JobId, SealedSecret};

fn sealed() -> SealedSecret {
    SealedSecret { key_version: 1, nonce: "bm9uY2U=".into(), ciphertext: "Y2lwaGVy".into() }
}

fn added(id: CredentialId, tags: &[&str], priority: i32) -> EventData {
    CredentialAdded {
        credential_id: id,
        name: "c".into(),
        username: "netops".into(),
        secret: sealed(),
        enable_secret: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        priority,
    }
    .into()
}

fn attempt(id: CredentialId, device: DeviceId, outcome: AttemptOutcome) -> EventData {
    CredentialAttempted { credential_id: id, device_id: device, job_id: JobId::new(), outcome }.into()
}

fn ids() -> [CredentialId; 3] {
    [1, 2, 3].map(|n| CredentialId(uuid::Uuid::from_u128(n)))
}

#[test]
fn tags_filter_and_priority_orders() {
    let [core, any, edge] = ids();
    let mut book = CredentialBook::default();
    for e in [added(core, &["core"], 2), added(any, &[], 5), added(edge, &["edge"], 1)] {
        book.apply(&e);
    }
    let device = DeviceId::new();
    assert_eq!(book.candidates(device, &["core".into()]), vec![core, any]);
    assert_eq!(book.candidates(device, &["edge".into()]), vec![edge, any]);
    assert_eq!(book.candidates(device, &[]), vec![any]);
}

#[test]
fn past_success_on_the_device_comes_first_and_failures_go_last() {
    let [a, b, c] = ids();
    let device = DeviceId::new();
    let mut book = CredentialBook::default();
    for e in [added(a, &[], 1), added(b, &[], 2), added(c, &[], 3)] {
        book.apply(&e);
    }
    book.apply(&attempt(a, device, AttemptOutcome::AuthenticationFailed));
    book.apply(&attempt(c, device, AttemptOutcome::Success));
    assert_eq!(book.candidates(device, &[]), vec![c, b, a]);
    let other = DeviceId::new();
    assert_eq!(book.candidates(other, &[])[0], a, "history on one device does not reorder another by priority");
}

#[test]
fn revoked_credentials_are_never_candidates() {
    let [a, b, _] = ids();
    let mut book = CredentialBook::default();
    for e in [added(a, &[], 1), added(b, &[], 2), CredentialRevoked { credential_id: a }.into()] {
        book.apply(&e);
    }
    assert_eq!(book.candidates(DeviceId::new(), &[]), vec![b]);
}
