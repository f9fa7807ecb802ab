//! The system's OpenSSH client (driven by `sshpass`) against simulated devices: exec with
//! exit status, both password methods, an interactive PTY session, the host key fingerprint
//! as `ssh-keyscan` sees it, a changed host key, and failing logins. Needs the `openssh-client`
//! and `sshpass` packages.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{WAIT, fleet};
use netraven_devsim::{DeviceInfo, Faults, Platform};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};

/// `sshpass -p PASSWORD ssh ... -p PORT user@127.0.0.1 ARGS`.
fn ssh(info: &DeviceInfo, known_hosts: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new("sshpass");
    cmd.args([
        "-p",
        &info.password,
        "ssh",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=10",
    ])
    .args([
        "-o",
        "NumberOfPasswordPrompts=1",
        "-o",
        &format!("UserKnownHostsFile={known_hosts}"),
    ])
    .args([
        "-o",
        if known_hosts == "/dev/null" {
            "StrictHostKeyChecking=no"
        } else {
            "StrictHostKeyChecking=yes"
        },
    ])
    .args(["-p", &info.ssh_port.unwrap_or_default().to_string()])
    .arg(format!("{}@127.0.0.1", info.username))
    .args(args)
    .stdin(Stdio::null())
    .kill_on_drop(true);
    cmd
}

/// Runs a command; returns (exit code, stdout, stderr).
async fn run(mut cmd: Command) -> (i32, String, String) {
    let out = tokio::time::timeout(WAIT, cmd.output())
        .await
        .expect("finishes in time")
        .expect("sshpass and ssh are installed (apt-get install -y sshpass openssh-client)");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssh_exec_with_both_password_methods() {
    let fleet = fleet(2, &[Platform::CiscoIos, Platform::Linux], |_| {}).await;
    let ios = &fleet.devices()[0];
    for method in ["keyboard-interactive", "password"] {
        let preferred = format!("PreferredAuthentications={method}");
        let (code, out, err) =
            run(ssh(ios, "/dev/null", &["-o", &preferred, "show version"])).await;
        assert_eq!(code, 0, "{method}: {err}");
        assert!(out.contains("Cisco IOS XE Software"), "{method}: {out}");
    }
    let (code, out, _) = run(ssh(ios, "/dev/null", &["show bogus"])).await;
    assert_eq!(code, 127);
    assert!(out.contains("% Invalid input detected at '^' marker."));
    let (code, out, _) = run(ssh(
        &fleet.devices()[1],
        "/dev/null",
        &["cat /etc/hostname"],
    ))
    .await;
    assert_eq!((code, out.as_str()), (0, "host2\r\n"));
    fleet.shutdown().await;
}

/// Reads the child's output until `needle` appears.
async fn expect(child: &mut Child, seen: &mut String, needle: &str) {
    let stdout = child.stdout.as_mut().expect("piped stdout");
    let mut buf = [0u8; 65536];
    let found = tokio::time::timeout(WAIT, async {
        while !seen.contains(needle) {
            match stdout.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            }
        }
        true
    })
    .await;
    assert!(
        matches!(found, Ok(true)),
        "did not see {needle:?} in {seen:?}"
    );
}

async fn type_line(child: &mut Child, line: &str) {
    let stdin = child.stdin.as_mut().expect("piped stdin");
    stdin
        .write_all(format!("{line}\r").as_bytes())
        .await
        .expect("typed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssh_interactive_pty_session() {
    let fleet = fleet(1, &[Platform::CiscoIos], |_| {}).await;
    let info = &fleet.devices()[0];
    let mut cmd = ssh(info, "/dev/null", &["-tt"]);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sshpass runs");
    let mut seen = String::new();
    expect(&mut child, &mut seen, "R1>").await;
    type_line(&mut child, "enable").await;
    expect(&mut child, &mut seen, "Password: ").await;
    type_line(&mut child, &info.enable_secret).await;
    expect(&mut child, &mut seen, "R1#").await;
    type_line(&mut child, "show running-config").await;
    expect(&mut child, &mut seen, " --More-- ").await;
    child
        .stdin
        .as_mut()
        .expect("stdin")
        .write_all(b"q")
        .await
        .expect("typed");
    type_line(&mut child, "terminal length 0").await;
    type_line(&mut child, "show running-config").await;
    expect(&mut child, &mut seen, "\r\nend\r\nR1#").await;
    type_line(&mut child, "exit").await;
    let status = tokio::time::timeout(WAIT, child.wait())
        .await
        .expect("ssh exits")
        .expect("status");
    assert!(status.success(), "{seen}");
    assert!(
        seen.contains("show running-config\r\nBuilding configuration..."),
        "echo, then the output"
    );
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssh_sees_the_fingerprint_and_refuses_a_changed_key() {
    let fleet = fleet(1, &[Platform::CiscoNxos], |_| {}).await;
    let info = &fleet.devices()[0];
    let port = info.ssh_port.unwrap_or_default().to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let known = dir.path().join("known_hosts");
    let (_, keys, _) = run({
        let mut c = Command::new("ssh-keyscan");
        c.args(["-t", "ed25519", "-p", &port, "127.0.0.1"]);
        c
    })
    .await;
    std::fs::write(&known, &keys).expect("known_hosts written");
    let (_, listing, _) = run({
        let mut c = Command::new("ssh-keygen");
        c.arg("-lf").arg(&known);
        c
    })
    .await;
    assert!(
        listing.contains(&info.host_key_fingerprint),
        "{listing} vs {}",
        info.host_key_fingerprint
    );
    let known = known.to_string_lossy().into_owned();
    let (code, out, err) = run(ssh(info, &known, &["show version"])).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("NXOS: version 9.3(10)"));

    fleet.device(0).expect("device").rotate_host_key();
    let (code, _, err) = run(ssh(info, &known, &["show version"])).await;
    assert_eq!(code, 255);
    assert!(
        err.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"),
        "{err}"
    );
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssh_login_fails_while_the_fault_lasts() {
    let fleet = fleet(1, &[Platform::AristaEos], |c| {
        c.devices[0].faults = Faults {
            auth_failures: 2,
            ..Faults::default()
        }
    })
    .await;
    let info = &fleet.devices()[0];
    for _ in 0..2 {
        let (code, _, _) = run(ssh(
            info,
            "/dev/null",
            &["-o", "PreferredAuthentications=password", "show version"],
        ))
        .await;
        assert_ne!(code, 0, "refused while the fault lasts");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (code, out, err) = run(ssh(info, "/dev/null", &["show version"])).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Arista DCS-7280SR-48C6-F"));
    fleet.shutdown().await;
}
