//! A running write API on loopback over a real embedded event log, with users of every role.
#![allow(dead_code)] // each test binary uses a different part of the fixture

use netraven_api::{Authenticator, Role, TokenConfig};
use netraven_command_handler::dispatch::DispatchConfig;
use netraven_command_handler::http::{AppState, router};
use netraven_command_handler::state::CommandState;
use netraven_command_handler::users::Users;
use netraven_events::EventLog;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_vault::Vault;
use serde_json::Value;
use std::sync::Arc;

pub const PASSWORD: &str = "correct-horse-battery";

pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub log: Arc<dyn EventLog>,
    pub dir: tempfile::TempDir,
    tokens: tokio::sync::Mutex<std::collections::HashMap<String, String>>,
    _shutdown: tokio::sync::watch::Sender<bool>,
}

impl Api {
    pub async fn start(dispatch: bool) -> Api {
        let dir = tempfile::tempdir().unwrap();
        let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.path().join("events.db")).unwrap());
        let state = CommandState::start(log.clone()).await.unwrap();
        let users = Users::open(&dir.path().join("users.db")).unwrap();
        for role in Role::ALL {
            users.create(role.as_str(), PASSWORD, role, vec![]).await.unwrap();
        }
        users.create("scoped", PASSWORD, Role::Operator, vec!["site-a".into()]).await.unwrap();
        let auth = Arc::new(Authenticator::new(&TokenConfig::Hs256 { secret: b"test-secret-test-secret-test-secret".to_vec() }, 3600).unwrap());
        let vault = Arc::new(Vault::from_keys([(1, [7u8; 32])]).unwrap());
        let app = AppState { state: state.clone(), users, vault, auth };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/api/v1", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router(app)).await.unwrap() });
        let (shutdown, stop) = tokio::sync::watch::channel(false);
        if dispatch {
            tokio::spawn(netraven_command_handler::runner::dispatcher(state.clone(), DispatchConfig::default(), stop));
        }
        Api { base, http: reqwest::Client::new(), log, dir, tokens: Default::default(), _shutdown: shutdown }
    }

    pub async fn token(&self, user: &str) -> String {
        if let Some(token) = self.tokens.lock().await.get(user) {
            return token.clone();
        }
        let body = serde_json::json!({ "username": user, "password": PASSWORD });
        let res: Value = self.http.post(format!("{}/auth/token", self.base)).json(&body).send().await.unwrap().json().await.unwrap();
        let token = res["access_token"].as_str().unwrap().to_string();
        self.tokens.lock().await.insert(user.to_string(), token.clone());
        token
    }

    /// Sends `method path` with a JSON body as `user` (no token when `None`); status and body.
    pub async fn call(&self, user: Option<&str>, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(user) = user {
            req = req.bearer_auth(self.token(user).await);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn head(&self) -> String {
        self.log.head().await.unwrap().to_string()
    }
}
