//! `/events/stream`: server-sent events from the log, filtered by type, job or device. Each
//! event's SSE `id` is the log position just after it, so a client that reconnects with
//! `Last-Event-ID` resumes at the next event: no gap, no duplicate.

use super::scoped_device;
use crate::params::Params;
use crate::{QueryState, public_event};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;
use netraven_api::{Action, ApiError, Principal};
use netraven_events::{Event, Position, Subscription};
use netraven_projector::{event_refs, read};
use std::collections::HashMap;
use std::convert::Infallible;

/// What a client asked to see.
struct Filter {
    types: Vec<String>,
    job: Option<String>,
    device: Option<String>,
    /// Job → device, learned from the stream and from the views.
    job_devices: HashMap<String, Option<String>>,
}

impl Filter {
    async fn matches(&mut self, event: &Event, state: &QueryState) -> bool {
        let (job, device) = event_refs(&event.data);
        let (job, device) = (job.map(|j| j.to_string()), device.map(|d| d.to_string()));
        if let (Some(j), Some(d)) = (&job, &device) {
            self.job_devices.insert(j.clone(), Some(d.clone()));
        }
        if !self.types.is_empty() && !self.types.iter().any(|t| t == event.event_type()) {
            return false;
        }
        if self.job.is_some() && self.job != job {
            return false;
        }
        let Some(wanted) = &self.device else { return true };
        if device.as_ref() == Some(wanted) {
            return true;
        }
        let Some(job) = job else { return false };
        if !self.job_devices.contains_key(&job) {
            let lookup = job.clone();
            let known = state.read(move |c| read::job_device(c, &lookup)).await.ok().flatten();
            self.job_devices.insert(job.clone(), known);
        }
        self.job_devices.get(&job).and_then(Option::as_ref) == Some(wanted)
    }
}

/// `GET /events/stream?type=&job=&device=` with `Last-Event-ID` (or `from=`) to resume.
pub(crate) async fn events(
    State(state): State<QueryState>,
    principal: Principal,
    headers: HeaderMap,
    params: Params,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    principal.require(Action::ReadAudit)?;
    params.accept(&["type", "job", "device", "from"])?;
    let device = params.id("device")?;
    scoped_device(&state, &principal, device.as_deref()).await?;
    let filter = Filter { types: params.list("type"), job: params.id("job")?, device, job_devices: HashMap::new() };
    let (name, resume) = match headers.get("last-event-id") {
        Some(value) => ("Last-Event-ID", Some(value.to_str().map_err(|_| ApiError::invalid("Last-Event-ID", "not text"))?.to_string())),
        None => ("from", params.text("from")),
    };
    let from = match resume {
        Some(text) => text.parse::<Position>().map_err(|e| ApiError::invalid(name, e.to_string()))?,
        None => Position::start(),
    };
    let subscription = state.log().subscribe(from).await?;
    let stream = futures::stream::unfold((subscription, filter, state), |(mut sub, mut filter, state)| async move {
        loop {
            let recorded = match sub.next().await? {
                Ok(recorded) => recorded,
                Err(err) => {
                    tracing::warn!(error = %err, "event stream ended by a log error");
                    return None;
                }
            };
            if filter.matches(&recorded.event, &state).await {
                let sse = to_sse(&recorded.event, &sub);
                return Some((Ok(sse), (sub, filter, state)));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

fn to_sse(event: &Event, sub: &Subscription) -> SseEvent {
    let sse = SseEvent::default().id(sub.position().to_string()).event(event.event_type());
    match public_event::to_json(event) {
        Ok(json) => sse.data(json.to_string()),
        Err(err) => sse.event("error").data(err.to_string()),
    }
}
