//! The distributed topology on real Kafka, each component its own process on loopback: a
//! command-handler (configured by a file), two device-agents in one consumer group, two
//! projectors each with a query API over its own views. A tag backup fans out over a slow
//! simulated fleet; one agent is killed with SIGKILL while it runs jobs. The dispatcher gives up
//! on its attempts, the surviving agent takes over its partitions, and every job ends exactly
//! once: no attempt ends twice in the log, the attempt the views show ends once, and both
//! projectors' views hold the same final state.
//! The survivors then stop gracefully on SIGTERM.

use netraven_devsim::{Drip, Faults, Fleet, FleetConfig, Platform};
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "topology-admin-password";
const DEVICES: usize = 12;
const TERMINAL: [&str; 4] = ["succeeded", "failed", "timed_out", "cancelled"];

/// The component processes, killed when the test ends however it ends.
struct Processes(BTreeMap<&'static str, Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.0.values_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Processes {
    /// Starts `netraven ARGS` as `name`, logging into `dir/name.log`.
    fn start(&mut self, name: &'static str, dir: &Path, env: &[(&str, String)], args: &[&str]) {
        let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_netraven"));
        cmd.args(args).envs(env.iter().map(|(k, v)| (*k, v.as_str()))).env_remove("NETRAVEN_KAFKA_BOOTSTRAP");
        cmd.stdout(log.try_clone().unwrap()).stderr(log).stdin(Stdio::null());
        self.0.insert(name, cmd.spawn().unwrap());
    }

    /// Which processes still run, and how the others exited.
    fn states(&mut self) -> String {
        let state = |(name, child): (&&str, &mut Child)| match child.try_wait() {
            Ok(None) => format!("{name} running"),
            Ok(Some(status)) => format!("{name} exited ({status})"),
            Err(err) => format!("{name} unknown ({err})"),
        };
        self.0.iter_mut().map(state).collect::<Vec<_>>().join(", ")
    }

    /// Sends SIGTERM to `name` and waits for it to exit by itself, successfully.
    fn terminate(&mut self, name: &str, dir: &Path) {
        let exit = netraven_test_support::terminate(self.0.get_mut(name).unwrap(), Duration::from_secs(30));
        assert!(exit.is_some_and(|e| e.success()), "{name} did not stop cleanly on SIGTERM ({exit:?}): {}", logs(dir, name));
    }
}

/// The last `n` lines each component logged.
fn tails(dir: &Path, n: usize) -> String {
    let tail = |name: &str| {
        let text = logs(dir, name);
        let lines: Vec<&str> = text.lines().collect();
        format!("--- {name}, last {n} lines:\n{}", lines[lines.len().saturating_sub(n)..].join("\n"))
    };
    NAMES.iter().map(|name| tail(name)).collect::<Vec<_>>().join("\n")
}

fn logs(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default()
}

const NAMES: [&str; 7] = ["command-handler", "agent-a", "agent-b", "projector-1", "projector-2", "query-api-1", "query-api-2"];

