//! `netraven serve`: the whole of NetRaven in one process on one event log: the write API,
//! dispatcher and scheduler, a device-agent, the projector and search indexer, and the query
//! API, behind one HTTP listener.

use crate::secrets::{random_text, setting};
use crate::store::StoreArgs;
use anyhow::{Context, Result};
use netraven_api::{Authenticator, TokenConfig};
use netraven_command_handler::dispatch::DispatchConfig;
use netraven_command_handler::http::AppState;
use netraven_command_handler::state::CommandState;
use netraven_command_handler::users::Users;
use netraven_device_agent::{Agent, AgentConfig, ProfileSet};
use netraven_vault::Vault;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::watch;

/// Settings of `serve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Address of the HTTP API.
    #[arg(long, env = "NETRAVEN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Also start a simulated fleet, registered with a credential and a backup schedule.
    #[arg(long)]
    demo: bool,
    /// Number of simulated devices with `--demo`.
    #[arg(long, default_value_t = 50)]
    demo_devices: usize,
    /// Lifetime of issued API tokens, in seconds.
    #[arg(long, env = "NETRAVEN_TOKEN_TTL", default_value_t = 3600)]
    token_ttl: i64,
}

/// Runs until Ctrl-C or SIGTERM, then stops taking work and finishes what is in flight.
pub async fn run(args: Args) -> Result<()> {
    let data = args.store.data_dir.clone();
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create the data folder {}", data.display()))?;
    let log = args.store.open().await?;
    let vault = Arc::new(Vault::from_spec(&setting("NETRAVEN_VAULT_KEYS", &data, "vault.keys", || Vault::generate_spec(1))?)?);
    let secret = setting("NETRAVEN_JWT_SECRET", &data, "jwt.secret", random_text)?;
    let auth = Arc::new(Authenticator::new(&TokenConfig::Hs256 { secret: secret.into_bytes() }, args.token_ttl)?);
    let users = Users::open(&data.join("users.db"))?;
    if let Some(password) = users.ensure_admin(std::env::var("NETRAVEN_ADMIN_PASSWORD").ok()).await? {
        println!("Created the user `admin` with the password {password}\nIt is shown only this once; set NETRAVEN_ADMIN_PASSWORD to choose it yourself.");
    }
    let state = CommandState::start(log.clone()).await?;
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    tasks.spawn(netraven_command_handler::runner::dispatcher(state.clone(), DispatchConfig::default(), shutdown.clone()));
    tasks.spawn(netraven_command_handler::runner::scheduler(state.clone(), shutdown.clone()));
    let agent = Agent::new(AgentConfig::default(), log.clone(), vault.clone(), ProfileSet::builtin());
    let agent_shutdown = shutdown.clone();
    tasks.spawn(async move {
        if let Err(err) = agent.run(agent_shutdown).await {
            tracing::error!(%err, "the device-agent stopped");
        }
    });
    let _fleet = if args.demo {
        let fleet = Arc::new(crate::demo::start(&state, &vault, args.demo_devices).await?);
        tasks.spawn(crate::demo::churn(fleet.clone(), std::time::Duration::from_secs(30)));
        Some(fleet)
    } else {
        None
    };
    let read_routes = crate::read_side::start(&mut tasks, log.clone(), &data, auth.clone(), shutdown.clone())?;
    let app = AppState { state, users, vault, auth: auth.clone() };
    let routes = netraven_command_handler::http::routes(app).merge(read_routes).merge(crate::openapi::routes());
    let router = netraven_api::finish(routes, auth);
    let listener = tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(store = %args.store.describe(), listen = %args.listen, "netraven is running");
    println!("NetRaven API on http://{}/api/v1 (store: {})", args.listen, args.store.describe());
    let mut http_stop = shutdown.clone();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            tokio::select! {
                _ = shutdown_signal() => {}
                _ = http_stop.changed() => {}
            }
        })
        .await?;
    tracing::info!("shutting down: finishing in-flight work");
    stop.send_replace(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
