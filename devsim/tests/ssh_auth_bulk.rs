//! SSH authentication methods (keyboard-interactive, public key) and bulk output: a 20 MB
//! configuration arriving byte for byte through an interactive shell.

mod common;

use std::sync::Arc;

use common::{Shell, connect, fleet, unix};
use netraven_devsim::{ConfigParams, Platform, generate};
use russh::client::KeyboardInteractiveAuthResponse;
use russh::keys::PrivateKey;
use russh::keys::key::PrivateKeyWithHashAlg;
use russh::keys::ssh_key::private::Ed25519Keypair;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_interactive_and_public_key_logins() {
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[7; 32]));
    let public = key.public_key().to_openssh().expect("openssh form");
    let fleet = fleet(1, &[Platform::CiscoIos], |c| {
        c.devices[0].authorized_key = Some(public)
    })
    .await;
    let info = &fleet.devices()[0];
    let port = info.ssh_port.unwrap_or_default();

    let (mut h, _) = connect(port).await.expect("connects");
    let start = h
        .authenticate_keyboard_interactive_start(&info.username, None)
        .await
        .expect("kbd-int");
    let KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } = start else {
        panic!("expected a challenge")
    };
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].prompt, "Password: ");
    let done = h
        .authenticate_keyboard_interactive_respond(vec![info.password.clone()])
        .await
        .expect("respond");
    assert!(matches!(done, KeyboardInteractiveAuthResponse::Success));

    let (mut h, _) = connect(port).await.expect("connects");
    let auth = h
        .authenticate_publickey(
            &info.username,
            PrivateKeyWithHashAlg::new(Arc::new(key), None),
        )
        .await
        .expect("publickey");
    assert!(auth.success(), "the configured key logs in");
    let stranger = PrivateKey::from(Ed25519Keypair::from_seed(&[8; 32]));
    let (mut h, _) = connect(port).await.expect("connects");
    let auth = h
        .authenticate_publickey(
            &info.username,
            PrivateKeyWithHashAlg::new(Arc::new(stranger), None),
        )
        .await
        .expect("publickey");
    assert!(!auth.success(), "another key does not");
    let auth = h
        .authenticate_password(&info.username, "wrong")
        .await
        .expect("password");
    assert!(!auth.success(), "a wrong password does not");
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_megabyte_config_arrives_intact() {
    let size = 20 * 1024 * 1024;
    let fleet = fleet(1, &[Platform::CiscoIos], |c| {
        c.devices[0].config_size = size
    })
    .await;
    let info = &fleet.devices()[0];
    let mut sh = Shell::open(info).await;
    sh.until("R1>").await;
    sh.cmd("enable", "Password: ").await;
    sh.cmd(&info.enable_secret, "R1#").await;
    sh.cmd("terminal length 0", "R1#").await;
    let before = chrono::Utc::now().timestamp();
    sh.send("show running-config\r").await;
    sh.until("show running-config\r\n").await;
    let received = sh.until_bytes(b"\r\nend\r\nR1#").await;
    let after = chrono::Utc::now().timestamp();
    let received = String::from_utf8(received).expect("UTF-8");
    let received = unix(received.strip_suffix("R1#").unwrap_or_default());
    assert!(received.len() >= size, "{} bytes", received.len());
    let params = fleet.device(0).map(|d| d.config_params()).expect("device");
    let matches = (before..=after).any(|now| {
        generate(&ConfigParams {
            now,
            ..params.clone()
        }) == received
    });
    assert!(matches, "the configuration arrives byte for byte");
    fleet.shutdown().await;
}
