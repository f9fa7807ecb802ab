//! Resilience policies for device work, as configuration and pure logic (clock passed in):
//! retries with exponential back-off and jitter, and a circuit breaker per device.

mod breaker;
mod retry;

pub use breaker::{BreakerConfig, BreakerState, CircuitBreaker};
pub use retry::RetryConfig;
