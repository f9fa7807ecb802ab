//! The OpenAPI document of everything `netraven serve` answers, assembled from each API's own
//! list of operations; served at `/api/v1/openapi.json` and committed as
//! `schemas/openapi/netraven-api.json`.

use netraven_api::openapi::{ApiDoc, Operation};
use serde_json::{Value, json};

/// Where the committed copy lives, inside the schema folder.
pub const FILE: &str = "openapi/netraven-api.json";

/// The whole document.
pub fn document() -> Value {
    let mut doc = ApiDoc::default();
    netraven_command_handler::http::openapi::document(&mut doc);
    netraven_query_api::openapi::document(&mut doc);
    doc.add("get", "/api/v1/openapi.json", Operation::new("meta", "This document").public().ok(200, "the OpenAPI document", Some(json!({ "type": "object" }))));
    doc.finish(env!("CARGO_PKG_VERSION"))
}

/// The document as committed: pretty JSON with a final newline.
pub fn text() -> String {
    serde_json::to_string_pretty(&document()).expect("a JSON value always serializes") + "\n"
}

/// `GET /api/v1/openapi.json`.
pub fn routes() -> axum::Router {
    let doc = document();
    axum::Router::new().route("/api/v1/openapi.json", axum::routing::get(move || async move { axum::Json(doc) }))
}
