//! End to end, on both event-log backends (and `serve --demo` as a newcomer starts it): `netraven serve` as a separate process, a simulated
//! fleet, and only HTTP. A backup goes in, the device-agent runs it against the simulator,
//! events flow, the projector applies them, and the query API returns the job, its logs, the
//! captured config, a diff after a config change and search hits. Canary secrets planted
//! through the API appear nowhere (and the periodic audit seals verify intact): not in any file of the data folder (event log, views,
//! index), not in the application log, not in any API answer.

use netraven_devsim::{DeviceSpec, Fleet, FleetConfig, Platform};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Canary-Pw-93f1c7e2";
const ENABLE: &str = "Canary-En-5d2e8a41";
const CANARY: &str = "Canary-";

struct Server {
    child: Child,
    base: String,
    http: reqwest::Client,
    token: String,
    dir: tempfile::TempDir,
    store: Vec<String>,
    seen: std::sync::Mutex<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(kafka: Option<&str>) -> Server {
        Self::start_with(kafka, &[]).await
    }

    /// SIGTERM, then up to 30 s for a graceful exit; how it exited.
    fn stop(&mut self) -> Option<std::process::ExitStatus> {
        netraven_test_support::terminate(&mut self.child, Duration::from_secs(30))
    }

    async fn start_with(kafka: Option<&str>, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_netraven"));
        let mut store = vec!["--data-dir".to_string(), dir.path().to_string_lossy().into_owned()];
        if let Some(bootstrap) = kafka {
            store.extend(["--kafka-bootstrap".into(), bootstrap.into(), "--kafka-topic".into(), format!("netraven-e2e-{}", uuid::Uuid::now_v7())]);
        }
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--seal-every-secs", "2"]).args(&store).args(extra);
        cmd.env("NETRAVEN_ADMIN_PASSWORD", "e2e-admin-password").env("NETRAVEN_LOG", "debug").env_remove("NETRAVEN_KAFKA_BOOTSTRAP");
        cmd.stdout(std::fs::File::create(dir.path().join("serve.out")).unwrap()).stderr(std::fs::File::create(dir.path().join("serve.err")).unwrap()).stdin(Stdio::null());
        let child = cmd.spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}/api/v1");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        let token = loop {
            let res = http.post(format!("{base}/auth/token")).json(&json!({ "username": "admin", "password": "e2e-admin-password" })).send().await;
            if let Ok(res) = res {
                if res.status().is_success() {
                    break res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string();
                }
            }
            assert!(Instant::now() < deadline, "serve did not come up: {}", std::fs::read_to_string(dir.path().join("serve.err")).unwrap_or_default());
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        Server { child, base, http, token, dir, store, seen: Default::default() }
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        self.seen.lock().unwrap().push_str(&text);
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Polls `path` until `done` holds for its answer.
    async fn until(&self, path: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let (status, body) = self.call(Method::GET, path, None).await;
            if status == 200 && done(&body) {
                return body;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: last answer {status} {body}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    async fn backup(&self, device: &str) -> String {
        let (status, job) = self.call(Method::POST, "/jobs", Some(json!({ "type": "backup", "target": { "kind": "device", "device_id": device } }))).await;
        assert_eq!(status, 201, "{job}");
        let id = job["id"].as_str().unwrap().to_string();
        let done = self.until(&format!("/jobs/{id}"), "the backup to end", |j| ["succeeded", "failed", "timed_out", "cancelled"].contains(&j["status"].as_str().unwrap_or(""))).await;
        assert_eq!(done["status"], "succeeded", "{done}");
        id
    }
}

async fn end_to_end(kafka: Option<&str>) {
    let mut spec = DeviceSpec::new("edge-r1", Platform::CiscoIos);
    spec.password = PASSWORD.into();
    spec.enable_secret = ENABLE.into();
    let mut config = FleetConfig::new(0, &[]);
    config.devices = vec![spec];
    let fleet = Fleet::start(config).await.unwrap();
    let port = fleet.devices()[0].ssh_port.unwrap();
    let server = Server::start(kafka).await;

    let (status, cred) = server.call(Method::POST, "/credentials", Some(json!({ "name": "lab", "username": "netraven", "secret": PASSWORD, "enable_secret": ENABLE, "tags": ["edge"] }))).await;
    assert_eq!(status, 201, "{cred}");
    let (status, device) = server.call(Method::POST, "/devices", Some(json!({ "name": "edge-r1", "host": "127.0.0.1", "port": port, "platform": "cisco_ios", "tags": ["edge"] }))).await;
    assert_eq!(status, 201, "{device}");
    let device_id = device["device_id"].as_str().unwrap().to_string();

    let first = server.backup(&device_id).await;
    let logs = server.until(&format!("/jobs/{first}/logs"), "job logs", |l| l.to_string().contains("backup of")).await;
    assert!(logs.to_string().contains("connecting to"), "{logs}");
    let versions = server.until(&format!("/devices/{device_id}/configs"), "a config version", |v| v.to_string().contains("content_hash")).await;
    let before = versions.to_string();

    fleet.device(0).unwrap().change_config();
    server.backup(&device_id).await;
    let versions = server.until(&format!("/devices/{device_id}/configs"), "a second config version", |v| v.to_string() != before && v.to_string().matches("content_hash").count() >= 2).await;
    let numbers: Vec<i64> = versions.to_string().match_indices("\"version\":").map(|(i, _)| versions.to_string()[i + 10..].chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap_or(0)).collect();
    let (from, to) = (numbers.iter().min().copied().unwrap_or(1), numbers.iter().max().copied().unwrap_or(2));
    let (status, diff) = server.call(Method::GET, &format!("/devices/{device_id}/configs/diff?from={from}&to={to}"), None).await;
    assert_eq!(status, 200, "{diff}");
    assert!(diff.to_string().contains("\\n+") || diff.to_string().contains("\\n-"), "a unified diff: {diff}");

    let hits = server.until("/logs/search?q=%22attempt%201%20succeeded%22", "a log search hit", |p| p["total_hits"].as_u64().unwrap_or(0) >= 1).await;
    assert!(hits["hits"][0]["snippet"]["html"].as_str().unwrap().contains("<b>"), "{hits}");
    server.until("/configs/search?q=interface&latest_only=true", "a config search hit", |p| p["total_hits"].as_u64().unwrap_or(0) >= 1).await;
    let (status, bad) = server.call(Method::GET, "/logs/search?q=%28unbalanced", None).await;
    assert_eq!((status, bad["error"]["code"].as_str()), (400, Some("INVALID_QUERY")), "{bad}");

    let (_, events) = server.call(Method::GET, &format!("/jobs/{first}/events"), None).await;
    assert!(events.to_string().contains("netraven.job.config_captured.v1"), "{events}");
    server.call(Method::GET, "/audit/timeline", None).await;
    server.call(Method::GET, "/credentials", None).await;

    // serve seals every 2 s: within a while, verify finds a checkpoint and an intact log.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let verify = Command::new(env!("CARGO_BIN_EXE_netraven")).args(["audit", "verify"]).args(&server.store).env_remove("NETRAVEN_KAFKA_BOOTSTRAP").output().unwrap();
        let report = String::from_utf8_lossy(&verify.stdout).into_owned();
        if verify.status.success() && report.contains("intact") && !report.lines().any(|l| l.starts_with("0 checkpoint")) {
            break;
        }
        let log = std::fs::read_to_string(server.dir.path().join("serve.err")).unwrap_or_default();
        let sealing: Vec<&str> = log.lines().filter(|l| l.contains("seal")).collect();
        assert!(Instant::now() < deadline, "serve seals the log periodically: {report} {}\n{sealing:?}", String::from_utf8_lossy(&verify.stderr));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    drop(fleet);
    let seen = server.seen.lock().unwrap().clone();
    assert!(!seen.contains(CANARY), "an API answer carries a planted secret");
    for entry in walk(server.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()), "{} holds a planted secret", entry.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files.extend(walk(&path)) } else { files.push(path) }
    }
    files
}

