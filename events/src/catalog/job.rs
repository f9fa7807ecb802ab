//! Job lifecycle events: a job is requested, queued, dispatched, runs in attempts and ends once.

use super::ids::{DeviceId, JobId, ScheduleId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// What a job does on its device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(rename_all = "snake_case")]
pub enum JobType {
    /// Capture the device's configuration.
    Backup,
    /// Run a list of commands.
    Command,
    /// Identify the device's platform.
    Detect,
}

/// Which devices a job is for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobTarget {
    /// One device.
    Device {
        /// The device.
        device_id: DeviceId,
    },
    /// An explicit list of devices (fans out into one child job per device).
    Devices {
        /// The devices.
        device_ids: Vec<DeviceId>,
    },
    /// Every device carrying all of these tags at the time of fan-out.
    Tags {
        /// The tags a device must carry.
        tags: Vec<String>,
    },
}

/// Parameters of a `command` job (empty for other job types).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobParameters {
    /// Commands to run, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
    /// Run the commands in configuration mode.
    #[serde(default)]
    pub config_mode: bool,
}

/// Why an attempt or a job failed, in the device-error taxonomy's terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobError {
    /// Stable error code (`AUTHENTICATION`, `TIMEOUT`, `UNREACHABLE`, ...).
    pub code: String,
    /// Human-readable explanation (already passed through the sensitive-data filter).
    pub message: String,
    /// Whether another attempt may succeed.
    pub retryable: bool,
}

/// A job was asked for (by a user, a schedule or a parent job's fan-out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobRequested {
    /// The new job.
    pub job_id: JobId,
    /// What it does.
    pub job_type: JobType,
    /// Which devices it is for.
    pub target: JobTarget,
    /// Type-specific parameters.
    #[serde(default)]
    pub parameters: JobParameters,
    /// Higher runs first (0 is the default).
    #[serde(default)]
    pub priority: i32,
    /// Jobs that must succeed before this one runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<JobId>,
    /// Per-attempt timeout in seconds.
    pub timeout_secs: u32,
    /// Run even if a backup of the same device is already running.
    #[serde(default)]
    pub force: bool,
    /// The job that fanned out into this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_job_id: Option<JobId>,
    /// The schedule that fired this job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_id: Option<ScheduleId>,
    /// The client's `Idempotency-Key`: a retried request with the same key gets this job back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// How many children a fan-out requested with it, in the same batch. Their requests lie in
    /// other partitions and may be read after the parent's: it ends only once it knows them all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_count: Option<u32>,
}

/// A job entered the queue, waiting for a free agent slot and its dependencies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobQueued {
    /// The job.
    pub job_id: JobId,
    /// Its queue priority.
    pub priority: i32,
}

/// An attempt of a job was handed to the device-agents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobDispatched {
    /// The job.
    pub job_id: JobId,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// The device the attempt runs against.
    pub device_id: DeviceId,
    /// What to do (copied so an agent needs nothing but this event).
    pub job_type: JobType,
    /// Type-specific parameters.
    #[serde(default)]
    pub parameters: JobParameters,
    /// Per-attempt timeout in seconds.
    pub timeout_secs: u32,
    /// How far the dispatcher had read the device, credential and host-key events
    /// ([`DEVICE_FACTS`](super::DEVICE_FACTS)) when it decided: a `Position` in text form,
    /// `partition:next_offset` pairs. On Kafka they may lie in other partitions than the
    /// dispatch: an agent resolves the attempt's target once it has read them as far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_position: Option<String>,
}

/// A device-agent started working on an attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobStarted {
    /// The job.
    pub job_id: JobId,
    /// Attempt number.
    pub attempt: u32,
    /// The agent instance running it.
    pub agent_id: String,
}

/// One attempt failed; the job may be retried.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobAttemptFailed {
    /// The job.
    pub job_id: JobId,
    /// The failed attempt.
    pub attempt: u32,
    /// Why it failed.
    pub error: JobError,
}

/// A new attempt was scheduled after a failed one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobRetried {
    /// The job.
    pub job_id: JobId,
    /// The new attempt number.
    pub attempt: u32,
    /// Back-off before the new attempt, in milliseconds.
    pub backoff_ms: u64,
}

/// The job ended successfully.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobSucceeded {
    /// The job.
    pub job_id: JobId,
    /// The attempt that succeeded.
    pub attempt: u32,
    /// A one-line summary of the result.
    pub summary: String,
}

/// The job ended in failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobFailed {
    /// The job.
    pub job_id: JobId,
    /// The last attempt.
    pub attempt: u32,
    /// Why it failed.
    pub error: JobError,
}

/// The job was cancelled before it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobCancelled {
    /// The job.
    pub job_id: JobId,
    /// Why, as given by whoever cancelled it.
    pub reason: String,
}

/// An attempt ran past its timeout and the job ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobTimedOut {
    /// The job.
    pub job_id: JobId,
    /// The attempt that timed out.
    pub attempt: u32,
    /// The timeout that was exceeded, in seconds.
    pub timeout_secs: u32,
}

