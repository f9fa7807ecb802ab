//! The write API's part of the OpenAPI document: every route with its body and answer types.

use super::JobView;
use super::import::MAX_IMPORT;
use super::jobs::CancelBody;
use super::users::{TokenRequest, UserCreate};
use crate::decide::credentials::{CredentialCreate, CredentialRotate};
use crate::decide::devices::{DeviceCreate, DeviceUpdate};
use crate::decide::jobs::JobCreate;
use crate::decide::schedules::ScheduleCreate;
use netraven_api::openapi::{ApiDoc, Operation};
use netraven_events::catalog::*;
use serde_json::json;

/// Adds the write API's operations to `doc`.
pub fn document(doc: &mut ApiDoc) {
    let object = json!({ "type": "object" });
    let token = json!({ "type": "object", "required": ["access_token", "token_type", "expires_in"], "properties": {
        "access_token": { "type": "string" }, "token_type": { "const": "bearer" }, "expires_in": { "type": "integer" }, "role": { "type": "string" } } });
    let body = doc.schema::<TokenRequest>();
    doc.add("post", "/api/v1/auth/token", Operation::new("auth", "Exchange a user name and password for a bearer token").public().body(body).ok(200, "a token", Some(token)));
    let user = json!({ "type": "object", "properties": { "name": { "type": "string" }, "role": { "type": "string" }, "device_tags": { "type": "array", "items": { "type": "string" } } } });
    let body = doc.schema::<UserCreate>();
    doc.add("post", "/api/v1/users", Operation::new("users", "Create a user (admin)").body(body).ok(201, "the user", Some(user.clone())));
    doc.add("get", "/api/v1/users", Operation::new("users", "List users (admin)").ok(200, "the users", Some(json!({ "type": "array", "items": user }))));

    let (body, job) = (doc.schema::<JobCreate>(), doc.schema::<JobView>());
    let create_job = Operation::new("jobs", "Request a job on one device, a list, or every device with some tags")
        .header("Idempotency-Key", "a retried request with the same key returns the same job (200)")
        .body(body)
        .ok(201, "the new job", Some(job.clone()))
        .ok(200, "the job an earlier request with the same Idempotency-Key created", Some(job.clone()));
    doc.add("post", "/api/v1/jobs", create_job);
    let body = doc.schema::<crate::decide::jobs::SnapshotCreate>();
    doc.add("post", "/api/v1/jobs/snapshot", Operation::new("jobs", "Snapshot now: back up every device (or every device with the tags) at the highest priority").body(body).ok(201, "the parent job", Some(job.clone())));
    let body = doc.schema::<CancelBody>();
    doc.add("post", "/api/v1/jobs/{id}/cancel", Operation::new("jobs", "Cancel a job and its unfinished children").body(body).ok(200, "the cancelled job", Some(job)));

    let (body, registered) = (doc.schema::<DeviceCreate>(), doc.schema::<DeviceRegistered>());
    doc.add("post", "/api/v1/devices", Operation::new("devices", "Register a device").body(body).ok(201, "the device", Some(registered.clone())));
    let (body, updated) = (doc.schema::<DeviceUpdate>(), doc.schema::<DeviceUpdated>());
    doc.add("patch", "/api/v1/devices/{id}", Operation::new("devices", "Change some of a device's fields").body(body).ok(200, "the change", Some(updated)));
    doc.add("delete", "/api/v1/devices/{id}", Operation::new("devices", "Remove a device").ok(200, "removed", Some(object.clone())));
    let rows = doc.schema::<Vec<DeviceCreate>>();
    let import = Operation::new("devices", &format!("Import up to {MAX_IMPORT} devices at once, all or nothing (JSON array, or CSV in router.db style)"))
        .query("columns", json!({ "type": "string" }), false)
        .query("separator", json!({ "type": "string", "maxLength": 1, "minLength": 1 }), false)
        .body(rows)
        .ok(201, "the imported devices", Some(json!({ "type": "object", "properties": { "imported": { "type": "integer" }, "devices": { "type": "array", "items": registered } } })));
    doc.add("post", "/api/v1/devices/import", import);

    let credential = json!({ "type": "object", "description": "credential metadata; never the secret or its ciphertext" });
    let body = doc.schema::<CredentialCreate>();
    doc.add("post", "/api/v1/credentials", Operation::new("credentials", "Add a credential (the secret is accepted once and never returned)").body(body).ok(201, "its metadata", Some(credential.clone())));
    let body = doc.schema::<CredentialRotate>();
    doc.add("post", "/api/v1/credentials/{id}/rotate", Operation::new("credentials", "Replace a credential's secret").body(body).ok(200, "its metadata", Some(credential.clone())));
    doc.add("post", "/api/v1/credentials/{id}/revoke", Operation::new("credentials", "Revoke a credential").ok(200, "its metadata", Some(credential)));
    doc.add("post", "/api/v1/credentials/reencrypt", Operation::new("credentials", "Re-seal every credential under the current vault key").ok(200, "what was re-encrypted and what is shredded", Some(object.clone())));

    let (body, created) = (doc.schema::<ScheduleCreate>(), doc.schema::<ScheduleCreated>());
    doc.add("post", "/api/v1/schedules", Operation::new("schedules", "Create a schedule (cron with time zone, interval, or once)").body(body).ok(201, "the schedule", Some(created)));
    for (path, summary) in [("/api/v1/schedules/{id}/pause", "Pause a schedule"), ("/api/v1/schedules/{id}/resume", "Resume a paused schedule")] {
        doc.add("post", path, Operation::new("schedules", summary).ok(200, "the change", Some(object.clone())));
    }
    doc.add("delete", "/api/v1/schedules/{id}", Operation::new("schedules", "Remove a schedule").ok(200, "the change", Some(object)));
}
