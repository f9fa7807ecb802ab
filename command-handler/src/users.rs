//! The built-in user store: a SQLite file of users with argon2id password hashes, roles and
//! device scopes. Every call runs on the blocking pool.

use netraven_api::{ApiError, Principal, Role, password};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The user store.
#[derive(Clone)]
pub struct Users {
    conn: Arc<Mutex<Connection>>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("user store: {e}"))
}

fn role_from(text: &str) -> Result<Role, ApiError> {
    serde_json::from_value(serde_json::Value::String(text.into())).map_err(internal)
}

impl Users {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Self, ApiError> {
        let conn = Connection::open(path).map_err(internal)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS users (
                name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,
                device_tags TEXT NOT NULL, created_at TEXT NOT NULL)",
        )
        .map_err(internal)?;
        Ok(Users { conn: Arc::new(Mutex::new(conn)) })
    }

    async fn with<R: Send + 'static>(&self, f: impl FnOnce(&Connection) -> Result<R, ApiError> + Send + 'static) -> Result<R, ApiError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || f(&conn.lock().expect("user store lock"))).await.map_err(internal)?
    }

    /// Adds a user; a taken name is a conflict.
    pub async fn create(&self, name: &str, password: &str, role: Role, device_tags: Vec<String>) -> Result<(), ApiError> {
        let valid = !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c));
        if !valid {
            return Err(ApiError::invalid("name", "1 to 64 letters, digits, - _ . @"));
        }
        if password.len() < 12 || password.len() > 1024 {
            return Err(ApiError::invalid("password", "must be 12 to 1024 bytes"));
        }
        let (name, password) = (name.to_string(), password.to_string());
        self.with(move |conn| {
            let hash = password::hash(&password)?;
            let tags = serde_json::to_string(&device_tags).map_err(internal)?;
            let inserted = conn
                .execute(
                    "INSERT OR IGNORE INTO users (name, password_hash, role, device_tags, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![name, hash, role.as_str(), tags, chrono::Utc::now().to_rfc3339()],
                )
                .map_err(internal)?;
            if inserted == 0 {
                return Err(ApiError::Conflict(format!("a user named `{name}` already exists")));
            }
            Ok(())
        })
        .await
    }

    /// The principal of `name` if `password` is theirs. Unknown users cost the same hashing
    /// time as wrong passwords.
    pub async fn authenticate(&self, name: &str, password: &str) -> Result<Option<Principal>, ApiError> {
        let (name, password) = (name.to_string(), password.to_string());
        self.with(move |conn| {
            let row: Option<(String, String, String)> = conn
                .query_row("SELECT password_hash, role, device_tags FROM users WHERE name = ?1", [&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
                .map_err(internal)?;
            let Some((hash, role, tags)) = row else {
                static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
                let dummy = DUMMY.get_or_init(|| password::hash("not a password of anyone").unwrap_or_default());
                let _ = password::verify(&password, dummy);
                return Ok(None);
            };
            if !password::verify(&password, &hash) {
                return Ok(None);
            }
            Ok(Some(Principal { user: name, role: role_from(&role)?, device_tags: serde_json::from_str(&tags).map_err(internal)? }))
        })
        .await
    }

    /// Every user: name, role and device scope (never a hash).
    pub async fn list(&self) -> Result<Vec<Principal>, ApiError> {
        self.with(|conn| {
            let mut stmt = conn.prepare("SELECT name, role, device_tags FROM users ORDER BY name").map_err(internal)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))).map_err(internal)?;
            rows.map(|row| {
                let (user, role, tags) = row.map_err(internal)?;
                Ok(Principal { user, role: role_from(&role)?, device_tags: serde_json::from_str(&tags).map_err(internal)? })
            })
            .collect()
        })
        .await
    }

    /// Creates the user `admin` when the store has no user yet, with `password` or a generated
    /// one; returns the generated password (to be shown once) when it made one.
    pub async fn ensure_admin(&self, password: Option<String>) -> Result<Option<String>, ApiError> {
        if !self.list().await?.is_empty() {
            return Ok(None);
        }
        let generated = password.is_none();
        let password = password.unwrap_or_else(generate_password);
        self.create("admin", &password, Role::Admin, vec![]).await?;
        Ok(generated.then_some(password))
    }
}

/// 24 random letters and digits from the OS's generator.
fn generate_password() -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng().sample_iter(&Alphanumeric).take(24).map(char::from).collect()
}
