//! The search benchmark's 20 representative queries, each written for NetRaven's index, for
//! SQLite FTS5 and for ripgrep with the same intent.

use netraven_events::catalog::{DeviceId, LogLevel};
use netraven_search::{Kind, SearchRequest};

/// The device the filtered queries are about (index 7 of the fleet).
pub const DEVICE: usize = 7;

/// One query in each engine's terms.
pub struct BenchQuery {
    /// What it exercises.
    pub label: &'static str,
    /// NetRaven's request.
    pub request: SearchRequest,
    /// FTS5 `MATCH` expression.
    pub fts: &'static str,
    /// Extra SQL condition for FTS5 filters ("" for none).
    pub fts_filter: &'static str,
    /// ripgrep arguments before the paths.
    pub rg: Vec<&'static str>,
    /// Paths (under the corpus root) ripgrep scans.
    pub rg_paths: Vec<String>,
}

fn query(label: &'static str, q: &str, fts: &'static str, rg: &[&'static str]) -> BenchQuery {
    BenchQuery {
        label,
        request: SearchRequest { q: q.into(), limit: 20, ..Default::default() },
        fts,
        fts_filter: "",
        rg: rg.to_vec(),
        rg_paths: vec!["logs".into(), "configs".into()],
    }
}

/// The 20 queries.
pub fn all() -> Vec<BenchQuery> {
    let device_file = format!("logs/{}.log", crate::search_corpus::device_name(DEVICE));
    let logs = || vec!["logs".to_string()];
    vec![
        query("IPv4 address", "10.1.7.23", "\"10.1.7.23\"", &[r"\b10\.1\.7\.23\b"]),
        query("IPv4 first three octets", "10.1.7", "\"10.1.7\"", &[r"\b10\.1\.7\.\d"]),
        query("IPv6 address", "2001:db8:3::1f", "\"2001:db8:3::1f\"", &[r"2001:db8:3::1f\b"]),
        query("interface", "GigabitEthernet1/0/7", "\"GigabitEthernet1/0/7\"", &["-i", r"GigabitEthernet1/0/7\b"]),
        query("interface, short name", "Gi1/0/7", "\"Gi1/0/7\" OR \"GigabitEthernet1/0/7\"", &["-i", r"\bGi(gabitEthernet)?1/0/7\b"]),
        query("Junos interface", "xe-0/0/7.0", "\"xe-0/0/7.0\"", &["-F", "xe-0/0/7.0"]),
        query("MAC, other notation", "00:1a:2b:07:00:42", "\"001a.2b07.0042\"", &["-i", r"001a\.2b07\.0042"]),
        query("host name", "core-sw12.dc0.example.net", "\"core-sw12.dc0.example.net\"", &["-F", "core-sw12.dc0.example.net"]),
        query("AS number", "AS65042", "\"AS65042\"", &["-i", r"\bAS65042\b"]),
        query("bare AS number", "65042", "65042", &[r"\b65042\b"]),
        query("phrase", "\"hold timer expired\"", "\"hold timer expired\"", &["-i", "-F", "hold timer expired"]),
        query("phrase, common", "\"changed state to down\"", "\"changed state to down\"", &["-i", "-F", "changed state to down"]),
        query("boolean AND", "bgp AND down", "bgp AND down", &["-i", "bgp.*down|down.*bgp"]),
        query("boolean AND NOT", "authentication AND NOT succeeded", "authentication NOT succeeded", &["--pcre2", "-i", "^(?!.*succeeded).*authentication"]),
        query("boolean OR", "ospf OR watchdog", "ospf OR watchdog", &["-i", r"\b(ospf|watchdog)\b"]),
        query("common word", "interface", "interface", &["-i", "-w", "interface"]),
        BenchQuery {
            request: SearchRequest { levels: vec![LogLevel::Error], ..query("", "10.1.7.23", "", &[]).request },
            fts_filter: "level = 'error'",
            rg_paths: logs(),
            ..query("filtered: IP + level=error", "", "\"10.1.7.23\"", &[r"\berror\b.*\b10\.1\.7\.23\b"])
        },
        BenchQuery {
            request: SearchRequest { device_ids: vec![DeviceId(uuid::Uuid::from_u128(DEVICE as u128 + 1))], ..query("", "down", "", &[]).request },
            fts_filter: "device = 7",
            rg_paths: vec![device_file],
            ..query("filtered: word + one device", "", "down", &["-i", "-w", "down"])
        },
        BenchQuery {
            request: SearchRequest { kinds: vec![Kind::Config], ..query("", "\"router bgp 65042\"", "", &[]).request },
            fts_filter: "kind = 'config'",
            rg_paths: vec!["configs".into()],
            ..query("configs: phrase, all versions", "", "\"router bgp 65042\"", &["-F", "router bgp 65042"])
        },
        BenchQuery {
            request: SearchRequest { latest_only: true, ..query("", "10.255.0.42", "", &[]).request },
            fts_filter: "latest = 1",
            rg_paths: vec!["latest".into()],
            ..query("configs: IP, latest only", "", "\"10.255.0.42\"", &[r"\b10\.255\.0\.42\b"])
        },
    ]
}
