//! Schedule events: when jobs are fired automatically, and each firing.

use super::ids::{JobId, ScheduleId};
use super::job::{JobParameters, JobTarget, JobType};
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// When a schedule fires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScheduleSpec {
    /// A cron expression evaluated in an IANA time zone.
    Cron {
        /// The expression (`0 2 * * *`).
        expression: String,
        /// The zone (`Europe/Berlin`).
        timezone: String,
    },
    /// Every so many seconds.
    Interval {
        /// Seconds between firings.
        every_secs: u64,
    },
    /// Once, at a given time.
    Once {
        /// The due time.
        #[cfg_attr(test, proptest(strategy = "super::arb::time()"))]
        at: DateTime<Utc>,
    },
}

/// What to do with due times missed while NetRaven was down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(rename_all = "snake_case")]
pub enum MissedRunPolicy {
    /// Fire every missed due time.
    CatchUp,
    /// Fire once for all missed due times.
    FireOnce,
    /// Skip them and wait for the next due time.
    Skip,
}

/// A schedule was created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct ScheduleCreated {
    /// The new schedule.
    pub schedule_id: ScheduleId,
    /// Its name.
    pub name: String,
    /// When it fires.
    pub spec: ScheduleSpec,
    /// Missed-run policy.
    pub missed_runs: MissedRunPolicy,
    /// The job type it requests.
    pub job_type: JobType,
    /// The devices the requested jobs target.
    pub target: JobTarget,
    /// Parameters of the requested jobs.
    #[serde(default)]
    pub parameters: JobParameters,
}

/// A schedule stopped firing until resumed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct SchedulePaused {
    /// The schedule.
    pub schedule_id: ScheduleId,
}

/// A paused schedule fires again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct ScheduleResumed {
    /// The schedule.
    pub schedule_id: ScheduleId,
}

/// A schedule was deleted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct ScheduleRemoved {
    /// The schedule.
    pub schedule_id: ScheduleId,
}

/// A schedule fired for one due time and requested a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct ScheduleFired {
    /// The schedule.
    pub schedule_id: ScheduleId,
    /// The due time this firing is for (fires once per due time).
    #[cfg_attr(test, proptest(strategy = "super::arb::time()"))]
    pub due_at: DateTime<Utc>,
    /// The job it requested.
    pub job_id: JobId,
}
