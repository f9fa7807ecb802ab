//! The one envelope of every event: CloudEvents 1.0 attributes plus NetRaven's extensions.
//!
//! In structured mode (the embedded store, JSON exports) an event is one JSON object with the
//! attributes and `data`. In binary mode (Kafka) the attributes become `ce_*` headers and the
//! payload is the record value; [`Event::attributes`] and [`Event::from_attributes`] map both ways.

use crate::catalog::EventData;
use crate::{Error, Result, StreamId};
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use uuid::Uuid;

/// The CloudEvents spec version NetRaven writes.
pub const SPEC_VERSION: &str = "1.0";
/// Media type of every payload.
pub const DATA_CONTENT_TYPE: &str = "application/json";

/// Who and what caused an event: the metadata a producer supplies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cause {
    /// The producing component (`/netraven/command-handler`, ...), CloudEvents `source`.
    pub source: String,
    /// The user or service on whose behalf it happened.
    pub actor: String,
    /// The request or job correlation id shared by everything one request causes.
    pub correlation_id: String,
    /// The id of the event that directly caused this one, if any.
    pub causation_id: Option<Uuid>,
}

/// One immutable fact in the log.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Unique id (UUIDv7), CloudEvents `id`.
    pub id: Uuid,
    /// Producing component, CloudEvents `source`.
    pub source: String,
    /// What the event is about, CloudEvents `subject` (the stream id).
    pub subject: Option<String>,
    /// When it happened (UTC), CloudEvents `time`.
    pub time: DateTime<Utc>,
    /// Extension `correlationid`.
    pub correlation_id: String,
    /// Extension `causationid`.
    pub causation_id: Option<Uuid>,
    /// Extension `actor`.
    pub actor: String,
    /// Extension `streamid`: the stream (aggregate) the event belongs to.
    pub stream_id: StreamId,
    /// Extension `streamversion`: position in its stream from 1, set by the log on append.
    pub stream_version: u64,
    /// The payload; its variant is the CloudEvents `type`.
    pub data: EventData,
}

impl Event {
    /// A new event for `data`, stamped now with a fresh UUIDv7; the log sets its stream version.
    pub fn new(data: impl Into<EventData>, cause: &Cause) -> Self {
        let data = data.into();
        let stream_id = data.stream();
        Event {
            id: Uuid::now_v7(),
            source: cause.source.clone(),
            subject: Some(stream_id.to_string()),
            time: Utc::now(),
            correlation_id: cause.correlation_id.clone(),
            causation_id: cause.causation_id,
            actor: cause.actor.clone(),
            stream_id,
            stream_version: 0,
            data,
        }
    }

    /// The versioned type name, CloudEvents `type`.
    pub fn event_type(&self) -> &'static str {
        self.data.event_type()
    }

    /// The payload's schema URI, CloudEvents `dataschema` (a file of that name is in `schemas/`).
    pub fn data_schema(&self) -> String {
        data_schema_uri(self.event_type())
    }

    /// The event as one structured-mode CloudEvents JSON document.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        // Sized like the thread's previous event (up to 64 KiB), so a typical event is written
        // without the buffer growing and copying itself several times.
        thread_local! { static LAST_LEN: std::cell::Cell<usize> = const { std::cell::Cell::new(512) }; }
        let mut out = Vec::with_capacity(LAST_LEN.get().min(64 << 10) + 256);
        serde_json::to_writer(&mut out, self)?;
        LAST_LEN.set(out.len());
        Ok(out)
    }

    /// Parses a structured-mode CloudEvents JSON document.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// Binary-mode attributes: `(name, value)` pairs without the `ce_` prefix, `data` excluded.
    pub fn attributes(&self) -> Vec<(&'static str, String)> {
        let mut attrs = vec![
            ("specversion", SPEC_VERSION.to_string()),
            ("id", self.id.to_string()),
            ("source", self.source.clone()),
            ("type", self.event_type().to_string()),
            ("time", self.time.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            ("dataschema", self.data_schema()),
            ("correlationid", self.correlation_id.clone()),
            ("actor", self.actor.clone()),
            ("streamid", self.stream_id.to_string()),
            ("streamversion", self.stream_version.to_string()),
        ];
        if let Some(subject) = &self.subject {
            attrs.push(("subject", subject.clone()));
        }
        if let Some(causation) = &self.causation_id {
            attrs.push(("causationid", causation.to_string()));
        }
        attrs
    }

    /// Rebuilds an event from binary-mode attributes (looked up by name) and its payload bytes.
    pub fn from_attributes<'a>(attr: impl Fn(&str) -> Option<&'a str>, data: &[u8]) -> Result<Self> {
        let need = |name: &str| {
            attr(name).ok_or_else(|| Error::Invalid(format!("missing CloudEvents attribute `{name}`")))
        };
        let bad = |name: &str, e: &dyn std::fmt::Display| Error::Invalid(format!("bad `{name}`: {e}"));
        let event_type = need("type")?;
        Ok(Event {
            id: need("id")?.parse().map_err(|e| bad("id", &e))?,
            source: need("source")?.to_string(),
            subject: attr("subject").map(str::to_string),
            time: DateTime::parse_from_rfc3339(need("time")?)
                .map_err(|e| bad("time", &e))?
                .with_timezone(&Utc),
            correlation_id: need("correlationid")?.to_string(),
            causation_id: attr("causationid")
                .map(|c| c.parse().map_err(|e| bad("causationid", &e)))
                .transpose()?,
            actor: need("actor")?.to_string(),
            stream_id: StreamId::new(need("streamid")?),
            stream_version: need("streamversion")?.parse().map_err(|e| bad("streamversion", &e))?,
            data: EventData::from_json(event_type, data)?,
        })
    }
}

