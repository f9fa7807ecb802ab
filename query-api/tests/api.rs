//! The query API over real HTTP: jobs (filters, pagination, detail, logs, events), devices and
//! scope, configuration versions and diffs, audit timeline, errors, probes and metrics.

mod common;

use common::{CANARY, Rig, error_code};
use netraven_api::Role;
use serde_json::Value;

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|j| j["job_id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn jobs_filter_sort_and_paginate() {
    let rig = Rig::start().await;
    let all = rig.ok("/api/v1/jobs").await;
    assert_eq!(ids(&all).len(), 4);
    assert_eq!(ids(&all)[0], rig.edge_job.to_string(), "newest first by default");

    let first = rig.ok("/api/v1/jobs?limit=3&sort=created_at").await;
    let cursor = first["next_cursor"].as_str().expect("a next page").to_string();
    let second = rig.ok(&format!("/api/v1/jobs?limit=3&sort=created_at&cursor={cursor}")).await;
    assert!(second["next_cursor"].is_null());
    let mut paged = ids(&first);
    paged.extend(ids(&second));
    let mut expected: Vec<String> = rig.core_jobs.iter().map(ToString::to_string).collect();
    expected.push(rig.edge_job.to_string());
    assert_eq!(paged, expected, "pages in creation order, no gap, no duplicate");

    assert_eq!(ids(&rig.ok("/api/v1/jobs?status=failed").await), vec![rig.edge_job.to_string()]);
    assert_eq!(ids(&rig.ok(&format!("/api/v1/jobs?device={}", rig.edge)).await), vec![rig.edge_job.to_string()]);
    assert_eq!(ids(&rig.ok("/api/v1/jobs?tag=core&status=succeeded,failed").await).len(), 3);
    assert_eq!(ids(&rig.ok("/api/v1/jobs?actor=bob").await), vec![rig.edge_job.to_string()]);
    assert_eq!(ids(&rig.ok("/api/v1/jobs?type=detect").await).len(), 0);
    assert_eq!(ids(&rig.ok("/api/v1/jobs?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z").await).len(), 4);
    assert_eq!(ids(&rig.ok("/api/v1/jobs?until=2000-01-01T00:00:00Z").await).len(), 0);
    assert_eq!(ids(&rig.ok("/api/v1/jobs?sort=-priority&limit=1").await), vec![rig.edge_job.to_string()]);

    let job = rig.ok(&format!("/api/v1/jobs/{}", rig.edge_job)).await;
    assert_eq!(job["status"], "failed");
    assert_eq!(job["attempts"], 1);
    assert_eq!(job["actor"], "bob");
    assert_eq!(job["correlation_id"], "corr-bob");
    assert_eq!(job["error"]["code"], "AUTHENTICATION");
    assert_eq!(job["device_id"], rig.edge.to_string());
    assert!(job["started_at"].is_string() && job["finished_at"].is_string());

    let history = rig.ok(&format!("/api/v1/devices/{}/jobs", rig.core)).await;
    assert_eq!(ids(&history).len(), 3);
}

