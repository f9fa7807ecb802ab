//! HTTP/REST device APIs: Arista eAPI's JSON-RPC `runCmds` over HTTPS, with TLS verification on
//! by default (a private CA can be added; turning verification off must be asked for).

use super::{Login, ProtocolAdapter, Target, Timeouts};
use crate::DeviceError;
use async_trait::async_trait;
use serde_json::{Value, json};

/// How to trust the device's TLS certificate.
#[derive(Clone, Debug, Default)]
pub struct TlsOptions {
    /// PEM of an extra CA (or the device's own self-signed certificate) to trust.
    pub extra_root_pem: Option<String>,
    /// Accept any certificate. Off unless explicitly asked for.
    pub insecure_skip_verify: bool,
}

/// A session to a device's JSON-RPC command API (Arista eAPI `runCmds`).
pub struct EapiSession {
    client: reqwest::Client,
    url: String,
    login: Login,
    timeouts: Timeouts,
}

impl EapiSession {
    /// Builds the HTTPS client; no request is made until the first command.
    pub fn new(target: &Target, login: Login, tls: &TlsOptions, timeouts: Timeouts) -> Result<Self, DeviceError> {
        let mut builder = reqwest::Client::builder().connect_timeout(timeouts.connect).timeout(timeouts.command);
        if let Some(pem) = &tls.extra_root_pem {
            let cert = reqwest::Certificate::from_pem(pem.as_bytes())
                .map_err(|e| DeviceError::Protocol(format!("bad CA certificate: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        if tls.insecure_skip_verify {
            builder = builder.danger_accept_invalid_certs(true);
        }
        let client = builder.build().map_err(|e| DeviceError::Protocol(format!("HTTP client: {e}")))?;
        Ok(EapiSession { client, url: format!("https://{}:{}/command-api", target.host, target.port), login, timeouts })
    }

    /// Runs commands (after `enable` when an enable secret is set) and returns their results.
    pub async fn run_cmds(&self, commands: &[&str], format: &str) -> Result<Vec<Value>, DeviceError> {
        let mut cmds: Vec<Value> = Vec::new();
        if let Some(secret) = &self.login.enable_secret {
            cmds.push(json!({"cmd": "enable", "input": secret}));
        }
        let skip = cmds.len();
        cmds.extend(commands.iter().map(|c| json!(c)));
        let body = json!({"jsonrpc": "2.0", "method": "runCmds", "id": "netraven",
                          "params": {"version": 1, "cmds": cmds, "format": format}});
        let response = self
            .client
            .post(&self.url)
            .basic_auth(&self.login.username, self.login.password.as_deref())
            .json(&body)
            .send()
            .await
            .map_err(|e| request_error(e, &self.timeouts))?;
        match response.status().as_u16() {
            401 | 403 => {
                return Err(DeviceError::Authentication(format!("the device refused the credentials of `{}`", self.login.username)));
            }
            code if code >= 400 => return Err(DeviceError::Protocol(format!("HTTP status {code}"))),
            _ => {}
        }
        let reply: Value = response.json().await.map_err(|e| DeviceError::Protocol(format!("bad JSON-RPC reply: {e}")))?;
        if let Some(error) = reply.get("error") {
            let message = error.get("message").and_then(Value::as_str).unwrap_or("command failed").to_string();
            return Err(DeviceError::CommandRejected { command: commands.join("; "), output: message });
        }
        let results = reply.get("result").and_then(Value::as_array).ok_or_else(|| DeviceError::Protocol("JSON-RPC reply without result".into()))?;
        Ok(results.iter().skip(skip).cloned().collect())
    }
}

fn request_error(err: reqwest::Error, timeouts: &Timeouts) -> DeviceError {
    if err.is_timeout() {
        let limit = if err.is_connect() { timeouts.connect } else { timeouts.command };
        DeviceError::Timeout { what: "HTTP response".into(), secs: limit.as_secs() }
    } else if err.is_connect() {
        // A refused TLS handshake is reported as a connect error too: say which it was.
        let mut detail = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            detail = format!("{detail}: {cause}");
            source = cause.source();
        }
        if detail.to_lowercase().contains("certificate") {
            DeviceError::Protocol(format!("TLS verification failed: {detail}"))
        } else {
            DeviceError::Unreachable(detail)
        }
    } else {
        DeviceError::Protocol(err.to_string())
    }
}

#[async_trait]
impl ProtocolAdapter for EapiSession {
    async fn send_command(&mut self, command: &str) -> Result<String, DeviceError> {
        let results = self.run_cmds(&[command], "text").await?;
        let output = results.first().and_then(|r| r.get("output")).and_then(Value::as_str);
        output.map(str::to_string).ok_or_else(|| DeviceError::Protocol("reply without text output".into()))
    }

    /// Each command is its own HTTPS request, so there is no session to lose.
    async fn is_alive(&mut self) -> bool {
        true
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        Ok(())
    }
}
