//! Guards linear running time: inputs shaped to provoke repeated rescans (many near-matches on
//! one long line, an unterminated private key, a long sub-mode) grow 8x; time must not grow 64x.

use netraven_redact::SensitiveDataFilter;
use std::time::{Duration, Instant};

/// Adversarial input shapes, each built to roughly `size` bytes.
fn shapes(size: usize) -> Vec<(&'static str, String)> {
    vec![
        ("password= on one line", "password=".repeat(size / 9)),
        ("usernames without password", "username a ".repeat(size / 11) + "password 7 x"),
        ("private key headers", "-----BEGIN RSA PRIVATE KEY-----".repeat(size / 31)),
        ("url credentials", "x://u:".to_string() + &"@a".repeat(size / 2)),
        (
            "long sub-mode",
            "tacacs server X\n".to_string() + &" address ipv4 1.2.3.4\n".repeat(size / 22) + " key 7 s\n",
        ),
        ("unterminated quotes", "password=\"".to_string() + &"\\\"".repeat(size / 2)),
    ]
}

/// Best of two runs, to shrug off a busy machine.
fn best_time(filter: &SensitiveDataFilter, text: &str) -> Duration {
    (0..2)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(filter.redact_text(text));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn redaction_time_grows_linearly() {
    let filter = SensitiveDataFilter::new();
    const SMALL: usize = 64 * 1024;
    const FACTOR: usize = 8;
    let small = shapes(SMALL);
    let large = shapes(SMALL * FACTOR);
    for ((name, small_text), (_, large_text)) in small.iter().zip(&large) {
        let small_time = best_time(&filter, small_text).max(Duration::from_millis(1));
        let large_time = best_time(&filter, large_text);
        let ratio = large_time.as_secs_f64() / small_time.as_secs_f64();
        // Linear is ~8x (a little more where the regex engine switches strategy with span size),
        // quadratic ~64x; 32x leaves room for a busy machine.
        assert!(ratio < 32.0, "{name}: {FACTOR}x input took {ratio:.1}x time ({small_time:?} -> {large_time:?})");
    }
}
