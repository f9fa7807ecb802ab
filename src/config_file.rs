//! The configuration file (`--config FILE` or `NETRAVEN_CONFIG`): TOML whose top-level keys are
//! `NETRAVEN_*` settings without the prefix, in lower case (`kafka_bootstrap = "kafka:9092"` is
//! `NETRAVEN_KAFKA_BOOTSTRAP`), and whose `[agent]` table tunes the device-agent (pool, retry,
//! breaker). A flag beats the environment, which beats the file.

use anyhow::{Context, Result, bail};
use netraven_device_agent::AgentConfig;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Settings read straight from the environment rather than through a flag (the file may set
/// them too).
pub mod env {
    /// Log filter (`tracing` directives).
    pub const LOG: &str = "NETRAVEN_LOG";
    /// The first admin's password.
    pub const ADMIN_PASSWORD: &str = "NETRAVEN_ADMIN_PASSWORD";
    /// HS256 token secret.
    pub const JWT_SECRET: &str = "NETRAVEN_JWT_SECRET";
    /// RS256 public key (PEM file).
    pub const JWT_PUBLIC_KEY_FILE: &str = "NETRAVEN_JWT_PUBLIC_KEY_FILE";
    /// RS256 private key (PEM file), for issuing tokens.
    pub const JWT_PRIVATE_KEY_FILE: &str = "NETRAVEN_JWT_PRIVATE_KEY_FILE";
    /// The credential vault's versioned keys.
    pub const VAULT_KEYS: &str = "NETRAVEN_VAULT_KEYS";
    /// The audit seal's signing key.
    pub const AUDIT_KEY: &str = "NETRAVEN_AUDIT_KEY";
}

const DIRECT: &[&str] =
    &[env::LOG, env::ADMIN_PASSWORD, env::JWT_SECRET, env::JWT_PUBLIC_KEY_FILE, env::JWT_PRIVATE_KEY_FILE, env::VAULT_KEYS, env::AUDIT_KEY];

static AGENT: OnceLock<AgentConfig> = OnceLock::new();

/// The device-agent settings of the file's `[agent]` table (defaults without a file).
pub fn agent() -> AgentConfig {
    AGENT.get().cloned().unwrap_or_default()
}

/// The file named by `--config FILE` / `--config=FILE` in `args`, else by `NETRAVEN_CONFIG`.
pub fn path_from(args: &[String]) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(value));
        }
    }
    std::env::var_os("NETRAVEN_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// The `NETRAVEN_*` settings and the `[agent]` table of the file at `path`; `known` holds the
/// variable names a key may stand for.
pub fn parse(path: &Path, known: &BTreeSet<String>) -> Result<(Vec<(String, String)>, AgentConfig)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    let table: toml::Table = text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
    let mut vars = Vec::new();
    let mut agent = AgentConfig::default();
    for (key, value) in table {
        let var = format!("NETRAVEN_{}", key.to_uppercase());
        let value = match value {
            toml::Value::Table(section) if key == "agent" => {
                agent = toml::Value::Table(section).try_into().with_context(|| format!("{}: the [agent] table", path.display()))?;
                continue;
            }
            toml::Value::String(s) => s,
            toml::Value::Integer(_) | toml::Value::Float(_) | toml::Value::Boolean(_) => value.to_string(),
            _ => bail!("{}: `{key}` must be a string, a number or a boolean", path.display()),
        };
        if !known.contains(&var) {
            bail!("{}: unknown setting `{key}` (known: {})", path.display(), names(known));
        }
        vars.push((var, value));
    }
    Ok((vars, agent))
}

