//! The seed's `RETRY_CONFIG`: 3 attempts, 500 ms initial back-off doubling up to 10 s, with
//! "full jitter" so that many devices failing together do not retry in lock-step.

use crate::DeviceError;
use serde::Deserialize;
use std::time::Duration;

/// When and how often to try a device operation again.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetryConfig {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Back-off before the second attempt, in milliseconds.
    pub initial_backoff_ms: u64,
    /// Largest back-off, in milliseconds.
    pub max_backoff_ms: u64,
    /// Growth of the back-off per attempt.
    pub backoff_multiplier: f64,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig { max_attempts: 3, initial_backoff_ms: 500, max_backoff_ms: 10_000, backoff_multiplier: 2.0 }
    }
}

impl RetryConfig {
    /// The back-off ceiling before attempt `next` (2 for the first retry).
    pub fn ceiling(&self, next: u32) -> Duration {
        let exponent = next.saturating_sub(2).min(64) as i32;
        let ms = self.initial_backoff_ms as f64 * self.backoff_multiplier.powi(exponent);
        Duration::from_millis(ms.min(self.max_backoff_ms as f64) as u64)
    }

    /// Whether attempt `attempt` failing with `error` should be followed by another, and after
    /// how long; `unit` in [0, 1) is the jitter draw (random in production, fixed in tests).
    pub fn next_delay(&self, attempt: u32, error: &DeviceError, unit: f64) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        Some(self.ceiling(attempt + 1).mul_f64(unit.clamp(0.0, 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout() -> DeviceError {
        DeviceError::Timeout { what: "prompt".into(), secs: 30 }
    }

    #[test]
    fn the_seed_schedule_doubles_from_500_ms_to_10_s() {
        let c = RetryConfig { max_attempts: 10, ..RetryConfig::default() };
        let ceilings: Vec<u64> = (2..=8).map(|n| c.ceiling(n).as_millis() as u64).collect();
        assert_eq!(ceilings, vec![500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    }

    #[test]
    fn retries_stop_after_the_last_attempt_or_on_a_final_error() {
        let c = RetryConfig::default();
        assert_eq!(c.next_delay(1, &timeout(), 1.0), Some(Duration::from_millis(500)));
        assert_eq!(c.next_delay(2, &timeout(), 0.5), Some(Duration::from_millis(500)));
        assert_eq!(c.next_delay(3, &timeout(), 0.5), None, "3 attempts in all");
        let auth = DeviceError::Authentication("denied".into());
        assert_eq!(c.next_delay(1, &auth, 0.5), None, "authentication is not retried");
    }

    #[test]
    fn jitter_stays_under_the_ceiling() {
        let c = RetryConfig::default();
        for unit in [0.0, 0.25, 0.999, 7.0, -1.0] {
            let delay = c.next_delay(1, &timeout(), unit).unwrap();
            assert!(delay <= c.ceiling(2));
        }
    }

    #[test]
    fn config_rejects_unknown_fields() {
        let ok: RetryConfig = toml::from_str("max_attempts = 5").unwrap();
        assert_eq!(ok.max_attempts, 5);
        assert_eq!(ok.initial_backoff_ms, 500);
        assert!(toml::from_str::<RetryConfig>("max_attempt = 5").is_err());
    }
}
