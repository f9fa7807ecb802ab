//! Runs Kafka's own `ProducerPerformance` tool on the same broker and parses its throughput.

use anyhow::{Context, Result, bail};
use std::path::Path;

/// Records per second and MB/s reported by the tool for `records` records of `size` bytes.
pub async fn run(libs: &Path, bootstrap: &str, topic: &str, records: u64, size: usize) -> Result<(f64, f64)> {
    let output = tokio::process::Command::new("java")
        .arg("-cp")
        .arg(format!("{}/*", libs.display()))
        .arg("org.apache.kafka.tools.ProducerPerformance")
        .args(["--topic", topic, "--num-records", &records.to_string(), "--record-size", &size.to_string()])
        .args(["--throughput", "-1", "--producer-props"])
        .arg(format!("bootstrap.servers={bootstrap}"))
        .args(["acks=all", "compression.type=zstd", "enable.idempotence=true", "linger.ms=5", "batch.size=1000000"])
        .output()
        .await
        .context("cannot run java (is NETRAVEN_KAFKA_LIBS set by scripts/kafka env?)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("ProducerPerformance failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    parse(&text).with_context(|| format!("unexpected ProducerPerformance output: {text}"))
}

/// Parses the tool's summary line: `N records sent, X records/sec (Y MB/sec), ...`.
fn parse(text: &str) -> Option<(f64, f64)> {
    let line = text.lines().rev().find(|l| l.contains("records sent"))?;
    let rate = line.split(" records/sec").next()?.rsplit(", ").next()?.trim().parse().ok()?;
    let mb = line.split(" MB/sec").next()?.rsplit('(').next()?.trim().parse().ok()?;
    Some((rate, mb))
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_summary_line() {
        let out = "5 records sent...\n100000 records sent, 13225.763788 records/sec (12.92 MB/sec), 2039.23 ms avg latency\n";
        assert_eq!(super::parse(out), Some((13225.763788, 12.92)));
        assert_eq!(super::parse("nothing"), None);
    }
}
