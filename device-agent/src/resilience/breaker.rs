//! A circuit breaker per device: open after 5 consecutive failures, half-open after 60 s (one
//! trial attempt), closed again on a success. Time is passed in, so the logic has no clock.

use serde::Deserialize;
use std::time::{Duration, Instant};

/// When a breaker opens and how long it stays open.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BreakerConfig {
    /// Consecutive failures that open the breaker.
    pub failure_threshold: u32,
    /// Seconds an open breaker waits before it lets one trial attempt through.
    pub open_secs: u64,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig { failure_threshold: 5, open_secs: 60 }
    }
}

/// Where a breaker stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Attempts go through.
    Closed,
    /// Attempts are refused until the instant given.
    Open {
        /// When the breaker half-opens.
        until: Instant,
    },
    /// One trial attempt is in flight; others are refused.
    HalfOpen,
}

/// One device's breaker.
#[derive(Clone, Debug)]
pub struct CircuitBreaker {
    config: BreakerConfig,
    state: BreakerState,
    failures: u32,
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(config: BreakerConfig) -> Self {
        CircuitBreaker { config, state: BreakerState::Closed, failures: 0 }
    }

    /// The state at `now` (an open breaker whose time is up reports half-open).
    pub fn state(&self, now: Instant) -> BreakerState {
        match self.state {
            BreakerState::Open { until } if now >= until => BreakerState::HalfOpen,
            other => other,
        }
    }

    /// Asks to make an attempt at `now`: `Err(until)` while open, or while a trial is in flight.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), Instant> {
        match self.state {
            BreakerState::Closed => Ok(()),
            BreakerState::Open { until } if now >= until => {
                self.state = BreakerState::HalfOpen;
                Ok(())
            }
            BreakerState::Open { until } => Err(until),
            BreakerState::HalfOpen => Err(now + Duration::from_secs(1)),
        }
    }

    /// Records a successful attempt: the breaker closes.
    pub fn on_success(&mut self) {
        self.state = BreakerState::Closed;
        self.failures = 0;
    }

    /// Records a failed attempt at `now` (only failures that count against the device).
    pub fn on_failure(&mut self, now: Instant) {
        self.failures += 1;
        let open = matches!(self.state, BreakerState::HalfOpen) || self.failures >= self.config.failure_threshold;
        if open {
            self.state = BreakerState::Open { until: now + Duration::from_secs(self.config.open_secs) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_five_consecutive_failures_and_half_opens_after_a_minute() {
        let t0 = Instant::now();
        let mut b = CircuitBreaker::new(BreakerConfig::default());
        for _ in 0..4 {
            assert!(b.try_acquire(t0).is_ok());
            b.on_failure(t0);
        }
        assert_eq!(b.state(t0), BreakerState::Closed);
        b.on_failure(t0);
        let until = t0 + Duration::from_secs(60);
        assert_eq!(b.try_acquire(t0 + Duration::from_secs(59)), Err(until));
        assert!(b.try_acquire(until).is_ok(), "one trial after 60 s");
        assert!(b.try_acquire(until).is_err(), "only one trial at a time");
        b.on_failure(until);
        assert!(matches!(b.state(until), BreakerState::Open { .. }), "a failed trial reopens it");
        let later = until + Duration::from_secs(60);
        assert!(b.try_acquire(later).is_ok());
        b.on_success();
        assert_eq!(b.state(later), BreakerState::Closed);
    }

    #[test]
    fn a_success_resets_the_count() {
        let t0 = Instant::now();
        let mut b = CircuitBreaker::new(BreakerConfig::default());
        for _ in 0..4 {
            b.on_failure(t0);
        }
        b.on_success();
        for _ in 0..4 {
            b.on_failure(t0);
        }
        assert_eq!(b.state(t0), BreakerState::Closed);
    }
}
