//! Every shipped profile against the device simulator over SSH (and Telnet where it applies):
//! login, privilege, paging off, backup byte for byte, autodetection; and every injected fault
//! yields the right error within its timeout and leaves no connection behind.

use netraven_device_agent::DeviceError;
use netraven_device_agent::profile::{Profile, ProfileSet, SessionKind};
use netraven_device_agent::protocol::ssh::SshConnection;
use netraven_device_agent::protocol::telnet::TelnetSession;
use netraven_device_agent::protocol::{HostKeyPolicy, Login, ProtocolAdapter, Target, Timeouts};
use netraven_devsim::{DeviceHandle, DeviceInfo, DeviceSpec, Drip, Faults, Fleet, FleetConfig, Platform, Refusal};
use std::time::{Duration, Instant};

fn login(info: &DeviceInfo) -> Login {
    Login {
        username: info.username.clone(),
        password: Some(info.password.clone()),
        private_key: None,
        enable_secret: Some(info.enable_secret.clone()),
    }
}

fn ssh_target(info: &DeviceInfo) -> Target {
    Target { host: "127.0.0.1".into(), port: info.ssh_port.expect("ssh port") }
}

fn profile(platform: Platform) -> Profile {
    ProfileSet::builtin().get(platform.as_str()).expect("a shipped profile per simulated platform").clone()
}

fn quick() -> Timeouts {
    Timeouts { connect: Duration::from_secs(10), command: Duration::from_secs(3), ..Timeouts::default() }
}

async fn fleet(specs: Vec<DeviceSpec>) -> Fleet {
    let mut config = FleetConfig::new(0, &[]);
    config.devices = specs;
    Fleet::start(config).await.expect("fleet starts")
}

/// Runs `command` on a device over SSH with its profile's session kind.
async fn run_over_ssh(info: &DeviceInfo, platform: Platform, commands: &[&str], timeouts: Timeouts) -> Result<Vec<String>, DeviceError> {
    let profile = profile(platform);
    let conn = SshConnection::connect(&ssh_target(info), &login(info), HostKeyPolicy::Pinned(info.host_key_fingerprint.clone()), timeouts).await?;
    let mut adapter: Box<dyn ProtocolAdapter> = match profile.spec().session {
        SessionKind::Exec => Box::new(netraven_device_agent::protocol::ssh::SshExec::new(conn)),
        SessionKind::Shell => Box::new(conn.shell(profile, Some(&info.enable_secret)).await?),
    };
    let mut outputs = Vec::new();
    for command in commands {
        outputs.push(adapter.send_command(command).await?);
    }
    adapter.disconnect().await?;
    Ok(outputs)
}

