//! `netraven replay` and `netraven audit` as a user runs them: timelines filtered by job,
//! device, actor and time range, the state as of a moment, JSONL export, bad arguments, and
//! `audit verify` exiting 0 on an intact log and non-zero, saying where, on a tampered one.
//! Replay prints events as stored: a credential's plaintext (a canary) never appears.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

const CANARY: &str = "canary-Pl41nText-91c2";
const CORE: &str = "01930000-0000-7000-8000-000000000001";
const EDGE: &str = "01930000-0000-7000-8000-000000000002";
const JOB: &str = "01930000-0000-7000-8000-0000000000aa";
const OTHER_JOB: &str = "01930000-0000-7000-8000-0000000000bb";

fn netraven(dir: &Path, args: &[&str]) -> Output {
    netraven_with_key(dir, args, None)
}

/// Runs the binary, with `NETRAVEN_AUDIT_KEY` set to `key` if given.
fn netraven_with_key(dir: &Path, args: &[&str], key: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netraven"));
    command.args(args).arg("--data-dir").arg(dir).env_remove("NETRAVEN_KAFKA_BOOTSTRAP").env_remove("NETRAVEN_AUDIT_KEY").env("NETRAVEN_LOG", "warn");
    if let Some(key) = key {
        command.env("NETRAVEN_AUDIT_KEY", key);
    }
    command.output().expect("netraven runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = netraven(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn append(dir: &Path, actor: &str, event_type: &str, data: Value) {
    ok(dir, &["events", "append", "--actor", actor, "--type", event_type, "--data", &data.to_string()]);
}

fn job_event(dir: &Path, actor: &str, kind: &str, extra: Value) {
    let mut data = json!({"job_id": JOB, "attempt": 1});
    data.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    append(dir, actor, &format!("netraven.job.{kind}.v1"), data);
}

fn config(dir: &Path, content: &str) {
    let extra = json!({"device_id": CORE, "content": content, "content_hash": format!("h{}", content.len()), "size_bytes": content.len(), "filter_version": 1});
    job_event(dir, "agent", "config_captured", extra);
}

/// Writes a history and returns every event's time, in order.
fn history(dir: &Path) -> Vec<String> {
    let device = |id: &str, name: &str| json!({"device_id": id, "name": name, "host": name, "port": 22, "protocol": "ssh", "tags": ["core"]});
    append(dir, "alice", "netraven.device.registered.v1", device(CORE, "core-1"));
    append(dir, "alice", "netraven.device.registered.v1", device(EDGE, "edge-1"));
    let vault = netraven_vault::Vault::from_keys([(1, [3u8; 32])]).unwrap();
    let credential = "01930000-0000-7000-8000-0000000000cc";
    let secret = vault.seal(CANARY, credential.as_bytes());
    let sealed = json!({"key_version": secret.key_version, "nonce": secret.nonce, "ciphertext": secret.ciphertext});
    append(dir, "alice", "netraven.credential.added.v1", json!({"credential_id": credential, "name": "lab", "username": "admin", "secret": sealed, "priority": 0}));
    let requested = |job: &str, device: &str| json!({"job_id": job, "job_type": "backup", "target": {"kind": "device", "device_id": device}, "priority": 0, "timeout_secs": 60});
    append(dir, "bob", "netraven.job.requested.v1", requested(JOB, CORE));
    append(dir, "dispatcher", "netraven.job.queued.v1", json!({"job_id": JOB, "priority": 0}));
    job_event(dir, "dispatcher", "dispatched", json!({"device_id": CORE, "job_type": "backup", "timeout_secs": 60}));
    job_event(dir, "agent", "started", json!({"agent_id": "a1"}));
    config(dir, "hostname core-1");
    config(dir, "hostname core-1");
    config(dir, "hostname core-1\nntp server 10.0.0.9");
    job_event(dir, "agent", "succeeded", json!({"summary": "captured"}));
    append(dir, "carol", "netraven.job.requested.v1", requested(OTHER_JOB, EDGE));
    append(dir, "carol", "netraven.device.updated.v1", json!({"device_id": CORE, "tags": ["core", "dc1"]}));
    let all = ok(dir, &["events", "read"]);
    all.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["time"].as_str().unwrap().to_string()).collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn replay_filters_state_as_of_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let times = history(d);
    assert_eq!(times.len(), 13);

    let everything = ok(d, &["replay"]);
    assert_eq!(lines(&everything).len(), 13);
    let job = ok(d, &["replay", "--job", JOB]);
    assert_eq!(lines(&job).len(), 8, "{job}");
    assert!(lines(&job).iter().all(|l| l.contains(&format!("job-{JOB}"))));
    assert_eq!(ok(d, &["replay", "--job", &format!("job-{JOB}")]), job, "the stream name works too");
    let device = ok(d, &["replay", "--device", CORE]);
    assert_eq!(lines(&device).len(), 10, "its own 2 events and its job's 8:\n{device}");
    assert!(!device.contains(OTHER_JOB), "a job on another device is not in its timeline");
    let carol = ok(d, &["replay", "--actor", "carol"]);
    assert_eq!(lines(&carol).len(), 2);
    assert!(lines(&carol).iter().all(|l| l.contains("by carol")));
    let range = ok(d, &["replay", "--since", &times[3], "--until", &times[5]]);
    assert_eq!(lines(&range).len(), 3, "{range}");
    assert!(lines(&range)[0].contains("netraven.job.requested.v1") && lines(&range)[2].contains("netraven.job.dispatched.v1"));

    let then = ok(d, &["replay", "--as-of", &times[7]]);
    assert!(then.contains("Inventory (2 devices)") && then.contains("tags=[core]") && !then.contains("dc1"), "{then}");
    assert!(then.contains(&format!("{JOB}  running")), "{then}");
    assert!(then.contains(&format!("{CORE}  v1  h15")) && !then.contains("v2"), "{then}");
    let now = ok(d, &["replay", "--as-of", "2100-01-01T00:00:00Z"]);
    assert!(now.contains("tags=[core,dc1]") && now.contains(&format!("{JOB}  succeeded")) && now.contains(&format!("{OTHER_JOB}  requested")), "{now}");
    assert!(now.contains(&format!("{CORE}  v2  h35")) && !now.contains("v3"), "the same hash twice is one version:\n{now}");
    let json: Value = serde_json::from_str(&ok(d, &["replay", "--as-of", &times[7], "--json"])).unwrap();
    assert_eq!(json["devices"].as_array().unwrap().len(), 2);
    assert!(json["jobs"].as_array().unwrap().iter().any(|j| j["job_id"] == JOB && j["status"] == "running" && j["actor"] == "bob"));
    assert_eq!(json["config_versions"][0]["content_hash"], "h15");
    let before = ok(d, &["replay", "--as-of", "2000-01-01T00:00:00+02:00"]);
    assert!(before.contains("Inventory (0 devices)") && before.contains("Jobs (0)"));

    let exported = ok(d, &["replay", "--device", CORE, "--export", "jsonl"]);
    let events: Vec<Value> = exported.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(events.len(), 10);
    assert!(events.iter().all(|e| e["specversion"] == "1.0" && e["streamversion"].as_u64().unwrap() >= 1));
    let file = d.join("export.jsonl");
    assert_eq!(ok(d, &["replay", "--export", "jsonl", "--output", file.to_str().unwrap()]), "");
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 13);

    for output in [everything, exported, now, std::fs::read_to_string(&file).unwrap()] {
        assert!(!output.contains(CANARY), "a credential's plaintext never appears");
    }
    assert!(std::fs::read_to_string(&file).unwrap().contains("ciphertext"), "credentials are replayed as stored, sealed");

    for bad in [
        vec!["replay", "--job", "not-a-uuid"],
        vec!["replay", "--since", "yesterday"],
        vec!["replay", "--since", &times[5], "--until", &times[3]],
        vec!["replay", "--as-of", &times[3], "--job", JOB],
        vec!["replay", "--export", "csv"],
        vec!["replay", "--output", "x.jsonl"],
        vec!["replay", "--json"],
        vec!["replay", "--device", "01930000-0000-7000-8000-00000000ffff"],
    ] {
        let out = netraven(d, &bad);
        assert!(!out.status.success(), "{bad:?} should fail");
        assert!(String::from_utf8_lossy(&out.stderr).contains("error"), "{bad:?}: a clear message");
    }
}

