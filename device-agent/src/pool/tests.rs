//! The pool's bookkeeping with in-memory sessions: reuse, dead-session replacement, expiry
//! that keeps `min_idle`, and eviction at the maximum.

use super::*;
use crate::DeviceError;
use async_trait::async_trait;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[derive(Clone, Default)]
struct Probe {
    dead: Arc<AtomicBool>,
    closed: Arc<AtomicUsize>,
}

struct Fake(Probe);

#[async_trait]
impl ProtocolAdapter for Fake {
    async fn send_command(&mut self, command: &str) -> Result<String, DeviceError> {
        Ok(command.to_string())
    }
    async fn is_alive(&mut self) -> bool {
        !self.0.dead.load(Ordering::SeqCst)
    }
    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        self.0.closed.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn key(device: DeviceId) -> SessionKey {
    SessionKey { device_id: device, credential_id: CredentialId::new(), revision: "r1".into() }
}

fn pool(max: usize, min_idle: usize) -> Arc<ConnectionManager> {
    ConnectionManager::new(PoolConfig { max_connections: max, min_idle, idle_timeout_secs: 300, ..PoolConfig::default() })
}

/// A pool holding one idle session.
fn one_idle_session() -> (Arc<ConnectionManager>, SessionKey, Probe) {
    let pool = pool(50, 5);
    let k = key(DeviceId::new());
    let probe = Probe::default();
    pool.admit(k.clone(), Box::new(Fake(probe.clone()))).release();
    (pool, k, probe)
}

async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn a_released_session_is_reused_for_the_same_key_only() {
    let (pool, k, _probe) = one_idle_session();
    assert_eq!((pool.open_sessions(), pool.idle_sessions()), (1, 1));
    let other = SessionKey { revision: "r2".into(), ..k.clone() };
    assert!(pool.checkout(&other).await.lease.is_none(), "a changed revision never reuses");
    let found = pool.checkout(&k).await;
    let lease = found.lease.expect("reused");
    assert!(lease.reused());
    assert_eq!((found.dead, pool.idle_sessions(), pool.open_sessions()), (0, 0, 1));
    drop(lease);
    assert_eq!(pool.open_sessions(), 0, "a dropped lease is no longer counted");
}

#[tokio::test]
async fn a_dead_pooled_session_is_closed_and_reported() {
    let (pool, k, probe) = one_idle_session();
    probe.dead.store(true, Ordering::SeqCst);
    let found = pool.checkout(&k).await;
    assert!(found.lease.is_none());
    assert_eq!((found.dead, pool.open_sessions()), (1, 0));
    settle().await;
    assert_eq!(probe.closed.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn idle_sessions_expire_except_the_most_recent_min_idle() {
    let pool = pool(50, 1);
    let probes: Vec<Probe> = (0..3).map(|_| Probe::default()).collect();
    for probe in &probes {
        pool.admit(key(DeviceId::new()), Box::new(Fake(probe.clone()))).release();
        tokio::time::advance(Duration::from_secs(1)).await;
    }
    assert_eq!(pool.reap(), 0, "nothing is idle for 300 s yet");
    tokio::time::advance(Duration::from_secs(300)).await;
    assert_eq!(pool.reap(), 2);
    assert_eq!((pool.open_sessions(), pool.idle_sessions()), (1, 1));
    settle().await;
    let closed: Vec<usize> = probes.iter().map(|p| p.closed.load(Ordering::SeqCst)).collect();
    assert_eq!(closed, vec![1, 1, 0], "the most recently used one is kept");
}

#[tokio::test]
async fn a_full_pool_evicts_its_least_recently_used_idle_session() {
    let pool = pool(2, 0);
    let probes: Vec<Probe> = (0..3).map(|_| Probe::default()).collect();
    pool.admit(key(DeviceId::new()), Box::new(Fake(probes[0].clone()))).release();
    pool.admit(key(DeviceId::new()), Box::new(Fake(probes[1].clone()))).release();
    let lease = pool.admit(key(DeviceId::new()), Box::new(Fake(probes[2].clone())));
    assert_eq!((pool.open_sessions(), pool.idle_sessions()), (2, 1));
    settle().await;
    assert_eq!(probes[0].closed.load(Ordering::SeqCst), 1, "the oldest idle session made room");
    lease.discard();
    pool.close_idle().await;
    assert_eq!(pool.open_sessions(), 0);
    assert_eq!(probes[1].closed.load(Ordering::SeqCst), 1);
}
