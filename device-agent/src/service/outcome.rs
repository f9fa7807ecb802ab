//! How an attempt ends, as events: `JobSucceeded`, or `JobAttemptFailed` followed by
//! `JobRetried` (a retryable error with attempts left, after a jittered back-off) or `JobFailed`.

use crate::DeviceError;
use crate::resilience::RetryConfig;
use netraven_events::EventData;
use netraven_events::catalog::{JobAttemptFailed, JobDispatched, JobError, JobFailed, JobRetried, JobSucceeded};

/// The terminal events of `job`'s attempt; `describe` turns an error into its recorded form
/// and `unit` in [0, 1) is the jitter draw.
pub fn terminal_events(
    job: &JobDispatched,
    outcome: &Result<String, DeviceError>,
    describe: impl FnOnce(&DeviceError) -> JobError,
    retry: &RetryConfig,
    unit: f64,
) -> Vec<EventData> {
    let (job_id, attempt) = (job.job_id, job.attempt);
    match outcome {
        Ok(summary) => vec![JobSucceeded { job_id, attempt, summary: summary.clone() }.into()],
        Err(err) => {
            let error = describe(err);
            let failed = JobAttemptFailed { job_id, attempt, error: error.clone() }.into();
            let next = match retry.next_delay(attempt, err, unit) {
                Some(delay) => JobRetried { job_id, attempt: attempt + 1, backoff_ms: delay.as_millis() as u64 }.into(),
                None => JobFailed { job_id, attempt, error }.into(),
            };
            vec![failed, next]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::{JobId, JobParameters, JobType};
    use netraven_events::catalog::DeviceId;

    fn job(attempt: u32) -> JobDispatched {
        JobDispatched {
            job_id: JobId::new(),
            attempt,
            device_id: DeviceId::new(),
            job_type: JobType::Backup,
            parameters: JobParameters::default(),
            timeout_secs: 60,
            log_position: None,
        }
    }

    fn describe(err: &DeviceError) -> JobError {
        JobError { code: err.code().into(), message: err.to_string(), retryable: err.is_retryable() }
    }

    fn types(events: &[EventData]) -> Vec<&'static str> {
        events.iter().map(EventData::event_type).collect()
    }

    #[test]
    fn retryable_failures_retry_until_the_last_attempt_and_others_fail_at_once() {
        let retry = RetryConfig::default();
        let down = Err(DeviceError::Unreachable("refused".into()));
        let first = terminal_events(&job(1), &down, describe, &retry, 1.0);
        assert_eq!(types(&first), ["netraven.job.attempt_failed.v1", "netraven.job.retried.v1"]);
        let EventData::JobRetried(retried) = &first[1] else { panic!() };
        assert_eq!((retried.attempt, retried.backoff_ms), (2, 500));
        let last = terminal_events(&job(3), &down, describe, &retry, 1.0);
        assert_eq!(types(&last), ["netraven.job.attempt_failed.v1", "netraven.job.failed.v1"]);
        let open = Err(DeviceError::CircuitOpen { until: "2026-01-01T00:00:00Z".into() });
        let refused = terminal_events(&job(1), &open, describe, &retry, 0.5);
        let EventData::JobFailed(failed) = &refused[1] else { panic!("an open circuit ends the job") };
        assert_eq!(failed.error.code, "CIRCUIT_OPEN");
        let ok = terminal_events(&job(2), &Ok("backup of 3 bytes".into()), describe, &retry, 0.5);
        assert_eq!(types(&ok), ["netraven.job.succeeded.v1"]);
    }
}
