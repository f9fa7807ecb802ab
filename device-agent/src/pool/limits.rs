//! Concurrency bounds: a global semaphore (the pool's maximum) and one per host, so a job
//! starts only when both have a free slot.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Slots for running jobs, globally and per host.
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// A job's slots; dropping it frees them.
pub struct Slots {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

impl Limits {
    /// `global` jobs at once in all, `per_host` at once on one host.
    pub fn new(global: usize, per_host: usize) -> Self {
        Limits { global: Arc::new(Semaphore::new(global.max(1))), per_host: per_host.max(1), hosts: Mutex::default() }
    }

    /// Waits for a slot on `host` (an address and port), then for a global one.
    pub async fn acquire(&self, host: &str) -> Slots {
        let host_semaphore = {
            let mut hosts = self.hosts.lock().expect("host limits poisoned");
            hosts.entry(host.to_string()).or_insert_with(|| Arc::new(Semaphore::new(self.per_host))).clone()
        };
        let host = host_semaphore.acquire_owned().await.expect("host semaphores are never closed");
        let global = self.global.clone().acquire_owned().await.expect("the global semaphore is never closed");
        Slots { _host: host, _global: global }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_host_gets_at_most_its_share_and_all_hosts_the_global_bound() {
        let limits = Limits::new(3, 2);
        let a1 = limits.acquire("a:22").await;
        let _a2 = limits.acquire("a:22").await;
        let third_on_a = tokio::time::timeout(Duration::from_millis(50), limits.acquire("a:22")).await;
        assert!(third_on_a.is_err(), "a third job on one host waits");
        let _b1 = limits.acquire("b:22").await;
        let fourth = tokio::time::timeout(Duration::from_millis(50), limits.acquire("c:22")).await;
        assert!(fourth.is_err(), "a fourth job anywhere waits for the global bound");
        drop(a1);
        tokio::time::timeout(Duration::from_secs(5), limits.acquire("a:22")).await.expect("a freed slot is reused");
    }
}