#[tokio::test]
async fn logs_are_for_readers_of_details_and_events_for_auditors() {
    let rig = Rig::start().await;
    let job = rig.core_jobs[0];
    rig.append("ana", vec![common::detail_log(job)]).await;
    let logs = rig.ok(&format!("/api/v1/jobs/{job}/logs")).await;
    let items = logs["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["level"], "WARNING");
    assert_eq!(items[1]["details"]["attempt"], 2);

    let viewer = rig.token(Role::Viewer, &[]);
    let (status, body) = rig.get(&format!("/api/v1/jobs/{job}/logs"), Some(&viewer)).await;
    assert_eq!((status, error_code(&body).as_str()), (403, "FORBIDDEN"));
    let (status, _) = rig.get(&format!("/api/v1/jobs/{job}"), Some(&viewer)).await;
    assert_eq!(status, 200, "viewers read jobs");
    let (status, _) = rig.get(&format!("/api/v1/jobs/{job}/events"), Some(&viewer)).await;
    assert_eq!(status, 403);

    let (status, events) = rig.get(&format!("/api/v1/jobs/{job}/events"), Some(&rig.token(Role::Auditor, &[]))).await;
    assert_eq!(status, 200);
    let types: Vec<&str> = events["events"].as_array().unwrap().iter().map(|e| e["event"]["type"].as_str().unwrap()).collect();
    assert_eq!(types.first(), Some(&"netraven.job.requested.v1"));
    assert_eq!(types.len(), 8);
    assert!(events["events"][0]["position"].as_str().unwrap().starts_with("0:"));
}

#[tokio::test]
async fn devices_are_scoped_by_tag() {
    let rig = Rig::start().await;
    let devices = rig.ok("/api/v1/devices").await;
    assert_eq!(devices["items"].as_array().unwrap().len(), 2);
    let core = rig.ok(&format!("/api/v1/devices/{}", rig.core)).await;
    assert_eq!(core["last_backup"]["status"], "succeeded");
    assert_eq!(core["last_backup"]["job_id"], rig.core_jobs[2].to_string());
    assert_eq!(core["tags"], serde_json::json!(["core"]));

    let scoped = rig.token(Role::Operator, &["edge"]);
    let (_, list) = rig.get("/api/v1/devices", Some(&scoped)).await;
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["edge1"]);
    let (status, body) = rig.get(&format!("/api/v1/devices/{}", rig.core), Some(&scoped)).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "NOT_FOUND"));
    let (status, _) = rig.get(&format!("/api/v1/jobs/{}", rig.core_jobs[0]), Some(&scoped)).await;
    assert_eq!(status, 404);
    let (_, jobs) = rig.get("/api/v1/jobs", Some(&scoped)).await;
    assert_eq!(ids(&jobs), vec![rig.edge_job.to_string()]);

    rig.append("ana", vec![netraven_events::catalog::DeviceRemoved { device_id: rig.edge }.into()]).await;
    assert_eq!(rig.ok("/api/v1/devices").await["items"].as_array().unwrap().len(), 1);
    let all = rig.ok("/api/v1/devices?include_removed=true").await;
    assert_eq!(all["items"][1]["removed"], true);
}

#[tokio::test]
async fn config_versions_change_only_with_the_hash_and_diff() {
    let rig = Rig::start().await;
    let versions = rig.ok(&format!("/api/v1/devices/{}/configs", rig.core)).await;
    let listed: Vec<i64> = versions["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(listed, vec![2, 1], "the same-hash capture added no version");
    let v1 = rig.ok(&format!("/api/v1/devices/{}/configs/1", rig.core)).await;
    assert_eq!(v1["content"], common::CONFIGS[0].0);
    assert_eq!(v1["job_id"], rig.core_jobs[0].to_string());
    let latest = rig.ok(&format!("/api/v1/devices/{}/configs/latest", rig.core)).await;
    assert_eq!(latest["version"], 2);

    let diff = rig.ok(&format!("/api/v1/devices/{}/configs/diff?from=1&to=2", rig.core)).await;
    let text = diff["unified"].as_str().unwrap();
    assert!(text.contains("- description uplink") && text.contains("+ description core uplink"), "{text}");
    assert!(text.contains("-! Last configuration change at 10:00"));
    assert_eq!((diff["lines_added"].as_u64(), diff["lines_removed"].as_u64()), (Some(2), Some(2)));
    let quiet = rig.ok(&format!("/api/v1/devices/{}/configs/diff?hide_volatile=true", rig.core)).await;
    assert_eq!((quiet["from"].as_i64(), quiet["to"].as_i64()), (Some(1), Some(2)));
    assert!(!quiet["unified"].as_str().unwrap().contains("Last configuration change"));
    assert_eq!(quiet["lines_added"], 1);

    let (status, body) = rig.get(&format!("/api/v1/devices/{}/configs/9", rig.core), Some(&rig.admin())).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "NOT_FOUND"));
}

