//! Secret settings of a server: the JWT signing secret and the vault keys, each taken from the
//! environment or, on one machine, from a file in the data folder created (mode 0600) on first
//! start. Neither ever goes to the event log.

use anyhow::{Context, Result};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The value of `env`, else the content of `dir/file`, else `generate()` written to that file.
pub fn setting(env: &str, dir: &Path, file: &str, generate: impl FnOnce() -> String) -> Result<String> {
    if let Ok(value) = std::env::var(env) {
        if !value.trim().is_empty() {
            return Ok(value);
        }
    }
    let path = dir.join(file);
    if path.exists() {
        return std::fs::read_to_string(&path).map(|s| s.trim().to_string()).with_context(|| format!("cannot read {}", path.display()));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let value = generate();
    let mut out = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).with_context(|| format!("cannot create {}", path.display()))?;
    out.write_all(value.as_bytes())?;
    out.sync_all()?;
    tracing::info!(file = %path.display(), "generated {env} (set the variable to manage it yourself)");
    Ok(value)
}

/// 48 random letters and digits.
pub fn random_text() -> String {
    use rand::Rng;
    rand::rng().sample_iter(&rand::distr::Alphanumeric).take(48).map(char::from).collect()
}
