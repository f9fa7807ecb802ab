//! The CLI client against a live `netraven serve`: log in, add and list devices (table and
//! JSON), run a backup of an unreachable device and watch it fail (exit 1), the same over a tag
//! with a progress bar of the fanned-out jobs, list and show jobs,
//! cancel an ended job (exit 1), configs, search, import, schedules, an unknown job (exit 4), a
//! wrong password and a refused token (exit 3), no login (exit 3), no server (exit 5).

use serde_json::Value;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "client-admin-password";

/// A `netraven serve` child and the client's temp folder.
struct Server {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    /// A graceful stop (SIGTERM), SIGKILL only if it hangs: serve's shutdown path runs too.
    fn drop(&mut self) {
        if netraven_test_support::terminate(&mut self.child, Duration::from_secs(30)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What a client run printed and how it exited.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_netraven"));
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"]).arg(dir.path().join("data"));
        cmd.env("NETRAVEN_ADMIN_PASSWORD", PASSWORD).env_remove("NETRAVEN_KAFKA_BOOTSTRAP");
        cmd.stdout(std::fs::File::create(dir.path().join("serve.out")).unwrap()).stderr(std::fs::File::create(dir.path().join("serve.err")).unwrap()).stdin(Stdio::null());
        let child = cmd.spawn().unwrap();
        Server { child, url: format!("http://127.0.0.1:{port}"), dir }
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("serve.err")).unwrap_or_default()
    }

