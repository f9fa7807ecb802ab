//! Formats one measured figure as a table row.

use std::time::Duration;

/// Throughput of `events` events of `bytes_each` payload bytes in `elapsed`.
pub struct Throughput {
    pub events: u64,
    pub bytes_each: usize,
    pub elapsed: Duration,
}

impl Throughput {
    /// Events per second.
    pub fn events_per_sec(&self) -> f64 {
        self.events as f64 / self.elapsed.as_secs_f64()
    }

    /// Payload mebibytes per second (as Kafka's tool counts "MB").
    pub fn mb_per_sec(&self) -> f64 {
        self.events_per_sec() * self.bytes_each as f64 / (1024.0 * 1024.0)
    }
}

/// Prints the table header.
pub fn header() {
    println!("{:<10} {:<44} {:>10} {:>14} {:>9}", "backend", "operation", "events", "events/s", "MiB/s");
}

/// Prints one row.
pub fn row(backend: &str, operation: &str, t: &Throughput) {
    println!(
        "{:<10} {:<44} {:>10} {:>14.0} {:>9.1}",
        backend,
        operation,
        t.events,
        t.events_per_sec(),
        t.mb_per_sec()
    );
}
