//! Every injected fault, observed from a client: failing logins, slow output, hangs,
//! disconnects, garbage, refused connections, a rotated host key, and a changed configuration.

mod common;

use std::time::{Duration, Instant};

use common::{Shell, WAIT, connect, exec, fleet};
use netraven_devsim::{Drip, Faults, FleetConfig, Platform, Refusal};
use russh::ChannelMsg;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

async fn wait_for(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check() {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_fails_n_times_then_succeeds() {
    let fleet = fleet(1, &[Platform::CiscoIos], |c| {
        c.devices[0].faults.auth_failures = 2
    })
    .await;
    let info = &fleet.devices()[0];
    let (mut h, _) = connect(info.ssh_port.unwrap_or_default())
        .await
        .expect("connects");
    for attempt in 1..=2 {
        let auth = h
            .authenticate_password(&info.username, &info.password)
            .await
            .expect("auth");
        assert!(!auth.success(), "attempt {attempt} fails");
    }
    assert!(
        h.authenticate_password(&info.username, &info.password)
            .await
            .expect("auth")
            .success()
    );
    assert_eq!(fleet.device(0).map(|d| d.faults().auth_failures), Some(0));
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnect_mid_output_closes_after_k_bytes() {
    let faults = Faults {
        disconnect_after: Some(1000),
        ..Faults::default()
    };
    let fleet = fleet(1, &[Platform::CiscoIos], |c| c.devices[0].faults = faults).await;
    let started = Instant::now();
    let (out, status) = exec(&fleet.devices()[0], "show running-config").await;
    assert_eq!(out.len(), 1000, "exactly the first 1000 bytes");
    assert_eq!(status, None, "no exit status: the connection was dropped");
    assert!(started.elapsed() < WAIT);
    let device = fleet.device(0).expect("device");
    assert!(
        wait_for(|| device.connections() == 0).await,
        "no connection left behind"
    );
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hang_stops_output_but_keeps_the_connection() {
    let faults = Faults {
        hang_after: Some(500),
        ..Faults::default()
    };
    let fleet = fleet(1, &[Platform::CiscoIos], |c| c.devices[0].faults = faults).await;
    let info = &fleet.devices()[0];
    let handle = common::login(info).await;
    let mut channel = handle.channel_open_session().await.expect("channel");
    channel
        .exec(true, "show running-config")
        .await
        .expect("exec");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(msg) = channel.wait().await {
            if let ChannelMsg::Data { data } = msg {
                out.extend_from_slice(&data);
            }
        }
    })
    .await;
    assert_eq!(out.len(), 500, "output stops after 500 bytes");
    assert!(!handle.is_closed(), "the connection stays open");
    let device = fleet.device(0).expect("device");
    assert_eq!(device.connections(), 1);
    drop(channel);
    drop(handle);
    assert!(
        wait_for(|| device.connections() == 0).await,
        "closing the client frees the connection"
    );
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drip_slows_output_and_garbage_corrupts_it() {
    let fleet = fleet(1, &[Platform::CiscoIos], |_| {}).await;
    let info = &fleet.devices()[0];
    let device = fleet.device(0).expect("device");
    let (clean, _) = exec(info, "show version").await;

    device.set_faults(Faults {
        drip: Some(Drip {
            chunk: 200,
            delay: Duration::from_millis(50),
        }),
        ..Faults::default()
    });
    let started = Instant::now();
    let (slow, _) = exec(info, "show version").await;
    let chunks = clean.len().div_ceil(200) as u32;
    assert_eq!(slow, clean, "slow output is complete");
    assert!(
        started.elapsed() >= Duration::from_millis(50) * chunks,
        "{:?} for {chunks} chunks",
        started.elapsed()
    );

    device.set_faults(Faults {
        garbage_every: Some(300),
        ..Faults::default()
    });
    let (dirty, status) = exec(info, "show version").await;
    assert_eq!(status, Some(0));
    assert!(dirty.len() > clean.len());
    assert!(std::str::from_utf8(&dirty).is_err(), "garbage is not UTF-8");
    assert!(dirty.contains(&0x1b), "garbage has escape sequences");
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_connections_are_refused() {
    let fleet = fleet(1, &[Platform::CiscoIos], |c| c.devices[0].telnet = true).await;
    let info = &fleet.devices()[0];
    let (ssh, telnet) = (
        info.ssh_port.unwrap_or_default(),
        info.telnet_port.unwrap_or_default(),
    );
    let device = fleet.device(0).expect("device");

    device.set_faults(Faults {
        refuse: Refusal::CloseOnAccept,
        ..Faults::default()
    });
    let mut stream = TcpStream::connect(("127.0.0.1", ssh))
        .await
        .expect("accepted");
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(WAIT, stream.read(&mut buf))
        .await
        .expect("closed promptly");
    assert!(matches!(n, Ok(0) | Err(_)), "closed without a greeting");
    assert!(connect(ssh).await.is_err(), "SSH fails");

    device.set_faults(Faults {
        refuse: Refusal::StopListening,
        ..Faults::default()
    });
    // Each listener stops on its own task: wait for both before checking how a connect fails.
    assert!(
        wait_for(|| std::net::TcpStream::connect(("127.0.0.1", ssh)).is_err()).await,
        "SSH refused"
    );
    assert!(
        wait_for(|| std::net::TcpStream::connect(("127.0.0.1", telnet)).is_err()).await,
        "Telnet refused"
    );
    let err = TcpStream::connect(("127.0.0.1", telnet))
        .await
        .expect_err("Telnet refused");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);

    device.set_faults(Faults::default());
    assert!(
        wait_for(|| std::net::TcpStream::connect(("127.0.0.1", ssh)).is_ok()).await,
        "listening again"
    );
    let (out, _) = exec(info, "show version").await;
    assert!(!out.is_empty());
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotated_host_key_changes_the_fingerprint_and_seeds_keep_it_stable() {
    let fleet = fleet(2, &[Platform::CiscoIos], |c| c.seed = 77).await;
    let info = fleet.devices()[0].clone();
    let port = info.ssh_port.unwrap_or_default();
    let (_, seen) = connect(port).await.expect("connects");
    assert_eq!(seen, info.host_key_fingerprint);
    assert_ne!(
        info.host_key_fingerprint,
        fleet.devices()[1].host_key_fingerprint
    );
    let rotated = fleet.device(0).expect("device").rotate_host_key();
    assert_ne!(rotated, info.host_key_fingerprint);
    let (_, seen) = connect(port).await.expect("connects");
    assert_eq!(seen, rotated);
    fleet.shutdown().await;

    let mut again = FleetConfig::new(2, &[Platform::CiscoIos]);
    again.seed = 77;
    let again = netraven_devsim::Fleet::start(again)
        .await
        .expect("restarts");
    assert_eq!(
        again.devices()[0].host_key_fingerprint,
        info.host_key_fingerprint,
        "same seed, same key"
    );
    again.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_config_changes_the_next_backup() {
    let fleet = fleet(7, &Platform::ALL, |_| {}).await;
    for (i, info) in fleet.devices().iter().enumerate() {
        let device = fleet.device(i).expect("device");
        let before = device.running_config();
        let volatile = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !l.starts_with('!') && !l.starts_with(':') && !l.starts_with("##"))
                .map(String::from)
                .collect()
        };
        device.change_config();
        let after = device.running_config();
        assert!(
            volatile(&before) != volatile(&after),
            "{}: the configuration changed",
            info.platform
        );
        let (shown, _) = exec(info, info.platform.config_command()).await;
        let shown = common::unix(&String::from_utf8_lossy(&shown));
        // IOS-XR prints a time stamp line before the configuration.
        assert!(
            volatile(&shown).ends_with(&volatile(&after)),
            "{}: the device shows the changed configuration",
            info.platform
        );
    }
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_hang_ends_when_the_client_leaves() {
    let faults = Faults {
        hang_after: Some(100),
        ..Faults::default()
    };
    let fleet = fleet(1, &[Platform::CiscoNxos], |c| c.devices[0].faults = faults).await;
    let mut sh = Shell::open(&fleet.devices()[0]).await;
    sh.until("switch1# ").await;
    sh.send("show running-config\r").await;
    let got = sh.drain_for(Duration::from_secs(1)).await;
    assert!(
        got.len() <= 100 + "show running-config\r\n".len(),
        "{} bytes",
        got.len()
    );
    drop(sh);
    let device = fleet.device(0).expect("device");
    assert!(wait_for(|| device.connections() == 0).await);
    fleet.shutdown().await;
}
