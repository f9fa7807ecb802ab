//! JSON Schemas of the envelope and of every event type, generated from the code into
//! `schemas/` (one file per type and version plus `index.json`), and the guard that refuses
//! a breaking change to a version already published there.

mod compat;

pub use compat::breaking_changes;

use crate::{EventData, Error, Result, data_schema_uri, envelope_schema};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the index listing every schema.
pub const INDEX_FILE: &str = "index.json";
/// File name of the envelope schema.
pub const ENVELOPE_FILE: &str = "envelope.json";

/// Every schema file the code defines: file name → pretty JSON text.
pub fn generate() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut events = Vec::new();
    for entry in EventData::catalog() {
        let file = format!("{}.json", entry.event_type);
        let mut schema = (entry.schema)().to_value();
        schema["$id"] = json!(data_schema_uri(entry.event_type));
        files.insert(file.clone(), pretty(&schema));
        events.push(json!({
            "type": entry.event_type,
            "file": file,
            "dataschema": data_schema_uri(entry.event_type),
        }));
    }
    files.insert(ENVELOPE_FILE.to_string(), pretty(&envelope_schema().to_value()));
    let index = json!({
        "specversion": crate::SPEC_VERSION,
        "datacontenttype": crate::DATA_CONTENT_TYPE,
        "envelope": ENVELOPE_FILE,
        "events": events,
    });
    files.insert(INDEX_FILE.to_string(), pretty(&index));
    files
}

/// How the committed schema folder differs from what the code generates.
#[derive(Debug, Default, PartialEq)]
pub struct Drift {
    /// Files the code generates that the folder lacks.
    pub missing: Vec<String>,
    /// Files whose content differs.
    pub changed: Vec<String>,
    /// Files in the folder the code no longer generates (a published version was dropped).
    pub orphaned: Vec<String>,
    /// Breaking changes to published event schemas, as `file: reason`.
    pub breaking: Vec<String>,
}

impl Drift {
    /// Whether folder and code agree.
    pub fn is_clean(&self) -> bool {
        *self == Drift::default()
    }
}

/// Compares the schema folder with the code.
pub fn check(dir: &Path) -> Result<Drift> {
    let generated = generate();
    let mut drift = Drift::default();
    for (file, text) in &generated {
        match std::fs::read_to_string(dir.join(file)) {
            Ok(committed) if committed == *text => {}
            Ok(committed) => {
                drift.changed.push(file.clone());
                if file != INDEX_FILE {
                    let old: Value = serde_json::from_str(&committed)?;
                    let new: Value = serde_json::from_str(text)?;
                    let reasons = breaking_changes(&old, &new);
                    drift.breaking.extend(reasons.into_iter().map(|r| format!("{file}: {r}")));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.missing.push(file.clone()),
            Err(e) => return Err(e.into()),
        }
    }
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !generated.contains_key(&name) {
            drift.orphaned.push(name);
        }
    }
    drift.orphaned.sort();
    Ok(drift)
}

/// Writes the generated schemas into `dir`, refusing breaking changes and dropped versions.
pub fn write(dir: &Path) -> Result<Drift> {
    std::fs::create_dir_all(dir)?;
    let drift = check(dir)?;
    if !drift.breaking.is_empty() || !drift.orphaned.is_empty() {
        let mut reasons = drift.breaking.clone();
        reasons.extend(drift.orphaned.iter().map(|f| format!("{f}: published version removed")));
        return Err(Error::Invalid(format!(
            "refusing to change published schemas; add a new version instead:\n  {}",
            reasons.join("\n  ")
        )));
    }
    for (file, text) in generate() {
        std::fs::write(dir.join(file), text)?;
    }
    Ok(drift)
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
    text.push('\n');
    text
}
