//! Every write endpoint against every role: allowed roles get past authorization (their
//! answer is anything but 403), the others get a 403 in the seed's format.

mod common;

use common::Api;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn every_endpoint_against_every_role() {
    let api = Api::start(false).await;
    let nobody = "0190f3c4-0000-7000-8000-000000000000";
    let device = json!({ "name": "r-{role}", "host": "192.0.2.1" });
    let job = json!({ "type": "backup", "target": { "kind": "device", "device_id": nobody } });
    let schedule = json!({ "name": "s", "spec": { "kind": "interval", "every_secs": 3600 }, "job": job });
    // (method, path, body, roles allowed)
    let matrix: Vec<(Method, String, Option<serde_json::Value>, &[&str])> = vec![
        (Method::POST, "/devices".into(), Some(device), &["admin", "operator"]),
        (Method::PATCH, format!("/devices/{nobody}"), Some(json!({ "port": 2222 })), &["admin", "operator"]),
        (Method::DELETE, format!("/devices/{nobody}"), None, &["admin", "operator"]),
        (Method::POST, "/jobs".into(), Some(job), &["admin", "operator"]),
        (Method::POST, format!("/jobs/{nobody}/cancel"), None, &["admin", "operator"]),
        (Method::POST, "/jobs/snapshot".into(), None, &["admin", "operator"]),
        (Method::POST, "/credentials".into(), Some(json!({ "name": "c", "username": "u", "secret": "s3cret-value" })), &["admin"]),
        (Method::POST, format!("/credentials/{nobody}/rotate"), Some(json!({ "secret": "n3w-value" })), &["admin"]),
        (Method::POST, format!("/credentials/{nobody}/revoke"), None, &["admin"]),
        (Method::POST, "/credentials/reencrypt".into(), None, &["admin"]),
        (Method::POST, "/schedules".into(), Some(schedule), &["admin", "operator"]),
        (Method::POST, format!("/schedules/{nobody}/pause"), None, &["admin", "operator"]),
        (Method::POST, format!("/schedules/{nobody}/resume"), None, &["admin", "operator"]),
        (Method::DELETE, format!("/schedules/{nobody}"), None, &["admin", "operator"]),
        (Method::POST, "/users".into(), Some(json!({ "name": "new-{role}", "password": "long-enough-password", "role": "viewer" })), &["admin"]),
        (Method::GET, "/users".into(), None, &["admin"]),
    ];
    for (method, path, body, allowed) in matrix {
        for role in ["admin", "operator", "auditor", "viewer"] {
            let body = body.as_ref().map(|b| serde_json::from_str(&b.to_string().replace("{role}", role)).unwrap());
            let (status, answer) = api.call(Some(role), method.clone(), &path, body).await;
            if allowed.contains(&role) {
                assert_ne!(status, 403, "{role} {method} {path}: {answer}");
                assert!(status < 500, "{role} {method} {path}: {answer}");
            } else {
                assert_eq!(status, 403, "{role} {method} {path}: {answer}");
                assert_eq!(answer["error"]["code"], "FORBIDDEN");
            }
        }
    }
}

#[tokio::test]
async fn a_scoped_operator_reaches_only_devices_with_their_tags() {
    let api = Api::start(false).await;
    let (status, _) = api.call(Some("scoped"), Method::POST, "/devices", Some(json!({ "name": "b1", "host": "192.0.2.2", "tags": ["site-b"] }))).await;
    assert_eq!(status, 403);
    let (status, a) = api.call(Some("scoped"), Method::POST, "/devices", Some(json!({ "name": "a1", "host": "192.0.2.3", "tags": ["site-a"] }))).await;
    assert_eq!(status, 201);
    let (_, b) = api.call(Some("admin"), Method::POST, "/devices", Some(json!({ "name": "b2", "host": "192.0.2.4", "tags": ["site-b"] }))).await;
    let job = |id: &serde_json::Value| json!({ "type": "backup", "target": { "kind": "device", "device_id": id } });
    assert_eq!(api.call(Some("scoped"), Method::POST, "/jobs", Some(job(&a["device_id"]))).await.0, 201);
    assert_eq!(api.call(Some("scoped"), Method::POST, "/jobs", Some(job(&b["device_id"]))).await.0, 403);
    let (status, _) = api.call(Some("scoped"), Method::DELETE, &format!("/devices/{}", b["device_id"].as_str().unwrap()), None).await;
    assert_eq!(status, 404, "a device outside the scope does not exist for this user");
}
