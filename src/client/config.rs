//! The saved login: `{server, token}` in `~/.config/netraven/client.json` (or
//! `$NETRAVEN_CLIENT_CONFIG`), readable by its owner only.

use super::failure::{FAILED, Failure, Outcome};
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::PathBuf;

/// A server and a token for it.
pub struct Saved {
    /// The server's base URL, as given to `login`.
    pub server: String,
    /// The bearer token.
    pub token: String,
}

/// Where the login is kept.
pub fn path() -> Outcome<PathBuf> {
    if let Some(path) = std::env::var_os("NETRAVEN_CLIENT_CONFIG") {
        return Ok(PathBuf::from(path));
    }
    let home = std::env::var_os("HOME").ok_or_else(|| Failure::new(FAILED, "HOME is not set").hint("set NETRAVEN_CLIENT_CONFIG to a file path"))?;
    Ok(PathBuf::from(home).join(".config/netraven/client.json"))
}

/// The saved login, or advice to log in.
pub fn load() -> Outcome<Saved> {
    let path = path()?;
    let text = std::fs::read_to_string(&path).map_err(|_| Failure::login(format!("not logged in (no {})", path.display())))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| Failure::login(format!("{} is not valid: {e}", path.display())))?;
    match (value["server"].as_str(), value["token"].as_str()) {
        (Some(server), Some(token)) => Ok(Saved { server: server.into(), token: token.into() }),
        _ => Err(Failure::login(format!("{} lacks a server or a token", path.display()))),
    }
}

/// Saves a login with mode 0600; returns where.
pub fn save(saved: &Saved) -> Outcome<PathBuf> {
    let path = path()?;
    let fail = |e: std::io::Error| Failure::new(FAILED, format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path).map_err(fail)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
    let body = json!({ "server": saved.server, "token": saved.token });
    writeln!(file, "{body:#}").map_err(fail)?;
    Ok(path)
}
