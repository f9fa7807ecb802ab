//! Device commands: register, update and remove devices, and bulk imports (all or nothing).

use super::{tags, text};
use crate::registry::Registry;
use netraven_api::{Action, ApiError, Principal};
use netraven_events::EventData;
use netraven_events::catalog::*;
use serde::Deserialize;

/// The body of `POST /devices` (and one row of an import).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceCreate {
    /// Unique name.
    pub name: String,
    /// Host name or IP address (the name when omitted).
    #[serde(default)]
    pub host: Option<String>,
    /// TCP port (22 for SSH, 23 for Telnet, 443 for HTTP when omitted).
    #[serde(default)]
    pub port: Option<u16>,
    /// Platform profile (`cisco_ios`, ...); detected by a `detect` job when omitted.
    #[serde(default)]
    pub platform: Option<String>,
    /// `ssh` (default), `telnet` or `http`.
    #[serde(default)]
    pub protocol: Option<Protocol>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The body of `PATCH /devices/{id}`: only the given fields change.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceUpdate {
    /// New name.
    pub name: Option<String>,
    /// New host.
    pub host: Option<String>,
    /// New port.
    pub port: Option<u16>,
    /// New platform.
    pub platform: Option<String>,
    /// New protocol.
    pub protocol: Option<Protocol>,
    /// New tags (replacing the old ones).
    pub tags: Option<Vec<String>>,
}

fn host(value: &str) -> Result<String, ApiError> {
    let host = text("host", value, 253)?;
    let ok = host.parse::<std::net::IpAddr>().is_ok()
        || host.split('.').all(|label| !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !label.starts_with('-'));
    if !ok {
        return Err(ApiError::invalid("host", format!("`{host}` is neither an IP address nor a host name")));
    }
    Ok(host)
}

fn platform(value: &str) -> Result<String, ApiError> {
    let ok = !value.is_empty() && value.len() <= 64 && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(ApiError::invalid("platform", format!("`{value}` is not a platform profile name (lower-case letters, digits, _)")));
    }
    Ok(value.to_string())
}

fn port(value: u16) -> Result<u16, ApiError> {
    if value == 0 {
        return Err(ApiError::invalid("port", "must be between 1 and 65535"));
    }
    Ok(value)
}

fn unique_name(reg: &Registry, name: &str, taken: &[String], except: Option<DeviceId>) -> Result<(), ApiError> {
    let clash = reg.device_named(name).is_some_and(|id| Some(id) != except) || taken.iter().any(|t| t == name);
    if clash {
        return Err(ApiError::Conflict(format!("a device named `{name}` already exists")));
    }
    Ok(())
}

/// Decides the registration of several devices at once (one for `POST /devices`); names must
/// be unique among existing devices and within the batch.
pub fn register(reg: &Registry, who: &Principal, bodies: Vec<DeviceCreate>) -> Result<Vec<EventData>, ApiError> {
    who.require(Action::ManageDevices)?;
    let mut names: Vec<String> = Vec::with_capacity(bodies.len());
    let mut events = Vec::with_capacity(bodies.len());
    for body in bodies {
        let name = text("name", &body.name, 128)?;
        unique_name(reg, &name, &names, None)?;
        let protocol = body.protocol.unwrap_or(Protocol::Ssh);
        let default_port = match protocol {
            Protocol::Ssh => 22,
            Protocol::Telnet => 23,
            Protocol::Http => 443,
        };
        let tags = tags("tags", &body.tags)?;
        if !who.can_access_device(&tags) {
            return Err(ApiError::Forbidden(format!("device `{name}` would be outside your device scope")));
        }
        events.push(
            DeviceRegistered {
                device_id: DeviceId::new(),
                host: host(body.host.as_deref().unwrap_or(&name))?,
                port: port(body.port.unwrap_or(default_port))?,
                platform: body.platform.as_deref().map(platform).transpose()?,
                protocol,
                tags,
                name: name.clone(),
            }
            .into(),
        );
        names.push(name);
    }
    Ok(events)
}

/// Decides `PATCH /devices/{id}`.
pub fn update(reg: &Registry, who: &Principal, device_id: DeviceId, body: DeviceUpdate) -> Result<EventData, ApiError> {
    who.require(Action::ManageDevices)?;
    visible(reg, who, device_id)?;
    let name = body.name.as_deref().map(|n| text("name", n, 128)).transpose()?;
    if let Some(name) = &name {
        unique_name(reg, name, &[], Some(device_id))?;
    }
    let tags = body.tags.as_deref().map(|t| tags("tags", t)).transpose()?;
    if tags.as_ref().is_some_and(|t| !who.can_access_device(t)) {
        return Err(ApiError::Forbidden("the new tags would put the device outside your device scope".into()));
    }
    let update = DeviceUpdated {
        device_id,
        name,
        host: body.host.as_deref().map(host).transpose()?,
        port: body.port.map(port).transpose()?,
        platform: body.platform.as_deref().map(platform).transpose()?,
        protocol: body.protocol,
        tags,
    };
    let unchanged = update.name.is_none() && update.host.is_none() && update.port.is_none() && update.platform.is_none() && update.protocol.is_none() && update.tags.is_none();
    if unchanged {
        return Err(ApiError::invalid("body", "name at least one field to change"));
    }
    Ok(update.into())
}

/// Decides `DELETE /devices/{id}`.
pub fn remove(reg: &Registry, who: &Principal, device_id: DeviceId) -> Result<EventData, ApiError> {
    who.require(Action::ManageDevices)?;
    visible(reg, who, device_id)?;
    Ok(DeviceRemoved { device_id }.into())
}

fn visible<'a>(reg: &'a Registry, who: &Principal, device_id: DeviceId) -> Result<&'a crate::registry::DeviceInfo, ApiError> {
    let device = reg.devices.get(&device_id).ok_or_else(|| ApiError::NotFound(format!("device {device_id} does not exist")))?;
    if !who.can_access_device(&device.tags) {
        return Err(ApiError::NotFound(format!("device {device_id} does not exist")));
    }
    Ok(device)
}
