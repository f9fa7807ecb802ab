//! What NetRaven's tests and benchmarks share, kept out of the product crates: event fixtures
//! (devices, credentials, schedules, whole job flows) and the address of the test Kafka broker.
#![warn(missing_docs)]

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