/// What a newcomer meets first: `serve --demo` shows backed-up devices, config versions and
/// search hits within a minute, and stops gracefully on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_backups_configs_and_search_hits_within_a_minute() {
    let mut server = Server::start_with(None, &["--demo", "--demo-devices", "6"]).await;
    let started = Instant::now();
    let devices = server.until("/devices?tag=demo", "the demo devices", |p| p["items"].as_array().is_some_and(|d| d.len() == 6)).await;
    let first = devices["items"][0]["device_id"].as_str().unwrap().to_string();
    server.until("/jobs?status=succeeded&type=backup&limit=100", "six successful backups", |p| p["items"].as_array().is_some_and(|j| j.iter().filter(|j| !j["device_id"].is_null()).count() >= 6)).await;
    server.until(&format!("/devices/{first}/configs"), "a config version", |v| v.to_string().contains("content_hash")).await;
    server.until("/configs/search?q=interface&latest_only=true", "a config search hit", |p| p["total_hits"].as_u64().unwrap_or(0) >= 1).await;
    assert!(started.elapsed() < Duration::from_secs(60), "the demo took {:?}", started.elapsed());
    let exit = server.stop();
    assert!(exit.is_some_and(|s| s.success()), "serve stops gracefully on SIGTERM: {exit:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_flows_end_to_end_on_the_embedded_store() {
    end_to_end(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_flows_end_to_end_on_kafka() {
    if let Some(b) = netraven_test_support::kafka_bootstrap() {
        end_to_end(Some(&b)).await;
    }
}
