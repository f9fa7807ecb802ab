//! The query API's test rig: a real embedded log fed with catalog events, the projector
//! running into a SQLite file, and the router served on 127.0.0.1 for real HTTP requests.

#![allow(dead_code)]

use netraven_api::{Authenticator, Principal, Role, TokenConfig};
use netraven_events::catalog::*;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, EventData, EventLog};
use netraven_projector::Projector;
use netraven_test_support::fixtures::*;
use netraven_query_api::{QueryState, router};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Planted in sealed secrets; must never come back from the API.
pub const CANARY: &str = "CANARY-5ec7e7-ciphertext";

/// A running API over seeded data.
pub struct Rig {
    pub _dir: tempfile::TempDir,
    pub base: String,
    pub http: reqwest::Client,
    pub log: EmbeddedLog,
    pub views: std::path::PathBuf,
    pub auth: Arc<Authenticator>,
    pub core: DeviceId,
    pub edge: DeviceId,
    pub core_jobs: Vec<JobId>,
    pub edge_job: JobId,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Configuration contents of the core device's three backups (the second only differs in a
/// volatile line, so it has the first one's hash).
pub const CONFIGS: [(&str, &str); 3] = [
    ("hostname core1\n! Last configuration change at 10:00\ninterface Gi0/1\n description uplink\n", "hash-1"),
    ("hostname core1\n! Last configuration change at 11:00\ninterface Gi0/1\n description uplink\n", "hash-1"),
    ("hostname core1\n! Last configuration change at 12:00\ninterface Gi0/1\n description core uplink\n", "hash-2"),
];

impl Rig {
    /// Seeds the log, starts the projector and the server, and waits until the views caught up.
    pub async fn start() -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let log = EmbeddedLog::open(dir.path().join("log.db")).unwrap();
        let views = dir.path().join("views.db");
        let (core, edge) = (DeviceId::new(), DeviceId::new());
        let core_jobs: Vec<JobId> = (0..3).map(|_| JobId::new()).collect();
        let edge_job = JobId::new();
        let admin = cause("ana", "corr-ana");
        append(&log, &admin, vec![
            device_registered(core, "core1", &["core"]),
            device_registered(edge, "edge1", &["edge"]),
            credential_added(CredentialId::new(), "lab", CANARY),
        ])
        .await;
        for (job, (content, hash)) in core_jobs.iter().zip(CONFIGS) {
            append(&log, &admin, backup_flow(*job, core, content, hash)).await;
        }
        append(&log, &cause("bob", "corr-bob"), vec![
            job_requested(edge_job, edge, "backup", 5),
            JobQueued { job_id: edge_job, priority: 5 }.into(),
            dispatched(edge_job, edge, 1),
            started(edge_job, 1),
            failed(edge_job, 1, "AUTHENTICATION"),
        ])
        .await;

        let projector = Projector::open(&views).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let shared: Arc<dyn EventLog> = Arc::new(log.clone());
        tokio::spawn(projector.run(shared.clone(), async { stopped.await.ok(); }));
        let auth = Arc::new(Authenticator::new(&TokenConfig::Hs256 { secret: b"query-api-test-secret-0123456789abcdef".to_vec() }, 600).unwrap());
        let app = router(QueryState::new(&views, shared, auth.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let rig = Rig { _dir: dir, base, http: reqwest::Client::new(), log, views, auth, core, edge, core_jobs, edge_job, _stop: stop };
        rig.wait_caught_up().await;
        rig
    }

    /// Appends more events and waits for the projector.
    pub async fn append(&self, actor: &str, data: Vec<EventData>) {
        append(&self.log, &cause(actor, &format!("corr-{actor}")), data).await;
        self.wait_caught_up().await;
    }

    pub async fn wait_caught_up(&self) {
        for _ in 0..400 {
            if netraven_projector::lag(&self.views, &self.log).await.is_ok_and(|l| l.events_behind == 0) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("projector never caught up");
    }

    /// A bearer token for `role`, scoped to `tags`.
    pub fn token(&self, role: Role, tags: &[&str]) -> String {
        let who = Principal { user: format!("{role:?}").to_lowercase(), role, device_tags: tags.iter().map(|t| t.to_string()).collect() };
        self.auth.issue(&who).unwrap().0
    }

    pub fn admin(&self) -> String {
        self.token(Role::Admin, &[])
    }

    /// GET `path` (under the server) with an optional token; status and JSON body (or text).
    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// GET that must succeed; the JSON body.
    pub async fn ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path, Some(&self.admin())).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }

    /// Reads `count` server-sent events from `path`, resuming after `last_id` if given.
    pub async fn sse(&self, path: &str, last_id: Option<&str>, count: usize) -> Vec<(String, String, Value)> {
        let mut request = self.http.get(format!("{}{path}", self.base)).bearer_auth(self.token(Role::Auditor, &[]));
        if let Some(id) = last_id {
            request = request.header("Last-Event-ID", id);
        }
        let mut response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let (mut buffer, mut out) = (String::new(), Vec::new());
        while out.len() < count {
            let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk()).await.expect("an event in time").unwrap().unwrap();
            buffer.push_str(std::str::from_utf8(&chunk).unwrap());
            while let Some(end) = buffer.find("\n\n") {
                let frame: String = buffer.drain(..end + 2).collect();
                let field = |name: &str| frame.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim_start().to_string());
                if let (Some(id), Some(kind), Some(data)) = (field("id:"), field("event:"), field("data:")) {
                    out.push((id, kind, serde_json::from_str(&data).unwrap()));
                }
            }
        }
        out.truncate(count);
        out
    }
}

async fn append(log: &EmbeddedLog, cause: &netraven_events::Cause, data: Vec<EventData>) {
    log.append(AppendBatch::new(events(cause, data))).await.unwrap();
}

/// The seed error body's code, asserting the seed shape.
pub fn error_code(body: &Value) -> String {
    let error = &body["error"];
    assert!(error["message"].is_string() && error["correlation_id"].is_string() && error.get("details").is_some(), "{body}");
    error["code"].as_str().unwrap().to_string()
}

/// A log entry with details, for tests that add their own.
pub fn detail_log(job: JobId) -> EventData {
    logged(job, LogLevel::Warning, "retrying", json!({ "attempt": 2 }))
}
