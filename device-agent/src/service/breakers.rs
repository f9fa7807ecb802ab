//! One circuit breaker per device, shared by the agent's attempts: an open breaker refuses an
//! attempt with `CIRCUIT_OPEN`, and each attempt's outcome moves the breaker.

use crate::DeviceError;
use crate::resilience::{BreakerConfig, CircuitBreaker};
use chrono::Utc;
use netraven_events::catalog::DeviceId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The breakers of every device the agent has worked on.
pub struct Breakers {
    config: BreakerConfig,
    devices: Mutex<HashMap<DeviceId, CircuitBreaker>>,
}

impl Breakers {
    /// No breaker open yet.
    pub fn new(config: BreakerConfig) -> Self {
        Breakers { config, devices: Mutex::default() }
    }

    /// Asks to make an attempt on `device` now: `CircuitOpen` while its breaker is open.
    pub fn try_acquire(&self, device: DeviceId) -> Result<(), DeviceError> {
        let mut devices = self.devices.lock().expect("breakers poisoned");
        let breaker = devices.entry(device).or_insert_with(|| CircuitBreaker::new(self.config.clone()));
        let now = Instant::now();
        breaker.try_acquire(now).map_err(|until| {
            let wait = chrono::Duration::from_std(until.saturating_duration_since(now)).unwrap_or_default();
            DeviceError::CircuitOpen { until: (Utc::now() + wait).to_rfc3339_opts(chrono::SecondsFormat::Secs, true) }
        })
    }

    /// Records an attempt's outcome: a failure of the device counts against it; success, or
    /// a failure that is not the device's (a refused credential), closes the breaker.
    pub fn record(&self, device: DeviceId, outcome: &Result<String, DeviceError>) {
        let mut devices = self.devices.lock().expect("breakers poisoned");
        let breaker = devices.entry(device).or_insert_with(|| CircuitBreaker::new(self.config.clone()));
        match outcome {
            Err(err) if err.trips_breaker() => breaker.on_failure(Instant::now()),
            _ => breaker.on_success(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_device_failures_open_the_breaker_and_refused_credentials_do_not() {
        let breakers = Breakers::new(BreakerConfig { failure_threshold: 2, open_secs: 60 });
        let (a, b) = (DeviceId::new(), DeviceId::new());
        let down = Err(DeviceError::Unreachable("refused".into()));
        let denied = Err(DeviceError::Authentication("denied".into()));
        for _ in 0..3 {
            breakers.try_acquire(b).unwrap();
            breakers.record(b, &denied);
        }
        breakers.try_acquire(a).unwrap();
        breakers.record(a, &down);
        breakers.try_acquire(a).unwrap();
        breakers.record(a, &down);
        let err = breakers.try_acquire(a).unwrap_err();
        assert_eq!(err.code(), "CIRCUIT_OPEN");
        assert!(breakers.try_acquire(b).is_ok(), "breakers are per device");
    }
}
