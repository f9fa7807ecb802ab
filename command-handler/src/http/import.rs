//! `POST /devices/import`: many devices at once, all or nothing, from JSON (an array of
//! device bodies) or from CSV in Oxidized's `router.db` style (`name:model:group`), with a
//! column map (`?columns=name,platform,tags&separator=:`).

use super::AppState;
use super::devices::{new_streams, payloads};
use crate::decide::devices::{self, DeviceCreate};
use crate::state::cause;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use netraven_api::{ApiError, CorrelationId, Json, Principal, Query};
use serde::Deserialize;
use serde_json::{Value, json};

/// Most devices one import may register.
pub const MAX_IMPORT: usize = 10_000;

/// Query parameters of a CSV import.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvOptions {
    /// Column names in order: `name`, `host`, `port`, `platform` (or `model`), `protocol`,
    /// `tags` (or `group`), `_` to ignore one. Default `name,platform,tags` (router.db).
    #[serde(default)]
    pub columns: Option<String>,
    /// Field separator, one character (default `:`).
    #[serde(default)]
    pub separator: Option<String>,
}

/// Oxidized model names that differ from NetRaven's profile names.
fn platform_of(model: &str) -> String {
    match model.to_ascii_lowercase().as_str() {
        "ios" | "iosxe" => "cisco_ios".into(),
        "nxos" => "cisco_nxos".into(),
        "iosxr" => "cisco_iosxr".into(),
        "asa" => "cisco_asa".into(),
        "junos" => "juniper_junos".into(),
        "eos" => "arista_eos".into(),
        other => other.into(),
    }
}

/// Parses CSV lines into device bodies; `#` comments and blank lines are skipped.
pub fn parse_csv(text: &str, options: &CsvOptions) -> Result<Vec<DeviceCreate>, ApiError> {
    let columns: Vec<String> = options.columns.as_deref().unwrap_or("name,platform,tags").split(',').map(|c| c.trim().to_ascii_lowercase()).collect();
    let known = ["name", "host", "port", "platform", "model", "protocol", "tags", "group", "_"];
    if let Some(bad) = columns.iter().find(|c| !known.contains(&c.as_str())) {
        return Err(ApiError::invalid("columns", format!("unknown column `{bad}` (known: {})", known.join(", "))));
    }
    if !columns.iter().any(|c| c == "name") {
        return Err(ApiError::invalid("columns", "a `name` column is required"));
    }
    let separator = match options.separator.as_deref().unwrap_or(":") {
        s if s.chars().count() == 1 => s.chars().next().unwrap_or(':'),
        _ => return Err(ApiError::invalid("separator", "must be exactly one character")),
    };
    let mut devices = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(separator).map(str::trim).collect();
        if fields.len() > columns.len() {
            return Err(row_error(line_no, format!("{} fields but only {} columns", fields.len(), columns.len())));
        }
        let mut device = DeviceCreate::default();
        for (column, value) in columns.iter().zip(fields) {
            if value.is_empty() {
                continue;
            }
            match column.as_str() {
                "name" => device.name = value.into(),
                "host" => device.host = Some(value.into()),
                "port" => device.port = Some(value.parse().map_err(|_| row_error(line_no, format!("port `{value}` is not a number")))?),
                "platform" | "model" => device.platform = Some(platform_of(value)),
                "protocol" => device.protocol = Some(serde_json::from_value(json!(value.to_ascii_lowercase())).map_err(|_| row_error(line_no, format!("protocol `{value}` is not ssh, telnet or http")))?),
                "tags" | "group" => device.tags.extend(value.split(['|', ';', ' ']).filter(|t| !t.is_empty()).map(String::from)),
                _ => {}
            }
        }
        devices.push(device);
    }
    Ok(devices)
}

fn row_error(line: usize, message: String) -> ApiError {
    ApiError::Invalid { message: format!("line {line}: {message}"), details: json!({ "line": line, "reason": message }) }
}

/// `POST /api/v1/devices/import`: 201 with `{imported, devices}`; nothing is written when any
/// row is wrong (the error names the row).
pub async fn import(State(app): State<AppState>, who: Principal, CorrelationId(correlation): CorrelationId, Query(options): Query<CsvOptions>, headers: HeaderMap, body: Bytes) -> Result<(StatusCode, Json<Value>), ApiError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let bodies: Vec<DeviceCreate> = if content_type.starts_with("application/json") {
        serde_json::from_slice(&body).map_err(|e| ApiError::Invalid { message: format!("the body is not an array of devices: {e}"), details: json!({ "line": e.line(), "column": e.column() }) })?
    } else if content_type.starts_with("text/csv") || content_type.starts_with("text/plain") {
        let text = std::str::from_utf8(&body).map_err(|_| ApiError::invalid("body", "CSV must be UTF-8"))?;
        parse_csv(text, &options)?
    } else {
        return Err(ApiError::UnsupportedMediaType("send application/json (an array of devices) or text/csv".into()));
    };
    if bodies.is_empty() || bodies.len() > MAX_IMPORT {
        return Err(ApiError::invalid("body", format!("import 1 to {MAX_IMPORT} devices")));
    }
    let events = app
        .state
        .execute(&cause(&who.user, &correlation), |reg| {
            let events = devices::register(reg, &who, bodies.clone()).map_err(|e| match e {
                ApiError::Invalid { message, details } => ApiError::Invalid { message: format!("device {}: {message}", row_of(&message, &bodies)), details },
                other => other,
            })?;
            Ok(new_streams(events))
        })
        .await?;
    let devices = payloads(&events)?;
    Ok((StatusCode::CREATED, Json(json!({ "imported": devices.len(), "devices": devices }))))
}

/// Points an error at a row when its message quotes a row's name.
fn row_of(message: &str, bodies: &[DeviceCreate]) -> String {
    bodies.iter().position(|b| !b.name.is_empty() && message.contains(&b.name)).map_or_else(|| "in the import".into(), |i| format!("#{}", i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(columns: Option<&str>) -> CsvOptions {
        CsvOptions { columns: columns.map(String::from), separator: None }
    }

    #[test]
    fn router_db_lines_become_devices_with_mapped_platforms() {
        let text = "# oxidized\ncore1:ios:core\n\nedge-2.example.net:junos:edge|site-a\n";
        let devices = parse_csv(text, &options(None)).unwrap();
        assert_eq!(devices.len(), 2);
        assert_eq!((devices[0].name.as_str(), devices[0].platform.as_deref(), devices[0].tags.clone()), ("core1", Some("cisco_ios"), vec!["core".to_string()]));
        assert_eq!(devices[1].tags, vec!["edge".to_string(), "site-a".to_string()]);
    }

    #[test]
    fn a_column_map_and_bad_rows_are_reported_by_line() {
        let devices = parse_csv("r1:10.0.0.1:2222:eos", &options(Some("name,host,port,model"))).unwrap();
        assert_eq!((devices[0].host.as_deref(), devices[0].port, devices[0].platform.as_deref()), (Some("10.0.0.1"), Some(2222), Some("arista_eos")));
        let err = parse_csv("r1:10.0.0.1:x", &options(Some("name,host,port"))).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        assert!(parse_csv("a:b:c:d", &options(None)).is_err());
        assert!(parse_csv("a", &options(Some("name,colour"))).is_err());
    }
}