async fn no_connections_left(device: &DeviceHandle) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while device.connections() > 0 {
        assert!(Instant::now() < deadline, "{} connection(s) leaked", device.connections());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Tasks alive on this runtime (the simulator's listeners plus whatever sessions still run).
fn alive_tasks() -> usize {
    tokio::runtime::Handle::current().metrics().num_alive_tasks()
}

/// Waits until no more tasks are alive than `baseline`.
async fn no_tasks_left(baseline: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive_tasks() > baseline {
        assert!(Instant::now() < deadline, "{} task(s) leaked", alive_tasks() - baseline);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_profile_logs_in_backs_up_and_detects_its_platform() {
    let specs = Platform::ALL.iter().map(|p| {
        let mut spec = DeviceSpec::new(format!("{}-dev", p.as_str()), *p);
        spec.config_size = 64 * 1024;
        spec
    });
    let fleet = fleet(specs.collect()).await;
    let set = ProfileSet::builtin();
    for (i, info) in fleet.devices().iter().enumerate() {
        let platform = info.platform;
        let profile = profile(platform);
        let detect = profile.spec().detect.as_ref().map(|d| d.command.clone()).expect("detect command");
        let outputs = run_over_ssh(info, platform, &[platform.config_command(), &detect], Timeouts::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", platform.as_str()));
        let expected = fleet.device(i).unwrap().running_config();
        assert!(
            profile.normalize_for_hash(&outputs[0]) == profile.normalize_for_hash(&expected),
            "{}: backup differs from the device's configuration ({} vs {} bytes)",
            platform.as_str(),
            outputs[0].len(),
            expected.len()
        );
        let detected = set.detect(&outputs[1]).map(|d| d.profile);
        assert_eq!(detected.as_deref(), Some(platform.as_str()), "autodetection from `{detect}`");
        no_connections_left(fleet.device(i).unwrap()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telnet_logs_in_and_runs_commands() {
    let specs = [Platform::CiscoIos, Platform::JuniperJunos].map(|p| {
        let mut spec = DeviceSpec::new(format!("{}-telnet", p.as_str()), p);
        spec.telnet = true;
        spec
    });
    let fleet = fleet(specs.to_vec()).await;
    for (i, info) in fleet.devices().iter().enumerate() {
        let target = Target { host: "127.0.0.1".into(), port: info.telnet_port.expect("telnet port") };
        let mut session = TelnetSession::connect(&target, &login(info), profile(info.platform), Timeouts::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", info.platform.as_str()));
        let config = session.send_command(info.platform.config_command()).await.unwrap();
        let expected = fleet.device(i).unwrap().running_config();
        let profile = profile(info.platform);
        assert!(profile.normalize_for_hash(&config) == profile.normalize_for_hash(&expected), "{}", info.platform.as_str());
        session.disconnect().await.unwrap();

        let mut bad = login(info);
        bad.password = Some("wrong".into());
        let err = TelnetSession::connect(&target, &bad, profile.clone(), Timeouts::default()).await.err().unwrap();
        assert_eq!(err.code(), "AUTHENTICATION", "{err}");
        no_connections_left(fleet.device(i).unwrap()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20_mb_configuration_comes_through_the_cli_byte_for_byte() {
    let mut spec = DeviceSpec::new("big", Platform::CiscoIos);
    spec.config_size = 20 * 1024 * 1024;
    let fleet = fleet(vec![spec]).await;
    let info = &fleet.devices()[0];
    let timeouts = Timeouts { connect: Duration::from_secs(10), command: Duration::from_secs(120), ..Timeouts::default() };
    let output = run_over_ssh(info, Platform::CiscoIos, &["show running-config"], timeouts).await.unwrap();
    let profile = profile(Platform::CiscoIos);
    let expected = fleet.device(0).unwrap().running_config();
    assert!(expected.len() >= 20 * 1024 * 1024);
    assert_eq!(output[0].len(), expected.len());
    // Only the volatile header lines (current time) may differ between the two captures.
    assert!(profile.normalize_for_hash(&output[0]) == profile.normalize_for_hash(&expected), "the 20 MB configuration differs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_injected_fault_gives_the_right_error_in_time_and_leaks_nothing() {
    let mut spec = DeviceSpec::new("faulty", Platform::CiscoIos);
    spec.config_size = 256 * 1024;
    let fleet = fleet(vec![spec]).await;
    let info = fleet.devices()[0].clone();
    let device = fleet.device(0).unwrap();
    let baseline = alive_tasks();
    let backup = |timeouts| {
        let info = info.clone();
        async move { run_over_ssh(&info, Platform::CiscoIos, &["show running-config"], timeouts).await }
    };

    device.set_faults(Faults { auth_failures: 1, ..Faults::default() });
    assert!(backup(quick()).await.is_ok(), "a refused password falls back to keyboard-interactive, which succeeds");
    device.set_faults(Faults { auth_failures: 2, ..Faults::default() }); // password, then keyboard-interactive
    assert_eq!(backup(quick()).await.unwrap_err().code(), "AUTHENTICATION");
    assert!(backup(quick()).await.is_ok(), "the next login succeeds");

    for (faults, code) in [
        (Faults { hang_after: Some(10_000), ..Faults::default() }, "TIMEOUT"),
        (Faults { disconnect_after: Some(10_000), ..Faults::default() }, "PROTOCOL"),
        (Faults { refuse: Refusal::StopListening, ..Faults::default() }, "UNREACHABLE"),
    ] {
        device.set_faults(faults.clone());
        let started = Instant::now();
        let err = backup(quick()).await.unwrap_err();
        assert_eq!(err.code(), code, "{faults:?}: {err}");
        assert!(started.elapsed() < quick().command + Duration::from_secs(5), "{faults:?} took {:?}", started.elapsed());
        device.set_faults(Faults::default());
        no_connections_left(device).await;
        no_tasks_left(baseline).await;
    }

    device.set_faults(Faults { refuse: Refusal::CloseOnAccept, ..Faults::default() });
    let err = backup(quick()).await.unwrap_err();
    assert!(matches!(err.code(), "PROTOCOL" | "UNREACHABLE"), "{err}");

    device.set_faults(Faults { garbage_every: Some(4096), ..Faults::default() });
    let started = Instant::now();
    let _ = backup(quick()).await; // may succeed or fail, but must end without panic
    assert!(started.elapsed() < quick().command + Duration::from_secs(5));

    device.set_faults(Faults { drip: Some(Drip { chunk: 4096, delay: Duration::from_millis(1) }), ..Faults::default() });
    let slow = backup(Timeouts::default()).await.unwrap();
    let profile = profile(Platform::CiscoIos);
    assert!(profile.normalize_for_hash(&slow[0]) == profile.normalize_for_hash(&device.running_config()), "slow output arrives whole");

    device.set_faults(Faults::default());
    let old = info.host_key_fingerprint.clone();
    let new = device.rotate_host_key();
    assert_ne!(old, new);
    match backup(quick()).await.unwrap_err() {
        DeviceError::HostKey { expected, presented } => assert_eq!((expected, presented), (old, new)),
        other => panic!("expected a host key error, got {other}"),
    }
    no_connections_left(device).await;
    no_tasks_left(baseline).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_is_redacted_and_its_hash_changes_only_when_the_config_does() {
    use netraven_device_agent::backup;
    let mut specs = Vec::new();
    for platform in [Platform::CiscoIos, Platform::JuniperJunos, Platform::AristaEos] {
        let mut spec = DeviceSpec::new(format!("{}-backup", platform.as_str()), platform);
        spec.config_size = 32 * 1024;
        specs.push(spec);
    }
    let fleet = fleet(specs).await;
    for (i, info) in fleet.devices().iter().enumerate() {
        let profile = profile(info.platform);
        let filter = std::sync::Arc::new(backup::filter_for(&profile).unwrap());
        let take = || async {
            let conn = SshConnection::connect(&ssh_target(info), &login(info), HostKeyPolicy::LearnOnFirstUse, Timeouts::default()).await?;
            let mut shell = conn.shell(profile.clone(), Some(&info.enable_secret)).await?;
            let captured = backup::capture(&mut shell, &profile, &filter).await;
            shell.disconnect().await?;
            captured
        };
        let first = take().await.unwrap();
        let raw = fleet.device(i).unwrap().running_config();
        let secrets: Vec<&str> = raw
            .lines()
            .filter_map(|l| l.trim().strip_prefix("snmp-server community ").or_else(|| l.trim().strip_prefix("community ")))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(|s| s.trim_matches(|c| c == '"' || c == ';'))
            .filter(|s| s.len() > 3)
            .collect();
        assert!(!secrets.is_empty(), "{}: the simulated config carries SNMP communities", info.platform.as_str());
        for secret in &secrets {
            assert!(!first.content.contains(secret), "{}: SNMP community {secret} leaked", info.platform.as_str());
        }
        assert!(first.content.contains("<redacted>"), "{}", info.platform.as_str());
        let second = take().await.unwrap();
        assert_eq!(first.content_hash, second.content_hash, "{}: volatile lines do not change the hash", info.platform.as_str());
        fleet.device(i).unwrap().change_config();
        let third = take().await.unwrap();
        assert_ne!(first.content_hash, third.content_hash, "{}: a real change changes the hash", info.platform.as_str());
    }
}
