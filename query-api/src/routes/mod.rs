//! Route handlers, one module per resource, and the access checks they share.

pub(crate) mod audit;
pub(crate) mod configs;
pub(crate) mod devices;
pub(crate) mod jobs;
pub(crate) mod ops;
pub(crate) mod registry;
pub(crate) mod stream;

use crate::QueryState;
use crate::params::parse_id;
use netraven_api::{ApiError, Principal};
use netraven_projector::read::{self, DeviceView, JobView};

/// A device the caller may see (404 for an unknown device or one outside the caller's scope).
pub(crate) async fn device_in_scope(state: &QueryState, principal: &Principal, id: &str) -> Result<DeviceView, ApiError> {
    let id = parse_id("id", id)?;
    let lookup = id.clone();
    let device = state.read(move |c| read::device(c, &lookup)).await?;
    device.filter(|d| principal.can_access_device(&d.tags)).ok_or_else(|| ApiError::NotFound(format!("no device {id}")))
}

/// A job the caller may see: every device it touches is in the caller's scope (404 otherwise).
pub(crate) async fn job_in_scope(state: &QueryState, principal: &Principal, id: &str) -> Result<JobView, ApiError> {
    let id = parse_id("id", id)?;
    let lookup = id.clone();
    let (job, devices) = state.read(move |c| Ok((read::job(c, &lookup)?, read::job_devices_tags(c, &lookup)?))).await?;
    let scoped_without_devices = !principal.device_tags.is_empty() && devices.is_empty();
    job.filter(|_| !scoped_without_devices && principal.can_access_job(devices.iter().map(Vec::as_slice)))
        .ok_or_else(|| ApiError::NotFound(format!("no job {id}")))
}

/// For feeds that cannot be filtered row by row (audit timeline, event stream): a caller with
/// a device scope must name one device of that scope.
pub(crate) async fn scoped_device(state: &QueryState, principal: &Principal, device: Option<&str>) -> Result<(), ApiError> {
    if principal.device_tags.is_empty() {
        return Ok(());
    }
    let Some(device) = device else {
        return Err(ApiError::Forbidden("a caller with a device scope must filter by one of its devices (`device`)".into()));
    };
    device_in_scope(state, principal, device).await.map(|_| ())
}
