//! Following a job: its events from `/events/stream?job=ID` (server-sent events), one progress
//! line each, until the job ends.

use super::failure::{FAILED, Failure, Outcome};
use super::http::Api;
use super::output;
use reqwest::Method;
use serde_json::Value;

/// Prints the job's events until its terminal event; fails when the job did not succeed.
pub async fn follow(api: &Api, job: &str, as_json: bool) -> Outcome {
    let mut last_id: Option<String> = None;
    loop {
        let url = api.url("/events/stream", &[("job", job.to_string())])?;
        let mut req = api.request(Method::GET, url).header("accept", "text/event-stream");
        if let Some(id) = &last_id {
            req = req.header("last-event-id", id);
        }
        let mut res = api.send(req).await?;
        let mut buffer = String::new();
        while let Some(chunk) = res.chunk().await.map_err(|e| Failure::new(super::failure::SERVER, format!("the event stream broke: {e}")))? {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let (id, data) = parse(&block);
                last_id = id.or(last_id);
                let Some(event) = data.and_then(|d| serde_json::from_str::<Value>(&d).ok()) else { continue };
                match as_json {
                    true => println!("{event}"),
                    false => println!("{}", progress(&event)),
                }
                if let Some(outcome) = terminal(job, &event) {
                    return outcome;
                }
            }
        }
    }
}

/// The `id` and joined `data` lines of one SSE block.
fn parse(block: &str) -> (Option<String>, Option<String>) {
    let (mut id, mut data) = (None, None::<String>);
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            id = Some(value.trim_start().to_string());
        } else if let Some(value) = line.strip_prefix("data:") {
            let value = value.strip_prefix(' ').unwrap_or(value);
            data = Some(match data {
                Some(before) => format!("{before}\n{value}"),
                None => value.to_string(),
            });
        }
    }
    (id, data)
}

/// The short name of an event type (`job.failed` for `netraven.job.failed.v1`).
fn short_type(event: &Value) -> &str {
    let kind = event["type"].as_str().unwrap_or("?");
    kind.strip_prefix("netraven.").unwrap_or(kind).trim_end_matches(".v1")
}

/// One progress line: time, what happened, and its message.
fn progress(event: &Value) -> String {
    let data = &event["data"];
    let detail = ["/message", "/summary", "/error/message", "/reason", "/agent_id"].iter().find_map(|p| data.pointer(p).and_then(Value::as_str)).unwrap_or_default();
    let attempt = data["attempt"].as_u64().filter(|a| *a > 0).map(|a| format!(" (attempt {a})")).unwrap_or_default();
    format!("{}  {:<24} {detail}{attempt}", output::cell(event.get("time")), short_type(event))
}

/// How the watch ends, once `job` itself reached a terminal event.
fn terminal(job: &str, event: &Value) -> Option<Outcome> {
    if event["data"]["job_id"].as_str() != Some(job) {
        return None;
    }
    match short_type(event) {
        "job.succeeded" => Some(Ok(())),
        "job.failed" | "job.timed_out" | "job.cancelled" => Some(Err(Failure::new(FAILED, format!("job {job} ended: {}", short_type(event).trim_start_matches("job."))).hint(format!("see `netraven jobs show {job}`")))),
        _ => None,
    }
}