#[tokio::test]
async fn the_audit_timeline_filters_and_needs_the_audit_right() {
    let rig = Rig::start().await;
    let auditor = rig.token(Role::Auditor, &[]);
    let (status, bob) = rig.get("/api/v1/audit/timeline?actor=bob", Some(&auditor)).await;
    assert_eq!(status, 200);
    let entries = bob["items"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    assert!(entries.iter().all(|e| e["actor"] == "bob" && e["correlation_id"] == "corr-bob"));
    let by_device = rig.ok(&format!("/api/v1/audit/timeline?device={}&sort=-time&limit=2", rig.edge)).await;
    assert_eq!(by_device["items"][0]["event_type"], "netraven.job.failed.v1");
    assert!(by_device["next_cursor"].is_string());
    let by_job = rig.ok(&format!("/api/v1/audit/timeline?job={}", rig.core_jobs[1])).await;
    assert_eq!(by_job["items"].as_array().unwrap().len(), 7);
    let (status, _) = rig.get("/api/v1/audit/timeline", Some(&rig.token(Role::Operator, &[]))).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn errors_use_the_seed_format_and_probes_need_no_token() {
    let rig = Rig::start().await;
    let (status, body) = rig.get("/api/v1/jobs", None).await;
    assert_eq!((status, error_code(&body).as_str()), (401, "UNAUTHORIZED"));
    for (path, field) in [
        ("/api/v1/jobs?limit=0", "limit"),
        ("/api/v1/jobs?status=bogus", "status"),
        ("/api/v1/jobs?since=yesterday", "since"),
        ("/api/v1/jobs?sort=name", "sort"),
        ("/api/v1/jobs?cursor=zz", "cursor"),
        ("/api/v1/jobs?device=r1", "device"),
        ("/api/v1/jobs?colour=red", "colour"),
        ("/api/v1/jobs/not-a-uuid", "id"),
        ("/api/v1/audit/timeline?sort=up", "sort"),
    ] {
        let (status, body) = rig.get(path, Some(&rig.admin())).await;
        assert_eq!((status, error_code(&body).as_str()), (400, "INVALID_INPUT"), "{path}");
        assert_eq!(body["error"]["details"]["field"], field, "{path}");
    }
    let response = rig.http.post(format!("{}/api/v1/jobs", rig.base)).bearer_auth(rig.admin()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405, "the query API is read-only");
    assert_eq!(error_code(&response.json().await.unwrap()), "METHOD_NOT_ALLOWED");
    let (status, body) = rig.get("/api/v1/nothing/here", Some(&rig.admin())).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "NOT_FOUND"));
    let (status, body) = rig.get(&format!("/api/v1/jobs/{}", uuid::Uuid::now_v7()), Some(&rig.admin())).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "NOT_FOUND"));

    assert_eq!(rig.get("/api/v1/healthz", None).await.0, 200);
    let (status, ready) = rig.get("/readyz", None).await;
    assert_eq!(status, 200, "{ready}");
    assert_eq!(ready["projector"]["events_behind"], 0);
    let (status, metrics) = rig.get("/metrics", None).await;
    assert_eq!(status, 200);
    let text = metrics.as_str().unwrap();
    assert!(text.contains("netraven_projector_lag_events 0"), "{text}");
    assert!(text.contains("netraven_projector_applied_events"));
    assert!(text.contains("netraven_query_requests_total{route=\"/api/v1/jobs\",method=\"GET\",status=\"401\"} 1"), "{text}");
}

#[tokio::test]
async fn no_response_carries_a_sealed_secret() {
    let rig = Rig::start().await;
    let job = rig.core_jobs[0];
    let credentials = rig.ok("/api/v1/credentials").await;
    assert_eq!(credentials[0]["key_version"], 2);
    assert_eq!(credentials[0]["username"], "netops");
    let mut bodies = vec![credentials.to_string()];
    for path in [
        "/api/v1/jobs".to_string(),
        format!("/api/v1/jobs/{job}"),
        format!("/api/v1/jobs/{job}/logs"),
        format!("/api/v1/jobs/{job}/events"),
        "/api/v1/devices".to_string(),
        format!("/api/v1/devices/{}", rig.core),
        format!("/api/v1/devices/{}/configs/latest", rig.core),
        "/api/v1/schedules".to_string(),
        "/api/v1/audit/timeline?limit=500".to_string(),
        "/metrics".to_string(),
    ] {
        bodies.push(rig.ok(&path).await.to_string());
    }
    let streamed = rig.sse("/api/v1/events/stream?type=netraven.credential.added.v1", None, 1).await;
    assert_eq!(streamed[0].2["data"]["secret"], serde_json::json!({ "key_version": 2 }));
    bodies.push(serde_json::to_string(&streamed.iter().map(|s| &s.2).collect::<Vec<_>>()).unwrap());
    for body in bodies {
        assert!(!body.contains(CANARY), "a sealed secret leaked: {body}");
    }
    let (status, _) = rig.get("/api/v1/credentials", Some(&rig.token(Role::Viewer, &[]))).await;
    assert_eq!(status, 403);
}
