//! The OpenAPI 3.1 document, generated from the code: each API lists its operations with the
//! Rust types of their bodies, parameters and answers, and schemars turns those types into
//! the document's component schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses).

use crate::error_body::ErrorBody;
use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value, json};

/// One operation, built up before it is added to the document.
pub struct Operation {
    summary: String,
    tag: String,
    body: Option<(String, Value)>,
    responses: Vec<(u16, String, Option<(String, Value)>)>,
    query: Vec<(String, Value, bool)>,
    headers: Vec<(String, String)>,
    public: bool,
}

impl Operation {
    /// An operation in group `tag`, needing a bearer token unless made `public`.
    pub fn new(tag: &str, summary: &str) -> Self {
        Operation { summary: summary.into(), tag: tag.into(), body: None, responses: Vec::new(), query: Vec::new(), headers: Vec::new(), public: false }
    }

    /// No token needed.
    pub fn public(mut self) -> Self {
        self.public = true;
        self
    }

    /// A JSON request body of this schema.
    pub fn body(mut self, schema: Value) -> Self {
        self.body = Some(("application/json".into(), schema));
        self
    }

    /// A request body of another media type.
    pub fn body_as(mut self, media_type: &str, schema: Value) -> Self {
        self.body = Some((media_type.into(), schema));
        self
    }

    /// A success answer (JSON of `schema`, or no body when `None`).
    pub fn ok(mut self, status: u16, description: &str, schema: Option<Value>) -> Self {
        self.responses.push((status, description.into(), schema.map(|s| ("application/json".into(), s))));
        self
    }

    /// A success answer of another media type.
    pub fn ok_as(mut self, status: u16, description: &str, media_type: &str, schema: Value) -> Self {
        self.responses.push((status, description.into(), Some((media_type.into(), schema))));
        self
    }

    /// A query parameter.
    pub fn query(mut self, name: &str, schema: Value, required: bool) -> Self {
        self.query.push((name.into(), schema, required));
        self
    }

    /// An optional request header.
    pub fn header(mut self, name: &str, description: &str) -> Self {
        self.headers.push((name.into(), description.into()));
        self
    }
}

/// The document being built.
pub struct ApiDoc {
    generator: SchemaGenerator,
    paths: Map<String, Value>,
}

impl Default for ApiDoc {
    fn default() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        });
        ApiDoc { generator: SchemaGenerator::new(settings), paths: Map::new() }
    }
}

impl ApiDoc {
    /// The schema of `T` (a reference into the components when `T` is named).
    pub fn schema<T: JsonSchema>(&mut self) -> Value {
        self.generator.subschema_for::<T>().to_value()
    }

    /// Adds `op` as `method` (lower case) on `path` (`/api/v1/...`, `{name}` parameters are
    /// UUID path parameters).
    pub fn add(&mut self, method: &str, path: &str, op: Operation) {
        let error = self.schema::<ErrorBody>();
        let mut responses = Map::new();
        for (status, description, content) in op.responses {
            let mut response = json!({ "description": description });
            if let Some((media, schema)) = content {
                response["content"] = json!({ media: { "schema": schema } });
            }
            responses.insert(status.to_string(), response);
        }
        let mut errors = vec![(400, "invalid input"), (401, "no or invalid credentials"), (404, "not found"), (405, "method not allowed"), (409, "conflict with the current state"), (413, "body too large"), (415, "wrong content type"), (503, "not ready")];
        if !op.public {
            errors.push((403, "the role or device scope does not allow it"));
        }
        for (status, description) in errors {
            responses.entry(status.to_string()).or_insert_with(|| json!({ "description": description, "content": { "application/json": { "schema": error } } }));
        }
        let mut parameters: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }))
            .collect();
        parameters.extend(op.query.into_iter().map(|(name, schema, required)| json!({ "name": name, "in": "query", "required": required, "schema": schema })));
        parameters.extend(op.headers.into_iter().map(|(name, description)| json!({ "name": name, "in": "header", "required": false, "description": description, "schema": { "type": "string" } })));
        let mut operation = json!({ "summary": op.summary, "tags": [op.tag], "parameters": parameters, "responses": responses });
        if let Some((media, schema)) = op.body {
            operation["requestBody"] = json!({ "required": true, "content": { media: { "schema": schema } } });
        }
        if op.public {
            operation["security"] = json!([]);
        }
        let entry = self.paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method] = operation;
    }

    /// The finished document.
    pub fn finish(mut self, version: &str) -> Value {
        let schemas = self.generator.take_definitions(true);
        json!({
            "openapi": "3.1.0",
            "info": { "title": "NetRaven API", "version": version, "description": "Write and query APIs of NetRaven. Errors use the seed's format: {\"error\": {\"code\", \"message\", \"details\", \"correlation_id\"}}." },
            "servers": [{ "url": "/" }],
            "paths": self.paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } }
            },
            "security": [{ "bearer": [] }]
        })
    }
}
