//! A private OpenSSH server for tests: `sshd` from Debian's `openssh-server` on a loopback port,
//! for the unprivileged user `scripts/setup` creates, stopped when dropped.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

pub const USER: &str = "netraven-test";
pub const PASSWORD: &str = "NetRaven-Test-Pw1";

/// A private sshd, stopped when dropped.
pub struct Sshd {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its folder (configuration, keys, `authorized_keys`).
    pub dir: tempfile::TempDir,
    /// Its host key fingerprint.
    pub fingerprint: String,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("command runs");
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

pub fn keygen(path: &Path) {
    run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-C", "netraven-test", "-f"]).arg(path));
}

pub fn start_sshd() -> Sshd {
    assert!(Path::new("/usr/sbin/sshd").exists(), "openssh-server is missing: run scripts/setup");
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let host_key = dir.path().join("host_key");
    keygen(&host_key);
    let listing = run(Command::new("ssh-keygen").arg("-lf").arg(host_key.with_extension("pub")));
    let fingerprint = listing.split_whitespace().nth(1).unwrap().to_string();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = dir.path().join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile {d}/sshd.pid\nUsePAM no\n\
             PasswordAuthentication yes\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nAllowUsers {USER}\nLogLevel ERROR\n",
            hk = host_key.display(),
            d = dir.path().display()
        ),
    )
    .unwrap();
    std::fs::create_dir_all("/run/sshd").expect("/run/sshd (run the tests as root, as CI does)");
    let child = Command::new("/usr/sbin/sshd").args(["-D", "-e", "-f"]).arg(&config).spawn().unwrap();
    let sshd = Sshd { child, port, dir, fingerprint };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return sshd;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("sshd did not start on port {port}");
}

