//! Following a job: its events from `/events/stream?job=ID` (server-sent events), one progress
//! line each, until the job ends; for a job that fanned out over devices, also a progress bar
//! of its child jobs.

use super::failure::{FAILED, Failure, Outcome};
use super::http::Api;
use super::output;
use crate::progress::Progress;
use reqwest::Method;
use serde_json::Value;

/// Prints the job's events until its terminal event; fails when the job did not succeed.
pub async fn follow(api: &Api, job: &str, as_json: bool) -> Outcome {
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let children = (!as_json).then(|| tokio::spawn(fan_out(api.clone(), job.to_string(), stopped)));
    let outcome = events(api, job, as_json).await;
    let _ = stop.send(());
    if let Some(task) = children {
        let _ = task.await;
    }
    outcome
}

/// Draws how many of the job's children (one per device) have ended, until `stop`.
async fn fan_out(api: Api, job: String, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let mut bar = Progress::new("jobs", "devices");
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => false,
            _ = &mut stop => true,
        };
        if let Ok((total, ended, failed)) = children(&api, &job).await {
            if total > 0 {
                bar.update(ended, total, &format!("{failed} failed"));
            }
        }
        if stopping {
            bar.finish();
            return;
        }
    }
}

/// How many child jobs `job` has, how many ended, and how many of those did not succeed.
async fn children(api: &Api, job: &str) -> Outcome<(u64, u64, u64)> {
    let (mut counts, mut cursor) = ((0, 0, 0), String::new());
    loop {
        let page = api.get("/jobs", &[("parent", job.to_string()), ("limit", "500".into()), ("cursor", cursor)]).await?;
        for child in page["items"].as_array().into_iter().flatten() {
            counts.0 += 1;
            match child["status"].as_str().unwrap_or_default() {
                "succeeded" => counts.1 += 1,
                "failed" | "timed_out" | "cancelled" => (counts.1, counts.2) = (counts.1 + 1, counts.2 + 1),
                _ => {}
            }
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => return Ok(counts),
        }
    }
}

/// Prints the job's events until its terminal event.
async fn events(api: &Api, job: &str, as_json: bool) -> Outcome {
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
