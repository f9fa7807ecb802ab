//! The query API's part of the OpenAPI document: every read route with its parameters and
//! answer types.

use crate::diff::ConfigDiff;
use crate::routes::jobs::LIST_PARAMS;
use netraven_api::openapi::{ApiDoc, Operation};
use netraven_projector::read::*;
use serde_json::json;

fn with_params(mut op: Operation, names: &[&str]) -> Operation {
    for name in names {
        let schema = match *name {
            "limit" | "context" => json!({ "type": "integer", "minimum": 0 }),
            "include_removed" | "hide_volatile" | "latest_only" => json!({ "type": "boolean" }),
            _ => json!({ "type": "string" }),
        };
        op = op.query(name, schema, false);
    }
    op
}

/// Adds the query API's operations to `doc`.
pub fn document(doc: &mut ApiDoc) {
    let object = json!({ "type": "object" });
    let jobs = doc.schema::<Page<JobView>>();
    doc.add("get", "/api/v1/jobs", with_params(Operation::new("jobs", "List jobs with filters, sort and cursor pages"), &LIST_PARAMS).ok(200, "a page of jobs", Some(jobs.clone())));
    let job = doc.schema::<JobView>();
    doc.add("get", "/api/v1/jobs/{id}", Operation::new("jobs", "One job").ok(200, "the job", Some(job)));
    let logs = doc.schema::<Page<JobLogEntryView>>();
    doc.add("get", "/api/v1/jobs/{id}/logs", with_params(Operation::new("jobs", "A job's log entries (not for viewers)"), &["limit", "cursor"]).ok(200, "a page of log entries", Some(logs)));
    doc.add("get", "/api/v1/jobs/{id}/events", Operation::new("jobs", "A job's raw event history").ok(200, "its events", Some(object.clone())));
    let devices = doc.schema::<Page<DeviceView>>();
    doc.add("get", "/api/v1/devices", with_params(Operation::new("devices", "The inventory"), &["tag", "include_removed", "limit", "cursor"]).ok(200, "a page of devices", Some(devices)));
    let device = doc.schema::<DeviceView>();
    doc.add("get", "/api/v1/devices/{id}", Operation::new("devices", "One device").ok(200, "the device", Some(device)));
    let device_params: Vec<&str> = LIST_PARAMS.into_iter().filter(|p| !matches!(*p, "device" | "tag")).collect();
    doc.add("get", "/api/v1/devices/{id}/jobs", with_params(Operation::new("devices", "A device's job history"), &device_params).ok(200, "a page of jobs", Some(jobs)));
    let versions = doc.schema::<Page<ConfigVersionMeta>>();
    doc.add("get", "/api/v1/devices/{id}/configs", with_params(Operation::new("configs", "A device's configuration versions"), &["limit", "cursor"]).ok(200, "a page of versions", Some(versions)));
    let version = doc.schema::<ConfigVersion>();
    doc.add("get", "/api/v1/devices/{id}/configs/{version}", Operation::new("configs", "One configuration version").ok(200, "the version with its content", Some(version)));
    let diff = doc.schema::<ConfigDiff>();
    let diff_op = Operation::new("configs", "Unified diff between two versions")
        .query("from", json!({ "type": "integer" }), true)
        .query("to", json!({ "type": "integer" }), true)
        .query("hide_volatile", json!({ "type": "boolean" }), false)
        .query("context", json!({ "type": "integer", "minimum": 0 }), false)
        .ok(200, "the diff", Some(diff));
    doc.add("get", "/api/v1/devices/{id}/configs/diff", diff_op);
    let credentials = doc.schema::<Vec<CredentialView>>();
    doc.add("get", "/api/v1/credentials", Operation::new("credentials", "Credential metadata (never secrets)").ok(200, "the credentials", Some(credentials)));
    let schedules = doc.schema::<Vec<ScheduleView>>();
    doc.add("get", "/api/v1/schedules", with_params(Operation::new("schedules", "Schedules"), &["include_removed"]).ok(200, "the schedules", Some(schedules)));
    let audit = doc.schema::<Page<AuditEntry>>();
    doc.add("get", "/api/v1/audit/timeline", with_params(Operation::new("audit", "Who did what, when (auditors and admins)"), &["actor", "device", "job", "type", "since", "until", "sort", "limit", "cursor"]).ok(200, "a page of entries", Some(audit)));
    let stream = Operation::new("events", "Server-sent events, filtered; resumes from `Last-Event-ID` with no gap and no duplicate")
        .header("Last-Event-ID", "the `id` of the last event received");
    doc.add("get", "/api/v1/events/stream", with_params(stream, &["type", "job", "device", "from"]).ok_as(200, "the event stream: each `data` is one CloudEvent in structured JSON", "text/event-stream", json!({})));
    let page = json!({ "type": "object", "required": ["total_hits", "hits"], "properties": { "total_hits": { "type": "integer" }, "hits": { "type": "array", "items": object.clone() }, "next_cursor": { "type": ["string", "null"] } } });
    let search_params = ["q", "kind", "level", "job_id", "device_id", "tag", "job_type", "from", "to", "sort", "limit", "cursor"];
    doc.add("get", "/api/v1/logs/search", with_params(Operation::new("search", "Full-text search over job logs and captured outputs (Tantivy query syntax)"), &search_params).ok(200, "a page of hits", Some(page.clone())));
    let config_params = ["q", "job_id", "device_id", "tag", "job_type", "from", "to", "sort", "limit", "cursor", "latest_only"];
    doc.add("get", "/api/v1/configs/search", with_params(Operation::new("search", "Full-text search over configuration versions"), &config_params).ok(200, "a page of hits", Some(page)));
    for (path, summary) in [("/healthz", "Alive"), ("/readyz", "Views caught up with the log"), ("/api/v1/healthz", "Alive"), ("/api/v1/readyz", "Views caught up with the log")] {
        doc.add("get", path, Operation::new("ops", summary).public().ok(200, "yes", Some(object.clone())));
    }
    for path in ["/metrics", "/api/v1/metrics"] {
        doc.add("get", path, Operation::new("ops", "Prometheus metrics").public().ok_as(200, "metrics in the OpenMetrics text format", "application/openmetrics-text", json!({ "type": "string" })));
    }
}