/// Every `NETRAVEN_*` variable a flag of `command` (or a subcommand) reads, and the direct ones.
pub fn known_variables(command: &clap::Command) -> BTreeSet<String> {
    fn walk(command: &clap::Command, out: &mut BTreeSet<String>) {
        out.extend(command.get_arguments().filter_map(|a| a.get_env()).map(|e| e.to_string_lossy().into_owned()));
        command.get_subcommands().for_each(|sub| walk(sub, out));
    }
    let mut out: BTreeSet<String> = DIRECT.iter().map(|s| s.to_string()).collect();
    walk(command, &mut out);
    out.retain(|v| v.starts_with("NETRAVEN_") && v != "NETRAVEN_CONFIG");
    out
}

fn names(known: &BTreeSet<String>) -> String {
    known.iter().map(|v| v.trim_start_matches("NETRAVEN_").to_lowercase()).collect::<Vec<_>>().join(", ")
}

/// Loads the configuration file, if one is named, into the environment (variables already set
/// win) and keeps its `[agent]` table.
///
/// # Safety
/// Sets environment variables: call it before any other thread starts.
pub unsafe fn load(args: &[String], command: &clap::Command) -> Result<()> {
    let Some(path) = path_from(args) else { return Ok(()) };
    let (vars, agent) = parse(&path, &known_variables(command))?;
    for (var, value) in vars {
        if std::env::var_os(&var).is_none() {
            // SAFETY: the caller guarantees no other thread runs yet.
            unsafe { std::env::set_var(var, value) };
        }
    }
    let _ = AGENT.set(agent);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["NETRAVEN_KAFKA_BOOTSTRAP", "NETRAVEN_TOKEN_TTL"].iter().map(|s| s.to_string()).collect()
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    #[test]
    fn keys_become_variables_and_the_agent_table_its_settings() {
        let f = file("kafka_bootstrap = \"k:9092\"\ntoken_ttl = 600\n[agent]\nagent_id = \"a-1\"\n[agent.pool]\nmax_per_host = 2\n");
        let (vars, agent) = parse(f.path(), &known()).unwrap();
        assert_eq!(vars, vec![("NETRAVEN_KAFKA_BOOTSTRAP".into(), "k:9092".into()), ("NETRAVEN_TOKEN_TTL".into(), "600".into())]);
        assert_eq!((agent.agent_id.as_str(), agent.pool.max_per_host), ("a-1", 2));
    }

    #[test]
    fn unknown_keys_bad_values_and_bad_toml_are_refused_with_the_reason() {
        let err = parse(file("kafka_bootstarp = \"x\"").path(), &known()).unwrap_err().to_string();
        assert!(err.contains("unknown setting `kafka_bootstarp`") && err.contains("kafka_bootstrap"), "{err}");
        assert!(parse(file("token_ttl = [1]").path(), &known()).unwrap_err().to_string().contains("must be a string"));
        assert!(parse(file("[agent]\nagnet_id = \"x\"").path(), &known()).is_err());
        assert!(parse(file("= nonsense").path(), &known()).unwrap_err().to_string().contains("not valid TOML"));
        assert!(parse(Path::new("/nonexistent/netraven.toml"), &known()).unwrap_err().to_string().contains("cannot read"));
    }

    #[test]
    fn the_readme_example_is_a_valid_file() {
        let readme = include_str!("../README.md");
        let example = readme.split("## Configuration").nth(1).and_then(|s| s.split("```toml\n").nth(1)).and_then(|s| s.split("```").next()).unwrap();
        let known = known_variables(&<crate::Cli as clap::CommandFactory>::command());
        let (vars, agent) = parse(file(example).path(), &known).unwrap();
        assert!(vars.iter().any(|(k, _)| k == "NETRAVEN_DATA") && vars.iter().any(|(k, _)| k == "NETRAVEN_DISPATCH_GRACE_SECS"), "{vars:?}");
        assert_eq!(agent.pool.max_per_host, 5);
    }

    #[test]
    fn the_flag_wins_over_the_variable() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(path_from(&args(&["netraven", "serve", "--config", "a.toml"])), Some(PathBuf::from("a.toml")));
        assert_eq!(path_from(&args(&["netraven", "--config=b.toml", "serve"])), Some(PathBuf::from("b.toml")));
    }
}
