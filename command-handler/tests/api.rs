//! The write API over real HTTP on a real embedded event log: authentication, validation in
//! the seed's error format (and nothing written), idempotency, dispatch, cancel, imports, and
//! secrets that never come back.

mod common;

use common::Api;
use reqwest::Method;
use serde_json::{Value, json};

async fn device(api: &Api, name: &str, tags: &[&str]) -> String {
    let (status, body) = api.call(Some("operator"), Method::POST, "/devices", Some(json!({ "name": name, "host": "192.0.2.10", "platform": "cisco_ios", "tags": tags }))).await;
    assert_eq!(status, 201, "{body}");
    body["device_id"].as_str().unwrap().to_string()
}

fn assert_seed_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(body["error"]["correlation_id"].as_str().is_some_and(|c| !c.is_empty()));
    assert!(body["error"].get("details").is_some());
}

#[tokio::test]
async fn tokens_need_the_right_password_and_routes_need_a_token() {
    let api = Api::start(false).await;
    let (status, body) = api.call(None, Method::POST, "/auth/token", Some(json!({ "username": "admin", "password": "wrong" }))).await;
    assert_eq!(status, 401);
    assert_seed_error(&body, "UNAUTHORIZED");
    let (status, body) = api.call(None, Method::POST, "/devices", Some(json!({ "name": "r1" }))).await;
    assert_eq!(status, 401);
    assert_seed_error(&body, "UNAUTHORIZED");
    let res = api.http.post(format!("{}/devices", api.base)).bearer_auth("not.a.token").header("x-correlation-id", "corr-42").json(&json!({})).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(res.headers()["x-correlation-id"], "corr-42");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["correlation_id"], "corr-42");
    let (status, body) = api.call(Some("admin"), Method::GET, "/nothing-here", None).await;
    assert_eq!(status, 404);
    assert_seed_error(&body, "NOT_FOUND");
}

#[tokio::test]
async fn invalid_bodies_are_400s_that_say_what_is_wrong_and_write_nothing() {
    let api = Api::start(false).await;
    let id = device(&api, "r1", &[]).await;
    let before = api.head().await;
    let cases = [
        ("/devices", json!({ "name": "r2", "host": "not a host!" }), "host"),
        ("/devices", json!({ "name": "r2", "colour": "blue" }), "colour"),
        ("/devices", json!({ "name": "" }), "name"),
        ("/jobs", json!({ "type": "backup", "target": { "kind": "device", "device_id": id }, "timeout_secs": 0 }), "timeout_secs"),
        ("/jobs", json!({ "type": "reboot", "target": { "kind": "device", "device_id": id } }), "reboot"),
        ("/jobs", json!({ "type": "command", "target": { "kind": "device", "device_id": id } }), "commands"),
        ("/jobs", json!({ "type": "backup", "target": { "kind": "tags", "tags": ["nowhere"] } }), "tags"),
        ("/credentials", json!({ "name": "c", "username": "u", "secret": "" }), "secret"),
        ("/schedules", json!({ "name": "s", "spec": { "kind": "cron", "expression": "0 2 * * *", "timezone": "Nowhere/Town" }, "job": { "type": "backup", "target": { "kind": "device", "device_id": id } } }), "time zone"),
    ];
    for (path, body, mentions) in cases {
        let (status, answer) = api.call(Some("admin"), Method::POST, path, Some(body.clone())).await;
        assert_eq!(status, 400, "{path} {body} → {answer}");
        assert_seed_error(&answer, "INVALID_INPUT");
        assert!(answer["error"]["message"].as_str().unwrap().contains(mentions), "{answer} should mention {mentions}");
    }
    let res = api.http.post(format!("{}/devices", api.base)).bearer_auth(api.token("admin").await).body("{not json").header("content-type", "application/json").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let huge = "x".repeat(netraven_api::BODY_LIMIT + 10);
    let (status, body) = api.call(Some("admin"), Method::POST, "/devices", Some(json!({ "name": huge }))).await;
    assert_eq!(status, 413, "{body}");
    assert_seed_error(&body, "PAYLOAD_TOO_LARGE");
    let (status, _) = api.call(Some("operator"), Method::POST, "/devices", Some(json!({ "name": "r1" }))).await;
    assert_eq!(status, 409, "a second device named r1");
    assert_eq!(api.head().await, before, "nothing was written");
}

