//! The committed `schemas/` folder is exactly what the code generates, every event validates
//! against its published schema, and a breaking change to a published version is refused.

use netraven_events::schema::{self, INDEX_FILE};
use netraven_events::{EventData, data_schema_uri};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn copy_of_committed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(committed()).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    dir
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn committed_schemas_match_the_code() {
    let drift = schema::check(&committed()).unwrap();
    assert!(drift.is_clean(), "schemas/ differs from the code, run `cargo run -- schemas write`: {drift:?}");
}

#[test]
fn the_index_lists_every_event_type_with_its_file() {
    let index = read(&committed().join(INDEX_FILE));
    let listed: Vec<&str> = index["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    let catalog: Vec<&str> = EventData::catalog().iter().map(|e| e.event_type).collect();
    assert_eq!(listed, catalog);
    for entry in index["events"].as_array().unwrap() {
        assert!(committed().join(entry["file"].as_str().unwrap()).exists());
        assert_eq!(entry["dataschema"], data_schema_uri(entry["type"].as_str().unwrap()));
    }
}

#[test]
fn sample_events_validate_against_their_published_schemas() {
    let samples = [
        ("netraven.job.requested.v1", json!({
            "job_id": "01930000-0000-7000-8000-000000000001", "job_type": "command",
            "target": {"kind": "tags", "tags": ["core"]},
            "parameters": {"commands": ["show version"], "config_mode": false},
            "priority": 5, "timeout_secs": 60
        })),
        ("netraven.credential.added.v1", json!({
            "credential_id": "01930000-0000-7000-8000-000000000002", "name": "lab", "username": "netops",
            "secret": {"key_version": 3, "nonce": "bm9uY2U=", "ciphertext": "Y2lwaGVy"}, "tags": [], "priority": 1
        })),
        ("netraven.schedule.created.v1", json!({
            "schedule_id": "01930000-0000-7000-8000-000000000003", "name": "nightly",
            "spec": {"kind": "cron", "expression": "0 2 * * *", "timezone": "Europe/Berlin"},
            "missed_runs": "fire_once", "job_type": "backup", "target": {"kind": "device", "device_id": "01930000-0000-7000-8000-000000000004"}
        })),
    ];
    for (event_type, data) in samples {
        let schema = read(&committed().join(format!("{event_type}.json")));
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(validator.is_valid(&data), "{event_type}: {:?}", validator.iter_errors(&data).map(|e| e.to_string()).collect::<Vec<_>>());
        EventData::from_value(event_type, data.clone()).expect("the code reads what the schema allows");
        let mut broken = data.clone();
        broken.as_object_mut().unwrap().remove(schema["required"][0].as_str().unwrap());
        assert!(!validator.is_valid(&broken), "{event_type}: a missing required field must fail");
    }
}

#[test]
fn a_breaking_change_to_a_published_version_is_refused() {
    let dir = copy_of_committed();
    let file = dir.path().join("netraven.job.queued.v1.json");
    // Pretend the published version had a field the code no longer has: the code "removed" it.
    let mut published = read(&file);
    published["properties"]["queue"] = json!({"type": "string"});
    std::fs::write(&file, serde_json::to_string_pretty(&published).unwrap() + "\n").unwrap();

    let drift = schema::check(dir.path()).unwrap();
    assert_eq!(drift.breaking, vec!["netraven.job.queued.v1.json: #/properties/queue: removed"]);
    let err = schema::write(dir.path()).unwrap_err().to_string();
    assert!(err.contains("add a new version instead"), "{err}");
    assert_eq!(read(&file), published, "a refused write changes nothing");
}

#[test]
fn an_additive_change_is_written() {
    let dir = copy_of_committed();
    let file = dir.path().join("netraven.job.queued.v1.json");
    // Pretend the published version lacked the optional description: adding it is compatible.
    let mut published = read(&file);
    published.as_object_mut().unwrap().remove("description");
    std::fs::write(&file, serde_json::to_string_pretty(&published).unwrap() + "\n").unwrap();
    let drift = schema::write(dir.path()).unwrap();
    assert_eq!(drift.changed, vec!["netraven.job.queued.v1.json"]);
    assert!(schema::check(dir.path()).unwrap().is_clean());
}

#[test]
fn dropping_a_published_version_is_refused() {
    let dir = copy_of_committed();
    std::fs::write(dir.path().join("netraven.job.paused.v1.json"), "{}\n").unwrap();
    let drift = schema::check(dir.path()).unwrap();
    assert_eq!(drift.orphaned, vec!["netraven.job.paused.v1.json"]);
    assert!(schema::write(dir.path()).is_err());
}
