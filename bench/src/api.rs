//! `POST /jobs` under load: the write API (with its dispatcher) on the embedded store, served on
//! loopback, driven by an in-process load generator (reqwest, keep-alive connections, each
//! sending its next request when the previous one is answered). Prints the sustained rate
//! and p50/p99/max latency.

use anyhow::{Context, Result, ensure};
use netraven_api::{Authenticator, Principal, Role, TokenConfig};
use netraven_command_handler::decide::devices::{self, DeviceCreate};
use netraven_command_handler::dispatch::DispatchConfig;
use netraven_command_handler::http::{AppState, router};
use netraven_command_handler::state::{CommandState, cause};
use netraven_command_handler::users::Users;
use netraven_events::EventLog;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_vault::Vault;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Settings of `bench/run api`.
#[derive(clap::Args)]
pub struct Args {
    /// Concurrent client connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds of load after a 2-second warm-up.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Devices the jobs are spread over.
    #[arg(long, default_value_t = 1000)]
    devices: usize,
}

async fn start(dir: &std::path::Path, devices: usize) -> Result<(String, String, Vec<String>, tokio::sync::watch::Sender<bool>)> {
    let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.join("events.db"))?);
    let state = CommandState::start(log).await?;
    let admin = Principal { user: "bench".into(), role: Role::Admin, device_tags: vec![] };
    let bodies: Vec<DeviceCreate> = (0..devices).map(|i| DeviceCreate { name: format!("r{i}"), host: Some(format!("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256)), ..DeviceCreate::default() }).collect();
    let events = state.execute(&cause("bench", "setup"), |reg| Ok((devices::register(reg, &admin, bodies.clone())?, vec![]))).await?;
    let ids: Vec<String> = events.iter().map(|e| e.data.to_value().map(|v| v["device_id"].as_str().unwrap_or_default().to_string())).collect::<Result<_, _>>()?;
    let users = Users::open(&dir.join("users.db"))?;
    users.create("bench", "bench-password-123", Role::Operator, vec![]).await?;
    let auth = Arc::new(Authenticator::new(&TokenConfig::Hs256 { secret: vec![7; 32] }, 3600)?);
    let (token, _) = auth.issue(&Principal { user: "bench".into(), role: Role::Operator, device_tags: vec![] })?;
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    tokio::spawn(netraven_command_handler::runner::dispatcher(state.clone(), DispatchConfig::default(), shutdown));
    let app = AppState { state, users, vault: Arc::new(Vault::from_keys([(1, [1; 32])])?), auth };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/api/v1/jobs", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, router(app)).await });
    Ok((url, token, ids, stop))
}

/// One client: posts jobs until `until`, returning the latencies measured after `from`.
async fn client(http: reqwest::Client, url: String, token: String, devices: Arc<Vec<String>>, seed: usize, from: Instant, until: Instant) -> Result<Vec<Duration>> {
    let mut latencies = Vec::new();
    let mut n = seed;
    while Instant::now() < until {
        let body = serde_json::json!({ "type": "backup", "target": { "kind": "device", "device_id": devices[n % devices.len()] }, "force": true });
        n += 7;
        let sent = Instant::now();
        let res = http.post(&url).bearer_auth(&token).json(&body).send().await?;
        let status = res.status();
        res.bytes().await?;
        ensure!(status.as_u16() == 201, "POST /jobs answered {status}");
        if sent >= from {
            latencies.push(sent.elapsed());
        }
    }
    Ok(latencies)
}

/// Runs the benchmark and prints its figures.
pub async fn run(args: Args) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, token, ids, _stop) = start(dir.path(), args.devices).await.context("starting the write API")?;
    let http = reqwest::Client::builder().pool_max_idle_per_host(args.connections).build()?;
    let devices = Arc::new(ids);
    let from = Instant::now() + Duration::from_secs(2);
    let until = from + Duration::from_secs(args.seconds);
    let clients: Vec<_> = (0..args.connections).map(|i| tokio::spawn(client(http.clone(), url.clone(), token.clone(), devices.clone(), i, from, until))).collect();
    let mut latencies = Vec::new();
    for c in clients {
        latencies.extend(c.await??);
    }
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64() * 1000.0;
    println!("POST /api/v1/jobs, embedded store, {} connections, {} s after a 2 s warm-up, dispatcher running", args.connections, args.seconds);
    println!("requests {:>9}  rate {:>8.0}/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms", latencies.len(), latencies.len() as f64 / args.seconds as f64, pick(0.50), pick(0.99), pick(1.0));
    Ok(())
}
