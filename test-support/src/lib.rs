//! What NetRaven's tests and benchmarks share, kept out of the product crates: event fixtures
//! (devices, credentials, schedules, whole job flows), the address of the test Kafka broker, and
//! direct access to the embedded store for tamper tests.
#![warn(missing_docs)]

pub mod embedded;
pub mod fixtures;

/// The Kafka broker the tests use (`NETRAVEN_KAFKA_BOOTSTRAP`, which `scripts/test` sets), or
/// `None` when `NETRAVEN_SKIP_KAFKA=1` asks on purpose to skip the Kafka tests. Without either
/// it panics, so a missing broker fails the suite instead of passing it silently.
pub fn kafka_bootstrap() -> Option<String> {
    match std::env::var("NETRAVEN_KAFKA_BOOTSTRAP") {
        Ok(b) if !b.is_empty() => Some(b),
        _ if std::env::var("NETRAVEN_SKIP_KAFKA").as_deref() == Ok("1") => {
            eprintln!("SKIPPED: NETRAVEN_SKIP_KAFKA=1, the Kafka backend is not tested here");
            None
        }
        _ => panic!("NETRAVEN_KAFKA_BOOTSTRAP is not set: run ./scripts/test (it starts a broker)"),
    }
}

/// Sends SIGTERM to `child` and waits up to `within` for it to exit by itself; how it exited,
/// or `None` if it is still running.
pub fn terminate(child: &mut std::process::Child, within: std::time::Duration) -> Option<std::process::ExitStatus> {
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let deadline = std::time::Instant::now() + within;
    while std::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    None
}