    /// Runs the client with `args`, `stdin` on its standard input, and the config in the temp folder.
    fn client(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netraven"))
            .args(args)
            .env("NETRAVEN_CLIENT_CONFIG", self.dir.path().join("client.json"))
            .env("NETRAVEN_PASSWORD", PASSWORD)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8_lossy(&out.stdout).into(), stderr: String::from_utf8_lossy(&out.stderr).into() }
    }

    /// Runs the client until `done` holds for its run.
    fn until(&self, args: &[&str], what: &str, done: impl Fn(&Run) -> bool) -> Run {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let run = self.client(args, "");
            if done(&run) {
                return run;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: exit {} {} {}\nserver log:\n{}", run.code, run.stdout, run.stderr, self.logs());
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

#[test]
fn the_client_drives_a_live_server() {
    let server = Server::start();
    let login = server.until(&["login", "--server", &server.url, "--user", "admin"], "the login", |r| r.code == 0);
    assert!(login.stdout.contains("logged in"), "{}", login.stdout);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(server.dir.path().join("client.json")).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let added = server.client(&["devices", "add", "edge-1", "--host", "127.0.0.1", "--port", &closed, "--platform", "cisco_ios", "--tag", "lab", "--json"], "");
    assert_eq!(added.code, 0, "{} {}", added.stdout, added.stderr);
    let device = added.json()["device_id"].as_str().unwrap().to_string();
    let listed = server.until(&["devices", "list", "--json"], "the device in the list", |r| r.code == 0 && r.stdout.contains(&device));
    assert_eq!(listed.json()["items"][0]["name"], "edge-1");
    let table = server.client(&["devices", "list", "--tag", "lab"], "");
    assert!(table.stdout.starts_with("NAME") && table.stdout.contains("edge-1") && table.stdout.contains("cisco_ios"), "{}", table.stdout);

    let run = server.client(&["jobs", "run", "backup", "--device", &device, "--json"], "");
    assert_eq!(run.code, 0, "{} {}", run.stdout, run.stderr);
    let job = run.json()["id"].as_str().unwrap().to_string();
    let watch = server.client(&["jobs", "watch", &job], "");
    assert_eq!(watch.code, 1, "the backup of an unreachable device fails: {} {}", watch.stdout, watch.stderr);
    assert!(watch.stdout.contains("job.requested") && watch.stdout.contains("job.failed"), "{}", watch.stdout);
    assert!(watch.stderr.contains("jobs show"), "{}", watch.stderr);
    let fan_out = server.client(&["jobs", "run", "backup", "--tag", "lab", "--watch"], "");
    assert_eq!(fan_out.code, 1, "{} {}", fan_out.stdout, fan_out.stderr);
    assert!(fan_out.stderr.contains("100% 1/1 devices, 1 failed"), "a progress bar of the child jobs: {}", fan_out.stderr);

    let jobs = server.until(&["jobs", "list", "--status", "failed"], "the failed job in the list", |r| r.stdout.contains(&job));
    assert!(jobs.stdout.starts_with("ID") && jobs.stdout.contains("backup"), "{}", jobs.stdout);
    let shown = server.client(&["jobs", "show", &job], "");
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(shown.stdout.contains("status:") && shown.stdout.contains("failed") && shown.stdout.contains("MESSAGE"), "{}", shown.stdout);
    let shown = server.client(&["jobs", "show", &job, "--json"], "").json();
    assert_eq!(shown["job"]["status"], "failed");
    assert!(!shown["logs"]["items"].as_array().unwrap().is_empty(), "{shown}");

    let cancel = server.client(&["jobs", "cancel", &job], "");
    assert_eq!(cancel.code, 1, "an ended job cannot be cancelled: {} {}", cancel.stdout, cancel.stderr);
    let configs = server.client(&["configs", "list", &device], "");
    assert_eq!((configs.code, configs.stdout.trim()), (0, "(none)"), "{}", configs.stderr);
    let message = shown["logs"]["items"][0]["message"].as_str().unwrap().to_string();
    let word = message.split(|c: char| !c.is_ascii_alphabetic()).find(|w| w.len() >= 5).unwrap_or_else(|| panic!("no word in {message}"));
    let hits = server.until(&["search", word, "--json"], "a log search hit", |r| r.code == 0 && r.json()["total_hits"].as_u64() > Some(0));
    assert!(hits.stdout.contains(&job), "{}", hits.stdout);
    let table = server.client(&["search", word], "");
    assert!(table.stdout.contains("hit(s)") && table.stdout.contains(&job), "{}", table.stdout);

    std::fs::write(server.dir.path().join("fleet.csv"), "name,host,port,platform,tags\nimp-1,10.0.0.9,22,cisco_ios,core\n").unwrap();
    let imported = server.client(&["devices", "import", server.dir.path().join("fleet.csv").to_str().unwrap()], "");
    assert!(imported.code == 0 && imported.stdout.contains("imported 1 device") && imported.stdout.contains("imp-1"), "{} {}", imported.stdout, imported.stderr);
    let added = server.client(&["schedules", "add", "nightly", "--cron", "0 2 * * *", "backup", "--tag", "lab"], "");
    assert!(added.code == 0 && added.stdout.contains("created"), "{} {}", added.stdout, added.stderr);
    let schedules = server.until(&["schedules", "list"], "the schedule in the list", |r| r.stdout.contains("nightly"));
    assert!(schedules.stdout.starts_with("NAME"), "{}", schedules.stdout);

    let unknown = server.client(&["jobs", "show", "0190a5d2-0000-7000-8000-000000000000"], "");
    assert_eq!(unknown.code, 4, "{} {}", unknown.stdout, unknown.stderr);
    assert!(unknown.stderr.starts_with("error: "), "{}", unknown.stderr);

    let wrong = server.client(&["login", "--server", &server.url, "--user", "admin", "--password-stdin"], "not-the-password\n");
    assert_eq!(wrong.code, 3, "{} {}", wrong.stdout, wrong.stderr);
    assert!(wrong.stderr.contains("netraven login"), "{}", wrong.stderr);
    std::fs::write(server.dir.path().join("client.json"), format!(r#"{{"server":"{}","token":"forged"}}"#, server.url)).unwrap();
    let refused = server.client(&["jobs", "list"], "");
    assert_eq!(refused.code, 3, "{} {}", refused.stdout, refused.stderr);
    assert!(refused.stderr.contains("netraven login"), "{}", refused.stderr);
    std::fs::remove_file(server.dir.path().join("client.json")).unwrap();
    let logged_out = server.client(&["schedules", "list"], "");
    assert_eq!(logged_out.code, 3, "{}", logged_out.stderr);
    let down = Server { child: Command::new("true").spawn().unwrap(), url: "http://127.0.0.1:1".into(), dir: tempfile::tempdir().unwrap() };
    assert_eq!(down.client(&["login", "--server", &down.url, "--user", "admin"], "").code, 5);
}
