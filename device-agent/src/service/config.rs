//! The agent's settings: its identity, the connection pool, retries, the circuit breaker and
//! the command timeout, each with the seed's defaults.

use crate::pool::PoolConfig;
use crate::protocol::Timeouts;
use crate::resilience::{BreakerConfig, RetryConfig};
use serde::Deserialize;
use std::time::Duration;

/// Settings of one agent instance.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AgentConfig {
    /// Names this instance in `JobStarted` and as the actor of the events it appends.
    pub agent_id: String,
    /// Sessions, concurrency and connection time limits (`CONNECTION_POOL_CONFIG`).
    pub pool: PoolConfig,
    /// When a failed attempt is followed by another (`RETRY_CONFIG`).
    pub retry: RetryConfig,
    /// When a device's circuit opens and for how long.
    pub breaker: BreakerConfig,
    /// Seconds one command's output may take to end with a prompt.
    pub command_timeout_secs: u64,
}

impl Default for AgentConfig {
    fn default() -> Self {
        AgentConfig {
            agent_id: "device-agent".into(),
            pool: PoolConfig::default(),
            retry: RetryConfig::default(),
            breaker: BreakerConfig::default(),
            command_timeout_secs: 60,
        }
    }
}

impl AgentConfig {
    /// The sessions' time limits.
    pub fn timeouts(&self) -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(self.pool.connect_timeout_secs),
            command: Duration::from_secs(self.command_timeout_secs),
            keepalive: (self.pool.keepalive_secs > 0).then(|| Duration::from_secs(self.pool.keepalive_secs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_take_their_defaults_and_unknown_keys_are_refused() {
        let config: AgentConfig = toml::from_str("agent_id = \"a-7\"\n[pool]\nmax_per_host = 3\n").unwrap();
        assert_eq!(config.agent_id, "a-7");
        assert_eq!((config.pool.max_per_host, config.pool.max_connections), (3, 50));
        assert_eq!(config.retry, RetryConfig::default());
        assert_eq!(config.timeouts().keepalive, Some(Duration::from_secs(60)));
        assert!(toml::from_str::<AgentConfig>("agent = \"x\"").is_err());
    }
}
