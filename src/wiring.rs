//! What `serve` and the standalone components build alike: the vault, the token
//! authenticator, the user store, a device-agent task, and an HTTP server that stops on
//! Ctrl-C or SIGTERM.

use crate::config_file::env;
use crate::secrets::{random_text, setting};
use anyhow::{Context, Result};
use netraven_api::{Authenticator, TokenConfig};
use netraven_command_handler::dispatch::DispatchConfig;
use netraven_command_handler::users::Users;
use netraven_device_agent::{Agent, AgentConfig, ProfileSet};
use netraven_events::EventLog;
use netraven_events::log::kafka::KafkaLog;
use netraven_vault::Vault;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// The vault: `NETRAVEN_VAULT_KEYS`, or a key generated once into the data folder.
pub fn vault(data: &Path) -> Result<Arc<Vault>> {
    Ok(Arc::new(Vault::from_spec(&setting(env::VAULT_KEYS, data, "vault.keys", || Vault::generate_spec(1))?)?))
}

/// Tokens: RS256 when `NETRAVEN_JWT_PUBLIC_KEY_FILE` is set (signing too when
/// `NETRAVEN_JWT_PRIVATE_KEY_FILE` is), else HS256 with `NETRAVEN_JWT_SECRET` or a secret
/// generated once into the data folder.
pub fn authenticator(data: &Path, ttl_secs: i64) -> Result<Arc<Authenticator>> {
    let read = |var: &str| -> Result<Option<Vec<u8>>> {
        match std::env::var(var) {
            Ok(path) if !path.is_empty() => Ok(Some(std::fs::read(&path).with_context(|| format!("{var}: cannot read {path}"))?)),
            _ => Ok(None),
        }
    };
    let config = match read(env::JWT_PUBLIC_KEY_FILE)? {
        Some(public_pem) => TokenConfig::Rs256 { public_pem, private_pem: read(env::JWT_PRIVATE_KEY_FILE)? },
        None => TokenConfig::Hs256 { secret: setting(env::JWT_SECRET, data, "jwt.secret", random_text)?.into_bytes() },
    };
    Ok(Arc::new(Authenticator::new(&config, ttl_secs)?))
}

/// The user store, with `admin` created on first start (password from
/// `NETRAVEN_ADMIN_PASSWORD`, or generated and printed once).
pub async fn users(data: &Path) -> Result<Users> {
    let users = Users::open(&data.join("users.db"))?;
    if let Some(password) = users.ensure_admin(std::env::var(env::ADMIN_PASSWORD).ok()).await? {
        println!("Created the user `admin` with the password {password}\nIt is shown only this once; set NETRAVEN_ADMIN_PASSWORD to choose it yourself.");
    }
    Ok(users)
}

/// The device-agent settings: the configuration file's `[agent]` table, named `agent_id` when
/// given, else after this host and process (every agent of a deployment has its own name).
pub fn agent_config(agent_id: Option<String>) -> AgentConfig {
    let mut config = crate::config_file::agent();
    match agent_id {
        Some(id) => config.agent_id = id,
        None if config.agent_id == AgentConfig::default().agent_id => {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            config.agent_id = format!("device-agent-{}-{}", host.trim(), std::process::id());
        }
        None => {}
    }
    config
}

/// Starts a device-agent on `tasks`; on Kafka, given a group, it joins that consumer group.
pub fn spawn_agent(tasks: &mut JoinSet<()>, log: Arc<dyn EventLog>, group: Option<(&KafkaLog, &str)>, config: AgentConfig, vault: Arc<Vault>, shutdown: watch::Receiver<bool>) -> Result<()> {
    let mut agent = Agent::new(config, log, vault, ProfileSet::builtin());
    if let Some((kafka, group)) = group {
        agent = agent.with_group(kafka.join_group(group)?);
    }
    tasks.spawn(async move {
        if let Err(err) = agent.run(shutdown).await {
            tracing::error!(%err, "the device-agent stopped");
        }
    });
    Ok(())
}

/// Dispatcher settings (`command-handler` and `serve`).
#[derive(clap::Args)]
pub struct DispatchArgs {
    /// Seconds of silence past a job attempt's timeout before the dispatcher gives up on its
    /// agent and dispatches the job again.
    #[arg(long, env = "NETRAVEN_DISPATCH_GRACE_SECS", default_value_t = 30)]
    dispatch_grace_secs: i64,
    /// Attempts a job gets before it times out for good.
    #[arg(long, env = "NETRAVEN_MAX_ATTEMPTS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: u32,
    /// Job attempts dispatched or running at once, across all agents.
    #[arg(long, env = "NETRAVEN_MAX_IN_FLIGHT", default_value_t = 1000)]
    max_in_flight: usize,
}

impl DispatchArgs {
    /// The dispatcher's configuration.
    pub fn config(&self) -> DispatchConfig {
        DispatchConfig { max_attempts: self.max_attempts, grace_secs: self.dispatch_grace_secs.max(0), max_in_flight: self.max_in_flight.max(1) }
    }
}

/// Serves `router` on `listen` until Ctrl-C or SIGTERM; requests in flight finish first.
pub async fn serve_http(listen: SocketAddr, router: axum::Router) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// Tells the background tasks to stop (`stop`) and waits for them to finish their in-flight work.
pub async fn finish_tasks(stop: watch::Sender<bool>, mut tasks: JoinSet<()>) {
    tracing::info!("shutting down: finishing in-flight work");
    stop.send_replace(true);
    while tasks.join_next().await.is_some() {}
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// Runs `tasks` (no HTTP) until Ctrl-C or SIGTERM, then stops them gracefully.
pub async fn run_until_signal(stop: watch::Sender<bool>, tasks: JoinSet<()>) -> Result<()> {
    shutdown_signal().await;
    finish_tasks(stop, tasks).await;
    Ok(())
}
