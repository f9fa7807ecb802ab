//! The HTTP adapter against a local HTTPS server that answers like Arista eAPI: TLS
//! verification on by default, a trusted CA accepted, auth and command errors mapped.

use base64::Engine;
use netraven_device_agent::DeviceError;
use netraven_device_agent::protocol::http::{EapiSession, TlsOptions};
use netraven_device_agent::protocol::{Login, ProtocolAdapter, Target, Timeouts};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer};

const USER: &str = "admin";
const PASSWORD: &str = "eapi-pw";
const ENABLE: &str = "enable-pw";

/// Starts the fake eAPI device; returns its port and its certificate (PEM).
async fn start_device() -> (u16, String) {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let cert_pem = certified.cert.pem();
    let key = PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let _ = serve(&mut tls).await;
                }
            });
        }
    });
    (port, cert_pem)
}

async fn serve<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(stream: &mut S) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_lowercase();
    let length: usize = head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap_or(0));
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let expected = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    let (status, body) = if !head.contains(&format!("authorization: basic {}", expected.to_lowercase())) {
        (401, json!({}))
    } else {
        (200, answer(serde_json::from_slice(&buf[header_end..]).unwrap_or(Value::Null)))
    };
    let text = body.to_string();
    let reply = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}", text.len());
    stream.write_all(reply.as_bytes()).await?;
    stream.shutdown().await
}

/// eAPI's answer to a `runCmds` request.
fn answer(request: Value) -> Value {
    let cmds = request["params"]["cmds"].as_array().cloned().unwrap_or_default();
    let mut results = Vec::new();
    for cmd in &cmds {
        match cmd {
            Value::Object(o) if o.get("cmd") == Some(&json!("enable")) && o.get("input") == Some(&json!(ENABLE)) => results.push(json!({})),
            Value::String(c) if c == "show version" => results.push(json!({"output": "Arista vEOS\nSoftware image version: 4.31.0F\n"})),
            other => {
                return json!({"jsonrpc": "2.0", "id": request["id"], "error": {"code": 1002,
                    "message": format!("CLI command failed: invalid command {other}")}});
            }
        }
    }
    json!({"jsonrpc": "2.0", "id": request["id"], "result": results})
}

fn login(password: &str) -> Login {
    Login { username: USER.into(), password: Some(password.into()), private_key: None, enable_secret: Some(ENABLE.into()) }
}

#[tokio::test]
async fn runs_commands_over_verified_tls() {
    let (port, pem) = start_device().await;
    let tls = TlsOptions { extra_root_pem: Some(pem), insecure_skip_verify: false };
    let target = Target { host: "127.0.0.1".into(), port };
    let mut session = EapiSession::new(&target, login(PASSWORD), &tls, Timeouts::default()).unwrap();
    let output = session.send_command("show version").await.unwrap();
    assert!(output.contains("Software image version: 4.31.0F"), "{output}");
    let err = session.send_command("shwo version").await.unwrap_err();
    assert_eq!(err.code(), "COMMAND_REJECTED", "{err}");
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_by_default() {
    let (port, _) = start_device().await;
    let target = Target { host: "127.0.0.1".into(), port };
    let mut session = EapiSession::new(&target, login(PASSWORD), &TlsOptions::default(), Timeouts::default()).unwrap();
    let err = session.send_command("show version").await.unwrap_err();
    assert!(matches!(err, DeviceError::Protocol(ref m) if m.contains("TLS")), "{err}");
}

#[tokio::test]
async fn a_wrong_password_is_an_authentication_error() {
    let (port, pem) = start_device().await;
    let tls = TlsOptions { extra_root_pem: Some(pem), insecure_skip_verify: false };
    let target = Target { host: "127.0.0.1".into(), port };
    let mut session = EapiSession::new(&target, login("nope"), &tls, Timeouts::default()).unwrap();
    let err = session.send_command("show version").await.unwrap_err();
    assert_eq!(err.code(), "AUTHENTICATION", "{err}");
}
