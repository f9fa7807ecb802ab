//! Talking to the server: bearer-authenticated JSON requests, and the server's errors turned
//! into failures with exit codes and advice.

use super::config::{self, Saved};
use super::failure::{FAILED, Failure, NOT_FOUND, Outcome, SERVER, UNAUTHORIZED};
use reqwest::{Method, RequestBuilder, Response, Url};
use serde_json::Value;
use std::time::Duration;

/// A connection to one server's API.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    server: String,
    token: Option<String>,
}

impl Api {
    /// The API of `server`, without a token.
    pub fn new(server: &str) -> Api {
        let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().expect("an HTTP client");
        Api { http, server: server.trim_end_matches('/').trim_end_matches("/api/v1").to_string(), token: None }
    }

    /// The API of the saved login.
    pub fn saved() -> Outcome<Api> {
        let Saved { server, token } = config::load()?;
        Ok(Api { token: Some(token), ..Api::new(&server) })
    }

    /// The server's base URL.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The URL of `path` (under `/api/v1`) with `query` pairs; empty values are left out.
    pub fn url(&self, path: &str, query: &[(&str, String)]) -> Outcome<Url> {
        let mut url = Url::parse(&format!("{}/api/v1{path}", self.server)).map_err(|e| Failure::new(FAILED, format!("bad server URL `{}`: {e}", self.server)).hint("run `netraven login --server http://HOST:PORT --user NAME`"))?;
        let pairs: Vec<_> = query.iter().filter(|(_, v)| !v.is_empty()).collect();
        if !pairs.is_empty() {
            url.query_pairs_mut().extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        }
        Ok(url)
    }

    /// A request to `url`, with the token.
    pub fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let req = self.http.request(method, url);
        match &self.token {
            Some(token) => req.bearer_auth(token),
            None => req,
        }
    }

    /// `GET path?query`, its JSON answer.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Outcome<Value> {
        let url = self.url(path, query)?;
        self.json(self.request(Method::GET, url).timeout(Duration::from_secs(60))).await
    }

    /// `POST path` with a JSON body, its JSON answer.
    pub async fn post(&self, path: &str, body: &Value) -> Outcome<Value> {
        let url = self.url(path, &[])?;
        self.json(self.request(Method::POST, url).json(body).timeout(Duration::from_secs(60))).await
    }

    /// Sends `req` and reads a JSON answer.
    pub async fn json(&self, req: RequestBuilder) -> Outcome<Value> {
        let res = self.send(req).await?;
        let text = res.text().await.map_err(|e| self.unreachable(e))?;
        serde_json::from_str(&text).map_err(|e| Failure::new(SERVER, format!("the server's answer is not JSON ({e}): {text}")))
    }

    /// Sends `req`; a non-2xx answer becomes a failure.
    pub async fn send(&self, req: RequestBuilder) -> Outcome<Response> {
        let res = req.send().await.map_err(|e| self.unreachable(e))?;
        if res.status().is_success() {
            return Ok(res);
        }
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        Err(refusal(status, &body["error"]))
    }

    fn unreachable(&self, err: reqwest::Error) -> Failure {
        let mut message = format!("cannot reach {}: {err}", self.server);
        let mut cause = std::error::Error::source(&err);
        while let Some(inner) = cause {
            message.push_str(&format!(": {inner}"));
            cause = inner.source();
        }
        Failure::new(SERVER, message).hint("check that `netraven serve` runs there, or log in to another server with `netraven login`")
    }
}

/// The failure an error answer means.
fn refusal(status: u16, error: &Value) -> Failure {
    let mut message = error["message"].as_str().map(str::to_string).unwrap_or_else(|| format!("the server answered {status}"));
    if let Some(details) = error.get("details").filter(|d| !d.is_null() && d.as_object().is_none_or(|o| !o.is_empty())) {
        message.push_str(&format!(" ({details})"));
    }
    if let Some(id) = error["correlation_id"].as_str() {
        message.push_str(&format!(" [correlation id {id}]"));
    }
    match status {
        401 => Failure::login(message),
        403 => Failure::new(UNAUTHORIZED, message).hint("your user's role or device scope does not allow this; ask an admin"),
        404 => Failure::new(NOT_FOUND, message).hint("check the id (`netraven devices list`, `netraven jobs list`)"),
        500.. => Failure::new(SERVER, message).hint("the server failed; quote the correlation id to its operator"),
        _ => Failure::new(FAILED, message),
    }
}
