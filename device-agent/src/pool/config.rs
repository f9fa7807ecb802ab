//! The seed's `CONNECTION_POOL_CONFIG` as configuration: how many sessions the agent holds and
//! runs at once, how long idle ones live, and the connection time limits.

use serde::Deserialize;
use std::time::Duration;

/// Connection pool settings (defaults: the seed's `CONNECTION_POOL_CONFIG`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PoolConfig {
    /// Sessions open at once, idle or in use; also the number of jobs the agent runs at once.
    pub max_connections: usize,
    /// Idle sessions kept open even past `idle_timeout_secs` (the most recently used ones).
    pub min_idle: usize,
    /// Seconds after which an idle session is closed.
    pub idle_timeout_secs: u64,
    /// Seconds to connect and log in.
    pub connect_timeout_secs: u64,
    /// Seconds between SSH keepalives on an open session.
    pub keepalive_secs: u64,
    /// Jobs (and so sessions in use) at once per host, a host being an address and port.
    pub max_per_host: usize,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            max_connections: 50,
            min_idle: 5,
            idle_timeout_secs: 300,
            connect_timeout_secs: 30,
            keepalive_secs: 60,
            max_per_host: 5,
        }
    }
}

impl PoolConfig {
    /// How long a session may stay idle.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_secs)
    }

    /// How often the pool looks for expired idle sessions: a quarter of the idle timeout,
    /// between 100 ms and 30 s.
    pub fn reap_interval(&self) -> Duration {
        (self.idle_timeout() / 4).clamp(Duration::from_millis(100), Duration::from_secs(30))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_seed_pool_config_and_unknown_fields_are_refused() {
        let c = PoolConfig::default();
        assert_eq!(
            (c.max_connections, c.min_idle, c.idle_timeout_secs, c.connect_timeout_secs, c.keepalive_secs, c.max_per_host),
            (50, 5, 300, 30, 60, 5)
        );
        let partial: PoolConfig = toml::from_str("max_per_host = 2").unwrap();
        assert_eq!((partial.max_per_host, partial.max_connections), (2, 50));
        assert!(toml::from_str::<PoolConfig>("max_per_hosts = 2").is_err());
        assert_eq!(c.reap_interval(), Duration::from_secs(30));
    }
}
