//! The connection manager (the seed's `DeviceConnectionManager`): sessions stay open after a
//! job and are reused by the next job to the same device with the same credential; a pooled
//! session is checked before reuse and replaced when dead; idle sessions expire.

mod config;
mod limits;

pub use config::PoolConfig;
pub use limits::{Limits, Slots};

use crate::protocol::ProtocolAdapter;
use netraven_events::catalog::{CredentialId, DeviceId};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// How long a pooled session has to answer its check before it counts as dead.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long closing a session may take before it is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Which sessions are interchangeable: same device, same credential, and the same `revision`
/// of everything the session was opened with (address, protocol, profile, sealed secret), so
/// that a changed device or rotated credential never reuses an old session.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionKey {
    /// The device.
    pub device_id: DeviceId,
    /// The credential it logged in with.
    pub credential_id: CredentialId,
    /// What else the session depends on.
    pub revision: String,
}

struct Idle {
    key: SessionKey,
    session: Box<dyn ProtocolAdapter>,
    since: Instant,
}

#[derive(Default)]
struct State {
    /// Idle sessions, least recently used first.
    idle: Vec<Idle>,
    /// Sessions open, idle or leased.
    open: usize,
}

/// The pool of device sessions.
pub struct ConnectionManager {
    config: PoolConfig,
    state: Mutex<State>,
}

/// A session taken from the pool for one job. [`release`](Lease::release) it to keep it for
/// the next job; dropping it closes it.
pub struct Lease {
    key: SessionKey,
    session: Option<Box<dyn ProtocolAdapter>>,
    reused: bool,
    pool: Arc<ConnectionManager>,
}

/// What checking the pool found.
pub struct Checkout {
    /// A live pooled session, if there was one.
    pub lease: Option<Lease>,
    /// Pooled sessions found dead (and closed) on the way.
    pub dead: usize,
}

impl ConnectionManager {
    /// An empty pool.
    pub fn new(config: PoolConfig) -> Arc<Self> {
        Arc::new(ConnectionManager { config, state: Mutex::default() })
    }

    /// The pool's settings.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("pool state poisoned")
    }

    /// Sessions open (idle or leased).
    pub fn open_sessions(&self) -> usize {
        self.state().open
    }

    /// Idle sessions.
    pub fn idle_sessions(&self) -> usize {
        self.state().idle.len()
    }

    /// The most recently used idle session for `key` that still answers; dead ones on the way
    /// are closed and counted.
    pub async fn checkout(self: &Arc<Self>, key: &SessionKey) -> Checkout {
        let mut dead = 0;
        loop {
            let taken = {
                let mut state = self.state();
                let found = state.idle.iter().rposition(|idle| idle.key == *key);
                found.map(|i| state.idle.remove(i).session)
            };
            let Some(session) = taken else {
                return Checkout { lease: None, dead };
            };
            let mut lease = Lease { key: key.clone(), session: Some(session), reused: true, pool: self.clone() };
            let alive = tokio::time::timeout(PROBE_TIMEOUT, lease.session().is_alive()).await.unwrap_or(false);
            if alive {
                return Checkout { lease: Some(lease), dead };
            }
            dead += 1;
            lease.discard();
        }
    }

    /// Takes in a session just opened for `key`; when the pool is full, the least recently
    /// used idle session is closed to make room.
    pub fn admit(self: &Arc<Self>, key: SessionKey, session: Box<dyn ProtocolAdapter>) -> Lease {
        let evicted = {
            let mut state = self.state();
            state.open += 1;
            let over = state.open > self.config.max_connections && !state.idle.is_empty();
            if over {
                state.open -= 1;
                Some(state.idle.remove(0).session)
            } else {
                None
            }
        };
        if let Some(session) = evicted {
            close_in_background(session);
        }
        Lease { key, session: Some(session), reused: false, pool: self.clone() }
    }

    /// Closes idle sessions unused for longer than the idle timeout, except the `min_idle`
    /// most recently used ones. Returns how many it closed.
    pub fn reap(&self) -> usize {
        let expired: Vec<Idle> = {
            let mut state = self.state();
            let keep_from = state.idle.len().saturating_sub(self.config.min_idle);
            let timeout = self.config.idle_timeout();
            let (mut expired, mut kept) = (Vec::new(), Vec::new());
            for (i, idle) in state.idle.drain(..).enumerate() {
                if i < keep_from && idle.since.elapsed() >= timeout { expired.push(idle) } else { kept.push(idle) }
            }
            state.idle = kept;
            state.open -= expired.len();
            expired
        };
        let closed = expired.len();
        for idle in expired {
            close_in_background(idle.session);
        }
        closed
    }

    /// Closes every idle session (at shutdown), waiting for each to close.
    pub async fn close_idle(&self) {
        let idle: Vec<Idle> = {
            let mut state = self.state();
            let idle: Vec<Idle> = state.idle.drain(..).collect();
            state.open -= idle.len();
            idle
        };
        for mut idle in idle {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, idle.session.disconnect()).await;
        }
    }
}

impl Lease {
    /// The session.
    pub fn session(&mut self) -> &mut dyn ProtocolAdapter {
        self.session.as_deref_mut().expect("a lease holds its session until released")
    }

    /// Whether the session came from the pool rather than a new login.
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// The key the session is pooled under.
    pub fn key(&self) -> &SessionKey {
        &self.key
    }

    /// Returns the session to the pool for the next job.
    pub fn release(mut self) {
        if let Some(session) = self.session.take() {
            let idle = Idle { key: self.key.clone(), session, since: Instant::now() };
            self.pool.state().idle.push(idle);
        }
    }

    /// Closes the session (in the background) instead of pooling it.
    pub fn discard(mut self) {
        if let Some(session) = self.session.take() {
            self.pool.state().open -= 1;
            close_in_background(session);
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if self.session.take().is_some() {
            self.pool.state().open -= 1;
        }
    }
}

/// Ends a session without making anyone wait for it.
fn close_in_background(mut session: Box<dyn ProtocolAdapter>) {
    tokio::spawn(async move {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, session.disconnect()).await;
    });
}

#[cfg(test)]
mod tests;
