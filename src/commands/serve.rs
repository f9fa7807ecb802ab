//! `netraven serve`: the whole of NetRaven in one process on one event log: the write API,
//! dispatcher and scheduler, a device-agent, the projector and search indexer, and the query
//! API, behind one HTTP listener.

use crate::store::StoreArgs;
use crate::wiring;
use anyhow::{Context, Result};
use netraven_command_handler::http::AppState;
use netraven_command_handler::state::CommandState;
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
    #[command(flatten)]
    dispatch: wiring::DispatchArgs,
    /// This process's device-agent name in the events it appends (default: `device-agent-HOST-PID`).
    #[arg(long, env = "NETRAVEN_AGENT_ID")]
    agent_id: Option<String>,
    /// Seal the event log into a signed audit checkpoint this often, in seconds (0: never).
    #[arg(long, env = "NETRAVEN_SEAL_EVERY_SECS", default_value_t = 3600)]
    seal_every_secs: u64,
    /// Lifetime of issued API tokens, in seconds.
    #[arg(long, env = "NETRAVEN_TOKEN_TTL", default_value_t = 3600)]
    token_ttl: i64,
}

/// Runs until Ctrl-C or SIGTERM, then stops taking work and finishes what is in flight.
pub async fn run(args: Args) -> Result<()> {
    let data = args.store.data_dir.clone();
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create the data folder {}", data.display()))?;
    let log = args.store.open().await?;
    let vault = wiring::vault(&data)?;
    let auth = wiring::authenticator(&data, args.token_ttl)?;
    let users = wiring::users(&data).await?;
    let state = CommandState::start(log.clone()).await?;
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    tasks.spawn(netraven_command_handler::runner::dispatcher(state.clone(), args.dispatch.config(), shutdown.clone()));
    tasks.spawn(netraven_command_handler::runner::scheduler(state.clone(), shutdown.clone()));
    wiring::spawn_agent(&mut tasks, log.clone(), None, wiring::agent_config(args.agent_id.clone()), vault.clone(), shutdown.clone())?;
    let _fleet = if args.demo {
        let fleet = Arc::new(crate::demo::start(&state, &vault, args.demo_devices).await?);
        tasks.spawn(crate::demo::churn(fleet.clone(), std::time::Duration::from_secs(30), shutdown.clone()));
        Some(fleet)
    } else {
        None
    };
    if args.seal_every_secs > 0 {
        tasks.spawn(super::audit::seal_every(log.clone(), data.clone(), std::time::Duration::from_secs(args.seal_every_secs), shutdown.clone()));
    }
    let read_routes = crate::read_side::start(&mut tasks, log.clone(), &data, auth.clone(), shutdown.clone())?;
    let app = AppState { state, users, vault, auth: auth.clone() };
    let routes = netraven_command_handler::http::routes(app).merge(read_routes).merge(crate::openapi::routes());
    tracing::info!(store = %args.store.describe(), listen = %args.listen, "netraven is running");
    println!("NetRaven API on http://{}/api/v1 (store: {})", args.listen, args.store.describe());
    wiring::serve_http(args.listen, netraven_api::finish(routes, auth)).await?;
    wiring::finish_tasks(stop, tasks).await;
    Ok(())
}