/// The warnings and errors every component logged, and whatever it printed that is not a log
/// line (a panic, an error at exit), for failure messages.
fn problems(dir: &Path) -> String {
    let worth = |l: &&str| l.contains("\"WARN\"") || l.contains("\"ERROR\"") || !l.starts_with('{');
    let lines = NAMES.iter().flat_map(|n| logs(dir, n).lines().filter(worth).map(|l| format!("{n}: {l}")).collect::<Vec<_>>());
    lines.collect::<Vec<_>>().join("\n")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One HTTP API of the deployment.
struct Api {
    base: String,
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        match req.send().await {
            Ok(res) => (res.status().as_u16(), res.json().await.unwrap_or(Value::Null)),
            Err(_) => (0, Value::Null),
        }
    }

    async fn get(&self, path: &str) -> Value {
        let (status, body) = self.call(Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }
}

/// Waits until `port` answers HTTP and hands back a token for it (from `token` when given).
async fn connect(port: u16, token: Option<&str>, dir: &Path, name: &str) -> Api {
    let (base, http) = (format!("http://127.0.0.1:{port}/api/v1"), reqwest::Client::new());
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let up = match token {
            None => http.post(format!("{base}/auth/token")).json(&json!({ "username": "admin", "password": PASSWORD })).send().await.ok(),
            Some(_) => http.get(format!("{base}/healthz")).send().await.ok(),
        };
        if let Some(res) = up.filter(|r| r.status().is_success()) {
            let token = match token {
                Some(t) => t.to_string(),
                None => res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_string(),
            };
            return Api { base, http, token };
        }
        assert!(Instant::now() < deadline, "{name} did not come up: {}", logs(dir, name));
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Every job of the fan-out `parent` as one projector's view has it, by id.
async fn children(api: &Api, parent: &str) -> BTreeMap<String, Value> {
    let page = api.get(&format!("/jobs?parent={parent}&limit=500")).await;
    page["items"].as_array().unwrap().iter().map(|j| (j["job_id"].as_str().unwrap().to_string(), j.clone())).collect()
}

/// Jobs `agent` started, from the audit timeline.
async fn started_by(api: &Api, agent: &str) -> BTreeSet<String> {
    let page = api.get(&format!("/audit/timeline?actor={agent}&type=netraven.job.started.v1&limit=500")).await;
    page["items"].as_array().unwrap().iter().filter_map(|e| e["job_id"].as_str().map(String::from)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_agents_two_projectors_one_agent_killed_every_job_ends_once() {
    let Some(bootstrap) = netraven_test_support::kafka_bootstrap() else { return };
    let mut config = FleetConfig::new(DEVICES, &[Platform::CiscoIos]);
    for spec in &mut config.devices {
        spec.config_size = 8 * 1024;
        spec.faults = Faults { drip: Some(Drip { chunk: 256, delay: Duration::from_millis(60) }), ..Faults::default() };
    }
    let fleet = Fleet::start(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let topic = format!("netraven-topology-{}", uuid::Uuid::now_v7());
    let env = [
        ("NETRAVEN_JWT_SECRET", "topology-jwt-secret-of-some-length".to_string()),
        ("NETRAVEN_VAULT_KEYS", netraven_vault::Vault::generate_spec(1)),
        ("NETRAVEN_ADMIN_PASSWORD", PASSWORD.to_string()),
        ("NETRAVEN_KAFKA_TOPIC", topic.clone()),
        ("NETRAVEN_AGENT_GROUP", format!("{topic}-agents")),
    ];
    let config_file = dir.path().join("command-handler.toml");
    std::fs::write(&config_file, format!("kafka_bootstrap = \"{bootstrap}\"\ndispatch_grace_secs = 2\n")).unwrap();
    let folder = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (write_port, read_ports) = (free_port(), [free_port(), free_port()]);
    let kafka = ["--kafka-bootstrap", bootstrap.as_str()];
    let mut procs = Processes(BTreeMap::new());
    let listen = format!("127.0.0.1:{write_port}");
    procs.start("command-handler", dir.path(), &env, &["command-handler", "--config", &config_file.to_string_lossy(), "--listen", &listen, "--data-dir", &folder("ch")]);
    for (name, id) in [("agent-a", "topology-agent-a"), ("agent-b", "topology-agent-b")] {
        procs.start(name, dir.path(), &env, &[&["device-agent", "--agent-id", id, "--data-dir", &folder(name)][..], &kafka].concat());
    }
    for (i, (projector, query)) in [("projector-1", "query-api-1"), ("projector-2", "query-api-2")].into_iter().enumerate() {
        procs.start(projector, dir.path(), &env, &[&["projector", "--data-dir", &folder(projector)][..], &kafka].concat());
        let listen = format!("127.0.0.1:{}", read_ports[i]);
        procs.start(query, dir.path(), &env, &[&["query-api", "--listen", &listen, "--data-dir", &folder(projector)][..], &kafka].concat());
    }

    let write = connect(write_port, None, dir.path(), "command-handler").await;
    let reads = [connect(read_ports[0], Some(&write.token), dir.path(), "query-api-1").await, connect(read_ports[1], Some(&write.token), dir.path(), "query-api-2").await];
    let (status, cred) = write.call(Method::POST, "/credentials", Some(json!({ "name": "lab", "username": "netraven", "secret": "netraven", "enable_secret": "enable", "tags": ["topo"] }))).await;
    assert_eq!(status, 201, "{cred}");
    for (i, device) in fleet.devices().iter().enumerate() {
        let body = json!({ "name": format!("topo-{i}"), "host": "127.0.0.1", "port": device.ssh_port.unwrap(), "platform": "cisco_ios", "tags": ["topo"] });
        let (status, answer) = write.call(Method::POST, "/devices", Some(body)).await;
        assert_eq!(status, 201, "{answer}");
    }
    let (status, parent) = write.call(Method::POST, "/jobs", Some(json!({ "type": "backup", "target": { "kind": "tags", "tags": ["topo"] }, "timeout_secs": 30 }))).await;
    assert_eq!(status, 201, "{parent}");
    let parent = parent["id"].as_str().unwrap().to_string();

    // Kill agent A as soon as it has started a job (the fleet is slow, so that job is mid-run).
    let deadline = Instant::now() + Duration::from_secs(90);
    let killed_during = loop {
        let started = started_by(&reads[0], "topology-agent-a").await;
        if !started.is_empty() {
            procs.0.get_mut("agent-a").unwrap().kill().unwrap();
            break started;
        }
        assert!(Instant::now() < deadline, "agent A started no job: {}", logs(dir.path(), "agent-a"));
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    let deadline = Instant::now() + Duration::from_secs(180);
    let mut views = Vec::new();
    for read in &reads {
        loop {
            let jobs = children(read, &parent).await;
            let parent_job = read.get(&format!("/jobs/{parent}")).await;
            if jobs.len() == DEVICES && jobs.values().all(|j| TERMINAL.contains(&j["status"].as_str().unwrap_or(""))) && TERMINAL.contains(&parent_job["status"].as_str().unwrap_or("")) {
                views.push((jobs, parent_job));
                break;
            }
            if Instant::now() >= deadline {
                let brief: Vec<Value> = jobs.values().map(|j| json!([j["job_id"], j["status"], j["attempts"]])).collect();
                let parent_events = read.get(&format!("/jobs/{parent}/events")).await;
                let types: Vec<&str> = parent_events["events"].as_array().into_iter().flatten().filter_map(|e| e["event"]["type"].as_str()).collect();
                panic!(
                    "jobs did not all end in {}: {} of {DEVICES} children seen, parent {} after {types:?}\nchildren (id, status, attempts): {brief:?}\nprocesses: {}\n{}\n{}",
                    read.base,
                    jobs.len(),
                    parent_job["status"],
                    procs.states(),
                    problems(dir.path()),
                    tails(dir.path(), 40)
                );
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    let (jobs, parent_job) = &views[0];
    assert_eq!(parent_job["status"], "succeeded", "{parent_job}");
    assert_eq!(parent_job["summary"], format!("all {DEVICES} device jobs succeeded"), "the parent waited for every child: {parent_job}");
    assert!(jobs.values().all(|j| j["status"] == "succeeded"), "every backup succeeds in the end: {jobs:?}");
    let strip = |j: &Value| json!({ "status": j["status"], "attempts": j["attempts"], "finished_at": j["finished_at"], "error": j["error"] });
    let same = |a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>| a.len() == b.len() && a.iter().all(|(id, j)| b.get(id).map(strip) == Some(strip(j)));
    assert!(same(jobs, &views[1].0), "both projectors agree:\n{jobs:?}\n{:?}", views[1].0);

    let mut taken_over = 0;
    for id in jobs.keys().chain([&parent]) {
        let history = reads[0].get(&format!("/jobs/{id}/events")).await;
        let events = history["events"].as_array().unwrap();
        let types: Vec<&str> = events.iter().map(|e| e["event"]["type"].as_str().unwrap()).collect();
        // A result is keyed by job and attempt: an attempt given up on may still report late
        // (its result is stale, and no view takes it), but no attempt ends twice, and the
        // attempt the views show ends exactly once.
        let ends: Vec<u64> = events
            .iter()
            .filter(|e| TERMINAL.iter().any(|end| e["event"]["type"].as_str().unwrap().contains(&format!(".job.{end}."))))
            .map(|e| e["event"]["data"]["attempt"].as_u64().unwrap_or(0))
            .collect();
        let distinct: BTreeSet<u64> = ends.iter().copied().collect();
        assert_eq!(distinct.len(), ends.len(), "job {id}: an attempt ended twice: {types:?}");
        let last = jobs.get(id).map_or(0, |j| j["attempts"].as_u64().unwrap_or(0));
        assert_eq!(ends.iter().filter(|a| **a == last || id == &parent).count(), 1, "job {id} ends exactly once in its attempt {last}: {types:?}");
        if killed_during.contains(id) && history.to_string().contains("topology-agent-b") {
            taken_over += 1;
        }
    }
    assert!(taken_over >= 1, "a job agent A was running is finished by agent B");
    for name in ["agent-b", "projector-1", "projector-2", "query-api-1", "query-api-2", "command-handler"] {
        procs.terminate(name, dir.path());
    }
}
