//! `/devices/{id}/configs`: a device's configuration versions, one version, and the unified
//! diff between two versions.

use super::device_in_scope;
use crate::QueryState;
use crate::diff::{ConfigDiff, unified};
use crate::params::Params;
use axum::extract::{Path, State};
use netraven_api::{Action, ApiError, Json, Principal};
use netraven_projector::read::{self, ConfigVersion, ConfigVersionMeta, Cursor, Page};

/// `GET /devices/{id}/configs`: versions, newest first.
pub(crate) async fn versions(
    State(state): State<QueryState>,
    principal: Principal,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Page<ConfigVersionMeta>>, ApiError> {
    principal.require(Action::Read)?;
    params.accept(&["limit", "cursor"])?;
    let device = device_in_scope(&state, &principal, &id).await?;
    let (limit, cursor) = (params.limit()?, params.cursor()?);
    Ok(Json(state.read(move |c| read::config_versions(c, &device.device_id, limit, cursor.as_ref())).await?))
}

/// `GET /devices/{id}/configs/{version}` (a number, or `latest`).
pub(crate) async fn version(
    State(state): State<QueryState>,
    principal: Principal,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<ConfigVersion>, ApiError> {
    principal.require(Action::Read)?;
    let device = device_in_scope(&state, &principal, &id).await?;
    let number = match version.as_str() {
        "latest" => None,
        n => Some(n.parse::<i64>().map_err(|_| ApiError::invalid("version", format!("`{n}` is not a version number or `latest`")))?),
    };
    let found = state
        .read(move |c| {
            let wanted = match number {
                Some(n) => Some(n),
                None => read::config_versions(c, &device.device_id, 1, None)?.items.first().map(|v| v.version),
            };
            wanted.map(|n| read::config_version(c, &device.device_id, n)).transpose().map(Option::flatten)
        })
        .await?;
    found.map(Json).ok_or_else(|| ApiError::NotFound(format!("no configuration version {version}")))
}

/// `GET /devices/{id}/configs/diff?from=&to=&hide_volatile=&context=`: `to` defaults to the
/// latest version, `from` to the one before `to`.
pub(crate) async fn diff(
    State(state): State<QueryState>,
    principal: Principal,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<ConfigDiff>, ApiError> {
    principal.require(Action::Read)?;
    params.accept(&["from", "to", "hide_volatile", "context"])?;
    let (from, to) = (params.number("from")?, params.number("to")?);
    let hide_volatile = params.flag("hide_volatile")?;
    let context = params.number("context")?.unwrap_or(3).min(1_000) as usize;
    let device = device_in_scope(&state, &principal, &id).await?;
    let device_id = device.device_id.clone();
    let (old, new) = state
        .read(move |c| {
            let to = match to {
                Some(n) => Some(n as i64),
                None => read::config_versions(c, &device_id, 1, None)?.items.first().map(|v| v.version),
            };
            let Some(to) = to else { return Ok((None, None)) };
            let below = Cursor { key: to.to_string(), id: String::new() };
            let from = match from {
                Some(n) => Some(n as i64),
                None => read::config_versions(c, &device_id, 1, Some(&below))?.items.first().map(|v| v.version),
            };
            let old = from.map(|n| read::config_version(c, &device_id, n)).transpose()?.flatten();
            Ok((old, read::config_version(c, &device_id, to)?))
        })
        .await?;
    let missing = |which: &str, asked: Option<u64>| match asked {
        Some(n) => ApiError::NotFound(format!("no configuration version {n} (`{which}`)")),
        None => ApiError::NotFound(format!("the device has no version to use as `{which}`")),
    };
    let new = new.ok_or_else(|| missing("to", to))?;
    let old = old.ok_or_else(|| missing("from", from))?;
    let labels = (format!("version {}", old.meta.version), format!("version {}", new.meta.version));
    let (unified, lines_added, lines_removed) = unified(&old.content, &new.content, (&labels.0, &labels.1), hide_volatile, context);
    Ok(Json(ConfigDiff { device_id: device.device_id, from: old.meta.version, to: new.meta.version, hide_volatile, lines_added, lines_removed, unified }))
}
