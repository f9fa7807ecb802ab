//! CPU seconds and peak resident memory of a process, read from `/proc/<pid>/stat` and
//! `/proc/<pid>/status`, and a wait that takes a child's final figures before reaping it.

use std::process::{Child, ExitStatus};
use std::time::Duration;

/// Clock ticks per second of `/proc/<pid>/stat` times (`USER_HZ`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// State letter and user + system CPU seconds of `pid` (all its threads), if it exists.
pub fn stat(pid: u32) -> Option<(char, f64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    let fields: Vec<&str> = text[text.rfind(')')? + 1..].split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((state, (utime + stime) / TICKS_PER_SEC))
}

/// CPU seconds of `pid` so far (0 when it is gone).
pub fn cpu_secs(pid: u32) -> f64 {
    stat(pid).map_or(0.0, |(_, cpu)| cpu)
}

/// Peak resident set size (`VmHWM`) of `pid` in KiB (`pid` may be `self`).
pub fn vm_hwm_kib(pid: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a child used over its whole life.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub status: ExitStatus,
    /// User + system CPU seconds of the child itself (its own children not included).
    pub cpu_secs: f64,
    /// Highest `VmHWM` seen while it ran, in KiB.
    pub peak_rss_kib: u64,
}

/// Waits for `child`, polling its figures; the CPU time is read from the zombie, so it is the
/// final one, before the child is reaped.
pub fn wait(mut child: Child) -> std::io::Result<Usage> {
    let pid = child.id();
    let (mut cpu, mut peak) = (0.0, 0);
    loop {
        peak = peak.max(vm_hwm_kib(&pid.to_string()).unwrap_or(0));
        match stat(pid) {
            Some((state, now)) => {
                cpu = now;
                if state == 'Z' || state == 'X' {
                    break;
                }
            }
            None => break,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait()?;
    Ok(Usage { status, cpu_secs: cpu, peak_rss_kib: peak })
}