#[test]
fn audit_verify_exits_zero_when_intact_and_non_zero_where_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    history(d);
    let out = netraven(d, &["audit", "verify"]);
    assert!(!out.status.success(), "no key and no checkpoint: nothing to attest");
    assert!(ok(d, &["audit", "seal"]).contains("sealed checkpoint #1 (partition 0: 13 events through offset 13)"));
    assert!(ok(d, &["audit", "verify"]).contains("intact"));
    let key = std::fs::metadata(d.join("audit.key")).unwrap();
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&key.permissions()) & 0o777, 0o600);
    let out = netraven_with_key(d, &["audit", "verify"], Some("another key from the environment, 32+ bytes"));
    assert!(!out.status.success(), "NETRAVEN_AUDIT_KEY wins over the file, and this key signed nothing");
    assert!(String::from_utf8_lossy(&out.stdout).contains("BAD SIGNATURE [checkpoint #1]"));

    let store = d.join("events.db");
    let mut event: Value = serde_json::from_slice(&netraven_test_support::embedded::stored_body(&store, 4)).unwrap();
    event["actor"] = json!("mallory");
    netraven_test_support::embedded::replace_body(&store, 4, &serde_json::to_vec(&event).unwrap());
    let conn = rusqlite::Connection::open(&store).unwrap();
    conn.execute("DELETE FROM events WHERE position = 9", []).unwrap();

    let out = netraven(d, &["audit", "verify"]);
    assert!(!out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    let id = event["id"].as_str().unwrap();
    assert!(report.contains(&format!("ALTERED partition 0 offset 4 event {id}")), "{report}");
    assert!(report.contains("DELETED partition 0 offset 9"), "{report}");
    assert!(report.contains("CHAIN MISMATCH [checkpoint #1] partition 0"), "{report}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("FAILED verification"));

    let out = netraven(d, &["audit", "verify", "--json"]);
    assert!(!out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["findings"].as_array().unwrap().iter().any(|f| f["problem"] == "altered" && f["offset"] == 4));
}

/// `--kafka-bootstrap` arguments for a fresh topic, or `None` when skipping Kafka was asked for.
/// Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`) unless `NETRAVEN_SKIP_KAFKA=1`.
fn kafka_topic() -> Option<[String; 4]> {
    let bootstrap = netraven_test_support::kafka_bootstrap()?;
    Some(["--kafka-bootstrap".into(), bootstrap, "--kafka-topic".into(), format!("netraven-replay-cli-{}", uuid::Uuid::now_v7())])
}

#[test]
fn replay_and_audit_read_a_kafka_topic() {
    let Some(kafka) = kafka_topic() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let with = |args: &[&'static str]| -> Vec<String> { args.iter().map(|a| a.to_string()).chain(kafka.iter().cloned()).collect() };
    let device = json!({"device_id": CORE, "name": "core-1", "host": "core-1", "port": 22, "protocol": "ssh", "tags": ["core"]});
    let requested = json!({"job_id": JOB, "job_type": "backup", "target": {"kind": "device", "device_id": CORE}, "priority": 0, "timeout_secs": 60});
    for (event_type, data) in [("netraven.device.registered.v1", device), ("netraven.job.requested.v1", requested)] {
        let mut args = with(&["events", "append", "--actor", "erin", "--type", event_type]);
        args.extend(["--data".to_string(), data.to_string()]);
        ok(d, &strs(&args));
    }
    let timeline = ok(d, &strs(&with(&["replay", "--device", CORE])));
    assert_eq!(lines(&timeline).len(), 2, "device and job streams, wherever their partitions are:\n{timeline}");
    let state = ok(d, &strs(&with(&["replay", "--as-of", "2100-01-01T00:00:00Z"])));
    assert!(state.contains("Inventory (1 devices)") && state.contains(&format!("{JOB}  requested")), "{state}");
    assert!(ok(d, &strs(&with(&["audit", "seal"]))).contains("sealed checkpoint #1"));
    assert!(ok(d, &strs(&with(&["audit", "verify"]))).contains("intact"));
}
