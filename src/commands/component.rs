//! Each component on its own, for deployments over Kafka (several processes, several
//! machines): `command-handler` (write API and dispatcher), `scheduler`, `device-agent`
//! (a consumer-group member on Kafka) and `query-api`; `projector` has its own command.
//! Configured by flags and `NETRAVEN_*` variables; each stops gracefully on SIGTERM.

use crate::store::StoreArgs;
use crate::wiring;
use anyhow::{Context, Result};
use netraven_command_handler::http::AppState;
use netraven_command_handler::state::CommandState;
use std::net::SocketAddr;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// Settings shared by the components that serve HTTP.
#[derive(clap::Args)]
pub struct HttpArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address of the HTTP API.
    #[arg(long, env = "NETRAVEN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Lifetime of issued API tokens, in seconds.
    #[arg(long, env = "NETRAVEN_TOKEN_TTL", default_value_t = 3600)]
    token_ttl: i64,
}

/// Settings of `command-handler`.
#[derive(clap::Args)]
pub struct CommandHandlerArgs {
    #[command(flatten)]
    http: HttpArgs,
    #[command(flatten)]
    dispatch: wiring::DispatchArgs,
}

/// Settings of `device-agent`.
#[derive(clap::Args)]
pub struct AgentArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// This agent's name in the events it appends (default: `device-agent-HOST-PID`).
    #[arg(long, env = "NETRAVEN_AGENT_ID")]
    agent_id: Option<String>,
    /// Kafka consumer group the agents share (dispatches are spread over its members).
    #[arg(long, env = "NETRAVEN_AGENT_GROUP", default_value = "netraven-device-agents")]
    group: String,
}

fn prepare(store: &StoreArgs) -> Result<std::path::PathBuf> {
    let data = store.data_dir.clone();
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create the data folder {}", data.display()))?;
    Ok(data)
}

/// `netraven command-handler`: the write API and the dispatcher.
pub async fn command_handler(CommandHandlerArgs { http: args, dispatch }: CommandHandlerArgs) -> Result<()> {
    let data = prepare(&args.store)?;
    let log = args.store.open().await?;
    let (vault, auth, users) = (wiring::vault(&data)?, wiring::authenticator(&data, args.token_ttl)?, wiring::users(&data).await?);
    let state = CommandState::start(log).await?;
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tasks.spawn(netraven_command_handler::runner::dispatcher(state.clone(), dispatch.config(), shutdown));
    let routes = netraven_command_handler::http::routes(AppState { state, users, vault, auth: auth.clone() }).merge(crate::openapi::routes());
    tracing::info!(store = %args.store.describe(), listen = %args.listen, "command-handler running");
    wiring::serve_http(args.listen, netraven_api::finish(routes, auth)).await?;
    wiring::finish_tasks(stop, tasks).await;
    Ok(())
}

/// `netraven scheduler`: fires due schedules.
pub async fn scheduler(store: StoreArgs) -> Result<()> {
    let log = store.open().await?;
    let state = CommandState::start(log).await?;
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tasks.spawn(netraven_command_handler::runner::scheduler(state, shutdown));
    tracing::info!(store = %store.describe(), "scheduler running");
    wiring::run_until_signal(stop, tasks).await
}

/// `netraven device-agent`: runs dispatched jobs; on Kafka, as a member of a consumer group.
pub async fn device_agent(args: AgentArgs) -> Result<()> {
    let data = prepare(&args.store)?;
    let (log, kafka) = args.store.open_with_kafka().await?;
    let (stop, shutdown) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let group = kafka.as_deref().map(|k| (k, args.group.as_str()));
    wiring::spawn_agent(&mut tasks, log, group, wiring::agent_config(args.agent_id), wiring::vault(&data)?, shutdown)?;
    tracing::info!(store = %args.store.describe(), group = %args.group, "device-agent running");
    wiring::run_until_signal(stop, tasks).await
}

/// `netraven query-api`: the read API over the views and index a `projector` maintains in the
/// same data folder.
pub async fn query_api(args: HttpArgs) -> Result<()> {
    let data = prepare(&args.store)?;
    let log = args.store.open().await?;
    let auth = wiring::authenticator(&data, args.token_ttl)?;
    std::fs::create_dir_all(crate::read_side::index_dir(&data))?;
    let searcher = netraven_search::Searcher::open(&crate::read_side::index_dir(&data))?;
    let state = netraven_query_api::QueryState::new(crate::read_side::views_path(&data), log, auth.clone());
    let routes = netraven_query_api::routes(state).merge(netraven_query_api::search_routes(searcher)).merge(crate::openapi::routes());
    tracing::info!(store = %args.store.describe(), listen = %args.listen, "query-api running");
    wiring::serve_http(args.listen, netraven_api::finish(routes, auth)).await
}
