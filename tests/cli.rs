//! The `netraven` binary as a user runs it: append an event, read it back, and get a clear
//! error and a non-zero exit for bad input, which writes nothing.

use std::process::Command;

fn netraven(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_netraven"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("NETRAVEN_KAFKA_BOOTSTRAP")
        .output()
        .expect("netraven runs")
}

const DEVICE: &str = r#"{"device_id":"01930000-0000-7000-8000-000000000001","name":"core-1","host":"10.0.0.1","port":22,"protocol":"ssh","tags":["core"]}"#;

#[test]
fn append_then_read_round_trips_and_bad_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = netraven(dir.path(), &["events", "append", "--type", "netraven.device.registered.v1", "--data", DEVICE]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let appended: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(appended["stream_version"], 1);

    let out = netraven(dir.path(), &["events", "read"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["type"], "netraven.device.registered.v1");
    assert_eq!(lines[0]["data"]["name"], "core-1");
    assert_eq!(lines[0]["specversion"], "1.0");

    for bad in [
        vec!["events", "append", "--type", "netraven.device.registered.v1", "--data", r#"{"name":1}"#],
        vec!["events", "append", "--type", "netraven.nothing.v1", "--data", DEVICE],
        vec!["events", "append", "--type", "netraven.device.registered.v1", "--data", DEVICE, "--expect-version", "none"],
        vec!["events", "read", "--from", "garbage"],
    ] {
        let out = netraven(dir.path(), &bad);
        assert!(!out.status.success(), "{bad:?} should fail");
        assert!(String::from_utf8_lossy(&out.stderr).contains("error:"), "{bad:?}: a clear message");
    }
    let out = netraven(dir.path(), &["events", "read"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1, "bad input wrote nothing");
}

#[test]
fn the_committed_schemas_and_openapi_document_match_the_code() {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let out = Command::new(env!("CARGO_BIN_EXE_netraven")).args(["schemas", "check", "--dir"]).arg(&schemas).output().expect("netraven runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(schemas.join("openapi/netraven-api.json")).unwrap()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/jobs"]["post"]["responses"]["201"].is_object());
}

#[test]
fn the_projector_rebuilds_views_and_index_from_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let out = netraven(dir.path(), &["events", "append", "--type", "netraven.device.registered.v1", "--data", DEVICE]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for bad in [vec!["projector", "--rebuild", "--index-memory-mib", "8"], vec!["projector", "--index-memory-mib", "512"]] {
        let out = netraven(dir.path(), &bad);
        assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("error:"), "{bad:?}: a clear refusal");
    }
    assert!(!dir.path().join("views.db").exists() && !dir.path().join("index").exists(), "a refused rebuild wrote nothing");
    let out = netraven(dir.path(), &["projector", "--rebuild", "--index-memory-mib", "128"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("rebuilt from 1 events"), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("100%"));
    assert!(dir.path().join("views.db").exists() && dir.path().join("index").is_dir());
}