/// The `dataschema` URI of an event type.
pub fn data_schema_uri(event_type: &str) -> String {
    format!("urn:netraven:schema:{event_type}")
}

/// The structured-mode wire form; `D` is the payload representation.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Wire<D> {
    /// CloudEvents spec version, always `1.0`.
    specversion: String,
    /// Unique event id (UUIDv7).
    id: Uuid,
    /// Producing component.
    source: String,
    /// Versioned event type name.
    #[serde(rename = "type")]
    event_type: String,
    /// The stream the event is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    /// When it happened, RFC 3339 UTC.
    time: DateTime<Utc>,
    /// Always `application/json`.
    datacontenttype: String,
    /// URI naming the payload's JSON Schema.
    dataschema: String,
    /// Correlation id of the causing request or job.
    correlationid: String,
    /// Id of the directly causing event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    causationid: Option<Uuid>,
    /// Who caused it.
    actor: String,
    /// The stream (aggregate) id.
    streamid: String,
    /// Position in the stream, from 1 (absent only in the embedded store's bodies, which keep
    /// it in a column of its own).
    #[serde(default, skip_serializing_if = "is_zero")]
    streamversion: u64,
    /// The payload, as described by `dataschema`.
    data: D,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// The JSON Schema of the structured-mode envelope.
pub fn envelope_schema() -> schemars::Schema {
    schemars::schema_for!(Wire<serde_json::Map<String, serde_json::Value>>)
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        Wire {
            specversion: SPEC_VERSION.to_string(),
            id: self.id,
            source: self.source.clone(),
            event_type: self.event_type().to_string(),
            subject: self.subject.clone(),
            time: self.time,
            datacontenttype: DATA_CONTENT_TYPE.to_string(),
            dataschema: self.data_schema(),
            correlationid: self.correlation_id.clone(),
            causationid: self.causation_id,
            actor: self.actor.clone(),
            streamid: self.stream_id.to_string(),
            streamversion: self.stream_version,
            data: &self.data,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> std::result::Result<Self, De::Error> {
        use serde::de::Error as _;
        let wire = Wire::<Box<RawValue>>::deserialize(deserializer)?;
        if wire.specversion != SPEC_VERSION {
            return Err(De::Error::custom(format!("unsupported specversion {}", wire.specversion)));
        }
        let data = EventData::from_json(&wire.event_type, wire.data.get().as_bytes())
            .map_err(De::Error::custom)?;
        Ok(Event {
            id: wire.id,
            source: wire.source,
            subject: wire.subject,
            time: wire.time,
            correlation_id: wire.correlationid,
            causation_id: wire.causationid,
            actor: wire.actor,
            stream_id: StreamId::new(wire.streamid),
            stream_version: wire.streamversion,
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_event() -> impl Strategy<Value = Event> {
        (
            any::<EventData>(),
            (any::<u128>(), ".*", ".*", ".*", proptest::option::of(any::<u128>())),
            (crate::catalog::arb::time(), any::<u64>()),
        )
            .prop_map(|(data, (id, source, actor, correlation, causation), (time, version))| {
                let cause = Cause {
                    source,
                    actor,
                    correlation_id: correlation,
                    causation_id: causation.map(Uuid::from_u128),
                };
                let mut event = Event::new(data, &cause);
                event.id = Uuid::from_u128(id);
                event.time = time;
                event.stream_version = version;
                event
            })
    }

    proptest! {
        #[test]
        fn any_event_round_trips_through_structured_json(event in any_event()) {
            let bytes = event.to_json().unwrap();
            prop_assert_eq!(Event::from_json(&bytes).unwrap(), event);
        }

        #[test]
        fn any_event_round_trips_through_binary_mode_attributes(event in any_event()) {
            let attrs = event.attributes();
            let lookup = |name: &str| attrs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
            let back = Event::from_attributes(lookup, &event.data.to_json().unwrap()).unwrap();
            prop_assert_eq!(back, event);
        }
    }

    #[test]
    fn the_envelope_uses_cloudevents_attribute_names() {
        let cause = Cause { source: "/s".into(), actor: "a".into(), correlation_id: "c".into(), causation_id: None };
        let mut event = Event::new(crate::catalog::DeviceRemoved { device_id: crate::catalog::DeviceId::new() }, &cause);
        event.stream_version = 1; // set by the log on append; absent before
        let value: serde_json::Value = serde_json::from_slice(&event.to_json().unwrap()).unwrap();
        for name in ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema",
                     "correlationid", "actor", "streamid", "streamversion", "data"] {
            assert!(value.get(name).is_some(), "missing {name}");
        }
        assert_eq!(value["specversion"], "1.0");
        assert_eq!(value["type"], "netraven.device.removed.v1");
        assert_eq!(event.id.get_version_num(), 7, "ids are UUIDv7");
        assert!(value["time"].as_str().unwrap().ends_with('Z'), "times are UTC RFC 3339");
    }

    #[test]
    fn malformed_documents_are_refused() {
        assert!(Event::from_json(b"{}").is_err());
        assert!(Event::from_json(b"not json").is_err());
        let missing = |name: &str| if name == "type" { Some("netraven.device.removed.v1") } else { None };
        assert!(Event::from_attributes(missing, b"{}").is_err());
    }
}
