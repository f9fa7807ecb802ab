//! Who may do what: roles, the authenticated principal, and the seed's permission checks
//! (`can_create_job`, `can_access_job`, `can_access_device`) with device scope by tag.

mod token;

pub use token::{Authenticator, Claims, TokenConfig};

use crate::ApiError;
use netraven_events::catalog::JobType;
use serde::{Deserialize, Serialize};

/// A user's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users and credentials.
    Admin,
    /// Runs jobs, manages devices and schedules.
    Operator,
    /// Reads everything, including job logs and the audit timeline; changes nothing.
    Auditor,
    /// Reads jobs, devices and configs, without log details; changes nothing.
    Viewer,
}

/// What a request does, for the role table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create or cancel jobs.
    RunJobs,
    /// Create, update, remove or import devices.
    ManageDevices,
    /// Create, rotate or revoke credentials.
    ManageCredentials,
    /// Create, pause, resume or remove schedules.
    ManageSchedules,
    /// Create users and change their roles.
    ManageUsers,
    /// Read jobs, devices, configs and schedules.
    Read,
    /// Read job log entries, command outputs and search them.
    ReadLogDetails,
    /// Read the audit timeline and raw event histories.
    ReadAudit,
}

impl Role {
    /// Whether this role may perform `action` (before device scope is applied).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Operator => matches!(action, RunJobs | ManageDevices | ManageSchedules | Read | ReadLogDetails),
            Role::Auditor => matches!(action, Read | ReadLogDetails | ReadAudit),
            Role::Viewer => matches!(action, Read),
        }
    }

    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Operator, Role::Auditor, Role::Viewer];

    /// Its lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Auditor => "auditor",
            Role::Viewer => "viewer",
        }
    }
}

/// The authenticated caller of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// User name; recorded as the `actor` of every event the request causes.
    pub user: String,
    /// Role.
    pub role: Role,
    /// Device scope: when not empty, only devices carrying at least one of these tags.
    pub device_tags: Vec<String>,
}

impl Principal {
    /// Ok if the role allows `action`, else a 403 that says what is missing.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.role.allows(action) {
            return Ok(());
        }
        Err(ApiError::Forbidden(format!("role `{}` may not {}", self.role.as_str(), describe(action))))
    }

    /// The seed's `can_create_job`: the role runs jobs (every job type alike).
    pub fn can_create_job(&self, _job_type: JobType) -> bool {
        self.role.allows(Action::RunJobs)
    }

    /// The seed's `can_access_device`: the device carries a tag of the caller's scope (or the
    /// caller has no scope).
    pub fn can_access_device(&self, device_tags: &[String]) -> bool {
        self.device_tags.is_empty() || device_tags.iter().any(|t| self.device_tags.contains(t))
    }

    /// The seed's `can_access_job`: the caller may read, and may access every device the job
    /// touches (given as each device's tags).
    pub fn can_access_job<'a>(&self, devices: impl IntoIterator<Item = &'a [String]>) -> bool {
        self.role.allows(Action::Read) && devices.into_iter().all(|tags| self.can_access_device(tags))
    }
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::RunJobs => "run or cancel jobs",
        Action::ManageDevices => "change devices",
        Action::ManageCredentials => "change credentials",
        Action::ManageSchedules => "change schedules",
        Action::ManageUsers => "manage users",
        Action::Read => "read",
        Action::ReadLogDetails => "read job log details",
        Action::ReadAudit => "read the audit timeline",
    }
}

#[cfg(test)]
mod tests;
