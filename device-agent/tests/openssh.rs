//! The SSH adapter against a real OpenSSH server: `sshd` from Debian's `openssh-server`,
//! started here on a loopback port for the unprivileged user `scripts/setup` creates.

use netraven_device_agent::DeviceError;
use netraven_device_agent::protocol::ssh::{SshConnection, SshExec};
use netraven_device_agent::protocol::{HostKeyPolicy, Login, ProtocolAdapter, Target, Timeouts};
use std::os::unix::fs::PermissionsExt;

#[path = "support/sshd.rs"]
mod sshd;
use sshd::{PASSWORD, Sshd, USER, keygen, start_sshd};

fn target(sshd: &Sshd) -> Target {
    Target { host: "127.0.0.1".into(), port: sshd.port }
}

fn password_login(password: &str) -> Login {
    Login { username: USER.into(), password: Some(password.into()), private_key: None, enable_secret: None }
}

#[tokio::test]
async fn exec_runs_commands_and_learns_the_host_key() {
    let sshd = start_sshd();
    let conn = SshConnection::connect(&target(&sshd), &password_login(PASSWORD), HostKeyPolicy::LearnOnFirstUse, Timeouts::default())
        .await
        .unwrap();
    assert_eq!(conn.host_key().fingerprint, sshd.fingerprint, "the same fingerprint OpenSSH prints");
    assert_eq!(conn.host_key().algorithm, "ssh-ed25519");
    let mut exec = SshExec::new(conn);
    assert_eq!(exec.send_command("echo hello; whoami").await.unwrap(), format!("hello\n{USER}\n"));
    let err = exec.send_command("ls /definitely-not-here").await.unwrap_err();
    assert!(matches!(err, DeviceError::CommandRejected { .. }), "{err}");
    exec.disconnect().await.unwrap();
}

#[tokio::test]
async fn a_wrong_password_is_an_authentication_error() {
    let sshd = start_sshd();
    let result = SshConnection::connect(&target(&sshd), &password_login("wrong"), HostKeyPolicy::LearnOnFirstUse, Timeouts::default()).await;
    let err = result.err().expect("refused");
    assert_eq!(err.code(), "AUTHENTICATION", "{err}");
    assert!(!err.to_string().contains("wrong"), "the secret is not in the error");
}

#[tokio::test]
async fn a_changed_host_key_is_refused_and_the_pinned_one_accepted() {
    let sshd = start_sshd();
    let pinned = HostKeyPolicy::Pinned("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
    let err = SshConnection::connect(&target(&sshd), &password_login(PASSWORD), pinned, Timeouts::default()).await.err().unwrap();
    match err {
        DeviceError::HostKey { presented, .. } => assert_eq!(presented, sshd.fingerprint),
        other => panic!("expected a host key error, got {other}"),
    }
    let right = HostKeyPolicy::Pinned(sshd.fingerprint.clone());
    SshConnection::connect(&target(&sshd), &password_login(PASSWORD), right, Timeouts::default()).await.unwrap();
}

#[tokio::test]
async fn key_authentication_works() {
    let sshd = start_sshd();
    let key = sshd.dir.path().join("client_key");
    keygen(&key);
    std::fs::copy(key.with_extension("pub"), sshd.dir.path().join("authorized_keys")).unwrap();
    let login = Login {
        username: USER.into(),
        password: None,
        private_key: Some(std::fs::read_to_string(&key).unwrap()),
        enable_secret: None,
    };
    let conn = SshConnection::connect(&target(&sshd), &login, HostKeyPolicy::LearnOnFirstUse, Timeouts::default()).await.unwrap();
    assert_eq!(conn.exec("echo key").await.unwrap(), "key\n");
}

#[tokio::test]
async fn a_20_mb_file_comes_through_byte_for_byte() {
    let sshd = start_sshd();
    let path = sshd.dir.path().join("big.conf");
    let mut content = String::new();
    let mut i = 0u64;
    while content.len() < 20 * 1024 * 1024 {
        content.push_str(&format!("set interfaces ge-0/0/{} unit 0 description \"link {:016x}\"\n", i % 48, i.wrapping_mul(0x9e37_79b9)));
        i += 1;
    }
    std::fs::write(&path, &content).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let conn = SshConnection::connect(&target(&sshd), &password_login(PASSWORD), HostKeyPolicy::LearnOnFirstUse, Timeouts::default())
        .await
        .unwrap();
    let got = conn.exec(&format!("cat {}", path.display())).await.unwrap();
    assert!(got == content, "{} bytes back for {}", got.len(), content.len());
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let target = Target { host: "127.0.0.1".into(), port };
    let err = SshConnection::connect(&target, &password_login(PASSWORD), HostKeyPolicy::LearnOnFirstUse, Timeouts::default())
        .await
        .err()
        .unwrap();
    assert_eq!(err.code(), "UNREACHABLE", "{err}");
    assert!(err.is_retryable());
}