#[tokio::test]
async fn a_job_is_created_once_per_idempotency_key_dispatched_and_cancelled() {
    let api = Api::start(true).await;
    let id = device(&api, "r1", &["core"]).await;
    let token = api.token("operator").await;
    let post = |key: &'static str| {
        api.http.post(format!("{}/jobs", api.base)).bearer_auth(&token).header("idempotency-key", key).header("x-correlation-id", "corr-job").json(&json!({ "type": "backup", "target": { "kind": "device", "device_id": id } })).send()
    };
    let first = post("k1").await.unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post("k1").await.unwrap();
    assert_eq!(again.status().as_u16(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    assert_eq!(first["created_by"], "operator");
    assert_eq!(first["correlation_id"], "corr-job");
    let job_id = first["id"].as_str().unwrap().to_string();
    let stream = netraven_events::StreamId::new(format!("job-{job_id}"));
    let mut dispatched = false;
    for _ in 0..100 {
        let events = api.log.read_stream(&stream, 0).await.unwrap();
        if events.iter().any(|e| e.event.event_type() == "netraven.job.dispatched.v1") {
            assert!(events.iter().all(|e| e.event.correlation_id == "corr-job"), "every event of the job carries the request's correlation id");
            assert_eq!(events[0].event.actor, "operator");
            dispatched = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(dispatched, "the dispatcher dispatched the job");
    let (status, body) = api.call(Some("operator"), Method::POST, &format!("/jobs/{job_id}/cancel"), Some(json!({ "reason": "change window closed" }))).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("cancelled")), "{body}");
    let (status, body) = api.call(Some("operator"), Method::POST, &format!("/jobs/{job_id}/cancel"), None).await;
    assert_eq!(status, 409);
    assert_seed_error(&body, "CONFLICT");
    let (status, body) = api.call(Some("operator"), Method::POST, "/jobs", Some(json!({ "type": "backup", "target": { "kind": "tags", "tags": ["core"] } }))).await;
    assert_eq!(status, 201);
    assert_eq!(body["children"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_secret_is_accepted_once_and_never_returned_or_stored_in_clear() {
    let api = Api::start(false).await;
    let canary = "CANARY-pw-7f3a9c1e";
    let (status, body) = api.call(Some("admin"), Method::POST, "/credentials", Some(json!({ "name": "lab", "username": "netops", "secret": canary, "enable_secret": format!("{canary}-enable"), "tags": ["core"], "priority": 5 }))).await;
    assert_eq!(status, 201, "{body}");
    assert!(!body.to_string().contains("CANARY"));
    let id = body["credential_id"].as_str().unwrap();
    let (status, body) = api.call(Some("admin"), Method::POST, &format!("/credentials/{id}/rotate"), Some(json!({ "secret": format!("{canary}-2") }))).await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.to_string().contains("CANARY"));
    let (status, _) = api.call(Some("operator"), Method::POST, &format!("/credentials/{id}/revoke"), None).await;
    assert_eq!(status, 403);
    let (status, _) = api.call(Some("admin"), Method::POST, &format!("/credentials/{id}/revoke"), None).await;
    assert_eq!(status, 200);
    let (status, _) = api.call(Some("admin"), Method::POST, &format!("/credentials/{id}/rotate"), Some(json!({ "secret": "x" }))).await;
    assert_eq!(status, 409, "a revoked credential cannot be rotated");
    for entry in std::fs::read_dir(api.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(6).any(|w| w == b"CANARY"), "no file holds the secret in clear");
    }
}

#[tokio::test]
async fn a_router_db_import_registers_every_device_or_none() {
    let api = Api::start(false).await;
    let token = api.token("operator").await;
    let import = |body: &'static str| api.http.post(format!("{}/devices/import", api.base)).bearer_auth(&token).header("content-type", "text/csv").body(body).send();
    let bad = import("core1:ios:core\ncore2:ios:core:extra:field\n").await.unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let body: Value = bad.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("line 2"), "{body}");
    let before = api.head().await;
    let ok = import("# lab\ncore1:ios:core\nedge1:junos:edge\n").await.unwrap();
    assert_eq!(ok.status().as_u16(), 201);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["imported"], 2);
    assert_eq!(body["devices"][1]["platform"], "juniper_junos");
    assert_ne!(api.head().await, before);
    let dup = import("core1:ios:core\n").await.unwrap();
    assert_eq!(dup.status().as_u16(), 409);
}

#[tokio::test]
async fn snapshot_now_backs_up_every_device_first() {
    let api = Api::start(false).await;
    let (status, body) = api.call(Some("operator"), Method::POST, "/jobs/snapshot", None).await;
    assert_eq!(status, 400, "no device yet: {body}");
    device(&api, "r1", &["core"]).await;
    device(&api, "r2", &["edge"]).await;
    let (status, all) = api.call(Some("operator"), Method::POST, "/jobs/snapshot", None).await;
    assert_eq!(status, 201, "{all}");
    assert_eq!((all["children"].as_array().unwrap().len(), all["priority"].as_i64()), (2, Some(100)));
    let (status, core) = api.call(Some("operator"), Method::POST, "/jobs/snapshot", Some(json!({ "tags": ["core"] }))).await;
    assert_eq!((status, core["children"].as_array().unwrap().len()), (201, 1));
}
